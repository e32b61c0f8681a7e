package conversionrules

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// The repository's fixtures (Tests/Fixtures), run through this package:
// every case of every built-in rule, whole bodies, two-hop conversions and
// streams, the streams also read back in random read sizes.

const fixturesDirectory = "../../../Tests/Fixtures"

type fixtureFile struct {
	Rule  string        `json:"rule"`
	Cases []fixtureCase `json:"cases"`
}

type fixtureCase struct {
	Name       string         `json:"name"`
	Conversion string         `json:"conversion"`
	Client     string         `json:"client"`
	Kind       string         `json:"kind"`
	Variables  map[string]any `json:"vars"`
	Input      struct {
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
		Text    *string           `json:"text"`
		Events  []json.RawMessage `json:"events"`
	} `json:"input"`
	Expect struct {
		Headers map[string]*string `json:"headers"`
		Body    json.RawMessage    `json:"body"`
		Text    *string            `json:"text"`
		Chunks  []json.RawMessage  `json:"chunks"`
		Dropped *bool              `json:"dropped"`
		Error   *string            `json:"error"`
	} `json:"expect"`
}

func (c fixtureCase) isStream() bool {
	return c.Kind == "stream_response" || strings.HasPrefix(c.Conversion, "stream_")
}

func (c fixtureCase) input() Content {
	header := make(map[string][]string)
	for name, value := range c.Input.Headers {
		header[name] = []string{value}
	}
	switch {
	case c.Input.Text != nil:
		return Content{Header: header, Body: []byte(*c.Input.Text)}
	case c.Input.Events != nil:
		return Content{Header: header, Body: framedEvents(c.Input.Events, c.Input.Headers["Content-Type"])}
	}
	return Content{Header: header, Body: c.Input.Body}
}

// framedEvents frames a fixture's input events (a string is the payload's
// text, anything else its JSON) as SSE for text/event-stream, else NDJSON.
func framedEvents(events []json.RawMessage, contentType string) []byte {
	var framed bytes.Buffer
	for _, event := range events {
		payload := string(event)
		var text string
		if json.Unmarshal(event, &text) == nil {
			payload = text
		} else {
			var compact bytes.Buffer
			json.Compact(&compact, event)
			payload = compact.String()
		}
		if !strings.HasPrefix(contentType, "text/event-stream") {
			framed.WriteString(payload + "\n")
			continue
		}
		for _, line := range strings.Split(payload, "\n") {
			framed.WriteString("data: " + line + "\n")
		}
		framed.WriteString("\n")
	}
	return framed.Bytes()
}

func loadFixtures(t *testing.T) []fixtureFile {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(fixturesDirectory, "*", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures under %s: %v", fixturesDirectory, err)
	}
	var files []fixtureFile
	for _, path := range paths {
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var file fixtureFile
		if err := json.Unmarshal(text, &file); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		files = append(files, file)
	}
	return files
}

func TestEveryFixtureConvertsAsExpected(t *testing.T) {
	catalog := openCatalog(t)
	cases := 0
	for _, file := range loadFixtures(t) {
		rule, err := catalog.Rule(file.Rule)
		if err != nil {
			t.Fatalf("%s: %v", file.Rule, err)
		}
		defer rule.Close()
		for _, fixture := range file.Cases {
			cases++
			t.Run(file.Rule+"/"+fixture.Name, func(t *testing.T) {
				if fixture.isStream() {
					checkStream(t, catalog, rule, fixture)
				} else {
					checkWhole(t, catalog, rule, fixture)
				}
			})
		}
	}
	t.Logf("%d fixture cases", cases)
}

func route(rule *Rule, client string) TwoHop {
	flavor, service, _ := strings.Cut(rule.Info.Rule, ":")
	return TwoHop{Client: client, Provider: flavor, Service: service}
}

func checkWhole(t *testing.T, catalog *Catalog, rule *Rule, fixture fixtureCase) {
	var output Content
	var err error
	if fixture.Client != "" {
		output, err = catalog.ConvertTwoHop(context.Background(), route(rule, fixture.Client), Kind(fixture.Kind),
			fixture.input(), fixture.Variables)
	} else {
		output, err = rule.Convert(context.Background(), Conversion(fixture.Conversion), fixture.input(), fixture.Variables)
	}
	if !checkOutcome(t, fixture, err) {
		return
	}
	checkHeaders(t, fixture, output)
	if fixture.Expect.Body != nil && !sameJSON(output.Body, fixture.Expect.Body) {
		t.Errorf("body\n got %s\nwant %s", output.Body, fixture.Expect.Body)
	}
	if fixture.Expect.Text != nil && string(output.Body) != *fixture.Expect.Text {
		t.Errorf("text\n got %q\nwant %q", output.Body, *fixture.Expect.Text)
	}
}

