package conversionrules

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"conversionrules/internal/cmemory"
)

var chatRequest = []byte(`{"messages":[{"role":"user","content":"hi"}],"max_tokens":5}`)

const ollamaLines = `{"model":"qwen3:0.6b","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"He"},"done":false}
{"model":"qwen3:0.6b","created_at":"2025-01-01T00:00:01Z","message":{"role":"assistant","content":"llo"},"done":true,"done_reason":"stop"}
`

func ndjson() map[string][]string {
	return map[string][]string{"Content-Type": {"application/x-ndjson"}}
}

func takeRule(t testing.TB, catalog *Catalog, reference string) *Rule {
	t.Helper()
	rule, err := catalog.Rule(reference)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rule.Close() })
	return rule
}

func acmeCatalog(t *testing.T) *Catalog {
	t.Helper()
	catalog := openCatalog(t)
	diagnostics, err := catalog.AddTemplates("testdata/templates")
	if err != nil {
		t.Fatalf("%v %v", err, diagnostics)
	}
	return catalog
}

func TestARuleKnowsItsMetadata(t *testing.T) {
	rule := takeRule(t, openCatalog(t), "ollama:chat")
	if rule.Info.Rule != "ollama:chat" || len(rule.Info.Conversions) != 6 || rule.Info.DefaultModel == "" {
		t.Errorf("info: %+v", rule.Info)
	}
}

