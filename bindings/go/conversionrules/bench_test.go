package conversionrules

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// The benchmark scenarios S1 and S4 of `rulecheck bench`, through this
// package, on the inputs `rulecheck bench --write-inputs DIR` writes
// (CR_BENCH_INPUTS=DIR); Scripts/go-overhead runs both and compares them.

func benchInput(b *testing.B, name string) []byte {
	directory := os.Getenv("CR_BENCH_INPUTS")
	if directory == "" {
		b.Skip("set CR_BENCH_INPUTS to the directory of `rulecheck bench --write-inputs`")
	}
	input, err := os.ReadFile(filepath.Join(directory, name+".input"))
	if err != nil {
		b.Fatal(err)
	}
	return input
}

// S1: ollama:chat request_from_aog on an AOG chat request of 8 messages.
func BenchmarkS1(b *testing.B) {
	input := benchInput(b, "S1")
	rule := takeRule(b, openCatalog(b), "ollama:chat")
	in := Content{Header: map[string][]string{"Content-Type": {"application/json"}}, Body: input}
	variables := map[string]any{"model": "qwen2.5:7b", "stream": true}
	b.SetBytes(int64(len(input)))
	b.ResetTimer()
	for index := 0; index < b.N; index++ {
		if _, err := rule.Convert(context.Background(), RequestFromAOG, in, variables); err != nil {
			b.Fatal(err)
		}
	}
}

// S4: an aliyun SSE stream of 200 chunks to an ollama client, two hops,
// fed in 4 KB pieces.
func BenchmarkS4(b *testing.B) {
	input := benchInput(b, "S4")
	catalog := openCatalog(b)
	route := TwoHop{Client: "ollama", Provider: "aliyun", Service: "chat"}
	header := map[string][]string{"Content-Type": {"text/event-stream"}}
	variables := map[string]any{"id": "1496758371092342337617"}
	b.SetBytes(int64(len(input)))
	b.ResetTimer()
	for index := 0; index < b.N; index++ {
		stream, err := catalog.OpenTwoHopStream(route, header, variables)
		if err != nil {
			b.Fatal(err)
		}
		for start := 0; start < len(input); start += 4096 {
			end := start + 4096
			if end > len(input) {
				end = len(input)
			}
			if _, err := stream.Feed(input[start:end]); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := stream.Finish(); err != nil {
			b.Fatal(err)
		}
		stream.Close()
	}
}