// checkOutcome checks the expected error or drop; it tells whether the
// output is there to be checked.
func checkOutcome(t *testing.T, fixture fixtureCase, err error) bool {
	t.Helper()
	dropped := err == ErrDropped
	// A stream skips the payloads it drops and goes on; the C interface
	// does not count them, so a stream's expected drops are not checked.
	if fixture.Expect.Dropped != nil && !fixture.isStream() && *fixture.Expect.Dropped != dropped {
		t.Errorf("dropped: got %v, want %v (%v)", dropped, *fixture.Expect.Dropped, err)
	}
	if fixture.Expect.Error != nil {
		if err == nil || !strings.Contains(err.Error(), *fixture.Expect.Error) {
			t.Errorf("error: got %v, want one containing %q", err, *fixture.Expect.Error)
		}
		return false
	}
	if err != nil && !dropped {
		t.Errorf("unexpected error: %v", err)
	}
	return err == nil
}

func checkHeaders(t *testing.T, fixture fixtureCase, output Content) {
	t.Helper()
	for name, want := range fixture.Expect.Headers {
		got, present := output.Header.Get(name), len(output.Header.Values(name)) > 0
		if want == nil && present {
			t.Errorf("header %s: got %q, want none", name, got)
		}
		if want != nil && got != *want {
			t.Errorf("header %s: got %q, want %q", name, got, *want)
		}
	}
}

func openStream(catalog *Catalog, rule *Rule, fixture fixtureCase, upstream []byte, split bool) (*StreamReader, error) {
	reader := readsOf(bytes.NewReader(upstream), split)
	input := fixture.input()
	if fixture.Client != "" {
		return NewTwoHopStreamReader(context.Background(), catalog, route(rule, fixture.Client), input.Header, reader,
			fixture.Variables)
	}
	return NewStreamReader(context.Background(), rule, Conversion(fixture.Conversion), input.Header, reader,
		fixture.Variables)
}

// readsOf gives the upstream in reads of 1 to 17 bytes when split, else
// as whole as the reader's buffer allows.
func readsOf(source *bytes.Reader, split bool) *randomReads {
	return &randomReads{source: source, split: split, random: rand.New(rand.NewSource(int64(source.Len())))}
}

type randomReads struct {
	source *bytes.Reader
	split  bool
	random *rand.Rand
}

func (r *randomReads) Read(p []byte) (int, error) {
	if r.split && len(p) > 1 {
		p = p[:1+r.random.Intn(min(len(p), 17))]
	}
	return r.source.Read(p)
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// readStream reads a converted stream in reads of random sizes too.
func readStream(reader *StreamReader) ([]byte, error) {
	var output bytes.Buffer
	_, err := output.ReadFrom(iotest.OneByteReader(reader))
	return output.Bytes(), err
}

func checkStream(t *testing.T, catalog *Catalog, rule *Rule, fixture fixtureCase) {
	input := fixture.input()
	whole, wholeErr := streamOutput(catalog, rule, fixture, input.Body, false)
	split, splitErr := streamOutput(catalog, rule, fixture, input.Body, true)
	if !bytes.Equal(whole, split) || (wholeErr == nil) != (splitErr == nil) {
		t.Errorf("random read sizes changed the stream:\nwhole %q (%v)\nsplit %q (%v)", whole, wholeErr, split, splitErr)
	}
	if !checkOutcome(t, fixture, wholeErr) {
		return
	}
	if fixture.Expect.Chunks == nil {
		return
	}
	payloads := streamPayloads(whole)
	if len(payloads) != len(fixture.Expect.Chunks) {
		t.Fatalf("got %d payloads, want %d:\n%q", len(payloads), len(fixture.Expect.Chunks), payloads)
	}
	for index, want := range fixture.Expect.Chunks {
		var text string
		if json.Unmarshal(want, &text) == nil {
			if payloads[index] != text {
				t.Errorf("payload %d: got %q, want %q", index, payloads[index], text)
			}
		} else if !sameJSON([]byte(payloads[index]), want) {
			t.Errorf("payload %d:\n got %s\nwant %s", index, payloads[index], want)
		}
	}
}

func streamOutput(catalog *Catalog, rule *Rule, fixture fixtureCase, upstream []byte, split bool) ([]byte, error) {
	reader, err := openStream(catalog, rule, fixture, upstream, split)
	if err != nil {
		return nil, err
	}
	defer reader.Close()
	if _, err := reader.Header(); err != nil {
		return nil, err
	}
	return readStream(reader)
}

// streamPayloads splits a converted stream into its payloads: SSE events
// (their data lines joined) or NDJSON lines.
func streamPayloads(stream []byte) []string {
	text := string(stream)
	if !strings.HasPrefix(text, "data:") && !strings.HasPrefix(text, "event:") {
		return strings.FieldsFunc(text, func(r rune) bool { return r == '\n' })
	}
	var payloads []string
	for _, event := range strings.Split(text, "\n\n") {
		var data []string
		for _, line := range strings.Split(event, "\n") {
			if strings.HasPrefix(line, "data:") {
				data = append(data, strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
			}
		}
		if data != nil {
			payloads = append(payloads, strings.Join(data, "\n"))
		}
	}
	return payloads
}

func sameJSON(got, want []byte) bool {
	var gotValue, wantValue any
	if json.Unmarshal(got, &gotValue) != nil || json.Unmarshal(want, &wantValue) != nil {
		return false
	}
	return reflect.DeepEqual(gotValue, wantValue)
}

func openCatalog(t testing.TB) *Catalog {
	t.Helper()
	catalog, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { catalog.Close() })
	return catalog
}