func TestTwoHopRequestAndResponse(t *testing.T) {
	catalog := openCatalog(t)
	route := TwoHop{Client: "openai", Provider: "ollama", Service: "chat"}
	request, err := catalog.ConvertTwoHop(context.Background(), route, Request,
		Content{Header: map[string][]string{"Content-Type": {"application/json"}},
			Body: []byte(`{"model":"qwen3:0.6b","messages":[{"role":"user","content":"hi"}],"max_tokens":5}`)},
		map[string]any{"model": "qwen3:0.6b", "stream": false})
	if err != nil {
		t.Fatal(err)
	}
	if !sameJSON(request.Body, []byte(`{"model":"qwen3:0.6b","stream":false,"messages":[{"role":"user","content":"hi"}],"options":{"num_predict":5}}`)) {
		t.Errorf("request: %s", request.Body)
	}
	if request.Header.Get("content-type") != "application/json" {
		t.Errorf("request headers: %v", request.Header)
	}
	response, err := catalog.ConvertTwoHop(context.Background(), route, Response,
		Content{Body: []byte(`{"model":"qwen3:0.6b","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"Hello"},"done":true,"done_reason":"stop"}`)},
		map[string]any{"id": "chatcmpl-1"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(response.Body, []byte(`"object":"chat.completion"`)) || !bytes.Contains(response.Body, []byte(`"content":"Hello"`)) {
		t.Errorf("response: %s", response.Body)
	}
}

func TestErrorsCarryTheirPlace(t *testing.T) {
	catalog := acmeCatalog(t)
	rule := takeRule(t, catalog, "acme:chat")
	_, err := rule.Convert(context.Background(), RequestFromAOG, Content{Body: []byte(`{"count": "many"}`)}, nil)
	var failure *Error
	if !errors.As(err, &failure) {
		t.Fatalf("want an *Error, got %T %v", err, err)
	}
	want := Error{Status: -1, Kind: "expression", Code: "D3030", Rule: "acme:chat", Conversion: "request_from_aog", Step: 2,
		File: "acme.yaml", Line: 12, Column: 67}
	if failure.Kind != want.Kind || failure.Code != want.Code || failure.Rule != want.Rule || failure.Conversion != want.Conversion ||
		failure.Step != want.Step || filepath.Base(failure.File) != want.File || failure.Line != want.Line ||
		failure.Status != want.Status || failure.Chunk != nil {
		t.Errorf("got %+v\nwant %+v", *failure, want)
	}
	if !strings.Contains(failure.Error(), "acme:chat request_from_aog step 2: D3030") {
		t.Errorf("message: %s", failure.Error())
	}

	_, err = rule.Convert(context.Background(), RequestFromAOG, Content{Body: []byte("{\n  \"count\": 1,,\n}")}, nil)
	if !errors.As(err, &failure) || failure.Kind != "body_not_json" || failure.BodyLine != 2 || failure.BodyColumn != 14 {
		t.Errorf("body not JSON: %+v", err)
	}

	_, err = catalog.Rule("nosuch:chat")
	if !errors.As(err, &failure) || failure.Kind != "unknown_flavor" || failure.Status != -3 {
		t.Errorf("unknown flavor: %+v", err)
	}
	_, err = rule.Convert(context.Background(), "request_sideways", Content{}, nil)
	if !errors.As(err, &failure) || failure.Kind != "invalid_argument" || failure.Status != -2 {
		t.Errorf("unknown conversion: %+v", err)
	}
}

func TestAStreamErrorNamesItsPayload(t *testing.T) {
	rule := takeRule(t, acmeCatalog(t), "acme:chat")
	upstream := "{\"delta\": \"a\", \"done\": false}\n{\"delta\": \"b\", \"done\": false}\n{\"delta\": {\"x\": 1}, \"done\": true}\n"
	reader, err := NewStreamReader(context.Background(), rule, StreamResponseToAOG, ndjson(), strings.NewReader(upstream), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	output, err := io.ReadAll(reader)
	if payloads := streamPayloads(output); len(payloads) != 2 {
		t.Errorf("the payloads before the failure come first: %q", payloads)
	}
	var failure *Error
	if !errors.As(err, &failure) || failure.Chunk == nil || *failure.Chunk != 2 || failure.Rule != "acme:chat" {
		t.Fatalf("got %+v", err)
	}
}

func TestADropIsErrDropped(t *testing.T) {
	rule := takeRule(t, acmeCatalog(t), "acme:chat")
	_, err := rule.Convert(context.Background(), RequestFromAOG, Content{Body: []byte(`{"note": "drop me"}`)}, nil)
	if !errors.Is(err, ErrDropped) {
		t.Errorf("got %v", err)
	}
}

func TestTemplateDiagnosticsArePlaced(t *testing.T) {
	directory := t.TempDir()
	broken := "version: \"v0.1\"\nname: broken\nservices:\n  chat:\n    request_from_aog:\n      conversion:\n        - converter: jsonata\n          config: '{\"a\": '\n"
	if err := os.WriteFile(filepath.Join(directory, "broken.yaml"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	catalog := openCatalog(t)
	diagnostics, err := catalog.AddTemplates(directory)
	var failure *Error
	if !errors.As(err, &failure) || failure.Kind != "template" || failure.Line != 8 || len(diagnostics) == 0 {
		t.Fatalf("got %v %v", err, diagnostics)
	}
	if got := diagnostics[0].String(); !strings.HasSuffix(filepath.Dir(diagnostics[0].File), filepath.Base(directory)) ||
		!strings.Contains(got, "broken.yaml:8:") || !strings.Contains(got, "error: S0") {
		t.Errorf("diagnostic: %s", got)
	}
	fixed := strings.Replace(broken, `'{"a": '`, `'{"a": 1}'`, 1)
	if err := os.WriteFile(filepath.Join(directory, "broken.yaml"), []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := catalog.Reload(); err != nil {
		t.Fatalf("reload: %v", err)
	}
	rule := takeRule(t, catalog, "broken:chat")
	if output, err := rule.Convert(context.Background(), RequestFromAOG, Content{Body: []byte(`{}`)}, nil); err != nil || string(output.Body) != `{"a":1}` {
		t.Errorf("reloaded rule: %s %v", output.Body, err)
	}
	if _, err := catalog.AddTemplates(filepath.Join(directory, "missing")); !errors.As(err, &failure) || failure.Kind != "unreadable" {
		t.Errorf("missing directory: %v", err)
	}
}

func TestUseAfterCloseIsErrClosed(t *testing.T) {
	catalog := openCatalog(t)
	rule := takeRule(t, catalog, "ollama:chat")
	catalog.Close()
	if _, err := rule.Convert(context.Background(), RequestFromAOG, Content{Body: chatRequest}, nil); err != nil {
		t.Errorf("a rule outlives its catalog: %v", err)
	}
	rule.Close()
	rule.Close()
	if _, err := rule.Convert(context.Background(), RequestFromAOG, Content{Body: chatRequest}, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("got %v", err)
	}
	if _, err := catalog.Rule("ollama:chat"); !errors.Is(err, ErrClosed) {
		t.Errorf("got %v", err)
	}
}

func TestCancellingTheContextEndsAStream(t *testing.T) {
	catalog := openCatalog(t)
	ctx, cancel := context.WithCancel(context.Background())
	upstreamReader, upstreamWriter := io.Pipe()
	reader, err := NewTwoHopStreamReader(ctx, catalog, TwoHop{Client: "openai", Provider: "ollama", Service: "chat"},
		ndjson(), upstreamReader, map[string]any{"id": "chatcmpl-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	go upstreamWriter.Write([]byte(strings.SplitAfter(ollamaLines, "\n")[0]))
	first := make([]byte, 4096)
	if count, err := reader.Read(first); err != nil || !bytes.HasPrefix(first[:count], []byte("data: ")) {
		t.Fatalf("first event: %q %v", first[:count], err)
	}
	// The next Read blocks on the upstream until the context is cancelled.
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := io.ReadAll(reader); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
	if _, err := upstreamWriter.Write([]byte("x")); err == nil {
		t.Errorf("the upstream was not closed")
	}
}

func TestThePushFormEqualsTheReader(t *testing.T) {
	catalog := openCatalog(t)
	route := TwoHop{Client: "openai", Provider: "ollama", Service: "chat"}
	stream, err := catalog.OpenTwoHopStream(route, ndjson(), map[string]any{"id": "chatcmpl-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	var pushed []byte
	for _, piece := range []string{ollamaLines[:7], ollamaLines[7:130], ollamaLines[130:]} {
		output, err := stream.Feed([]byte(piece))
		if err != nil {
			t.Fatal(err)
		}
		pushed = append(pushed, output...)
	}
	last, err := stream.Finish()
	if err != nil {
		t.Fatal(err)
	}
	pushed = append(pushed, last...)
	header, _ := stream.Header()
	reader, err := NewTwoHopStreamReader(context.Background(), catalog, route, ndjson(), strings.NewReader(ollamaLines),
		map[string]any{"id": "chatcmpl-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	var written bytes.Buffer
	if _, err := io.Copy(&written, reader); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pushed, written.Bytes()) || len(streamPayloads(pushed)) != 3 || header.Get("Content-Type") != "text/event-stream" {
		t.Errorf("pushed %q\nread %q\nheader %v", pushed, written.Bytes(), header)
	}
	if _, err := stream.Feed([]byte("{}\n")); err == nil {
		t.Errorf("feeding a finished stream must fail")
	}
}

// One rule shared by 64 goroutines, each converting requests and streams
// with its own variables and checking that it gets its own results.
func TestSixtyFourGoroutinesShareOneRule(t *testing.T) {
	catalog := openCatalog(t)
	rule := takeRule(t, catalog, "ollama:chat")
	var group sync.WaitGroup
	failures := make(chan string, 64)
	for worker := 0; worker < 64; worker++ {
		group.Add(1)
		go func(worker int) {
			defer group.Done()
			for iteration := 0; iteration < 50; iteration++ {
				model := fmt.Sprintf("model-%d-%d", worker, iteration)
				output, err := rule.Convert(context.Background(), RequestFromAOG, Content{Body: chatRequest},
					map[string]any{"model": model, "stream": true})
				if err != nil || !bytes.Contains(output.Body, []byte(`"model":"`+model+`"`)) {
					failures <- fmt.Sprintf("%s: %s %v", model, output.Body, err)
					return
				}
				reader, err := NewStreamReader(context.Background(), rule, StreamResponseToAOG, ndjson(),
					strings.NewReader(strings.ReplaceAll(ollamaLines, "qwen3:0.6b", model)), nil)
				if err != nil {
					failures <- err.Error()
					return
				}
				streamed, err := io.ReadAll(reader)
				reader.Close()
				if err != nil || bytes.Count(streamed, []byte(model)) != 2 {
					failures <- fmt.Sprintf("%s stream: %q %v", model, streamed, err)
					return
				}
			}
		}(worker)
	}
	group.Wait()
	close(failures)
	for failure := range failures {
		t.Error(failure)
	}
}

// 10,000 conversions and 2,000 streams, half of them abandoned midway
// (closed before their end) and some never closed at all (left to the
// finalizer): the C heap must not grow with them.
func TestNothingLeaks(t *testing.T) {
	catalog := openCatalog(t)
	rule := takeRule(t, catalog, "ollama:chat")
	route := TwoHop{Client: "openai", Provider: "ollama", Service: "chat"}
	round := func(conversions, streams int) {
		for index := 0; index < conversions; index++ {
			if _, err := rule.Convert(context.Background(), RequestFromAOG, Content{Body: chatRequest},
				map[string]any{"model": "m", "stream": false}); err != nil {
				t.Fatal(err)
			}
			rule.Convert(context.Background(), ResponseToAOG, Content{Body: []byte(`{"broken`)}, nil)
		}
		for index := 0; index < streams; index++ {
			reader, err := NewTwoHopStreamReader(context.Background(), catalog, route, ndjson(),
				strings.NewReader(ollamaLines), map[string]any{"id": "chatcmpl-1"})
			if err != nil {
				t.Fatal(err)
			}
			reader.Read(make([]byte, 16))
			switch index % 3 {
			case 0:
				reader.Close()
			case 1:
				io.ReadAll(reader)
				reader.Close()
			}
		}
		runtime.GC()
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	round(1000, 200)
	before := cmemory.InUse()
	round(10000, 2000)
	growth := cmemory.InUse() - before
	t.Logf("C heap growth over 10,000 conversions and 2,000 streams: %d bytes", growth)
	// About 20 bytes per call: a leak of one small string per call is more.
	if growth > 256<<10 {
		t.Errorf("the C heap grew by %d bytes", growth)
	}
}
