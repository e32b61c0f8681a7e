package conversionrules_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"conversionrules"
)

// A gateway route in a few lines: an OpenAI-style chat endpoint served by
// an Ollama upstream, whole responses and streams, through the built-in
// rules. The stream is converted as the upstream's lines arrive and each
// event is flushed to the client at once.
func Example_handler() {
	catalog, err := conversionrules.Open()
	if err != nil {
		panic(err)
	}
	defer catalog.Close()
	route := conversionrules.TwoHop{Client: "openai", Provider: "ollama", Service: "chat"}

	upstream := httptest.NewServer(http.HandlerFunc(fakeOllama))
	defer upstream.Close()

	handler := func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var call struct {
			Model  string `json:"model"`
			Stream bool   `json:"stream"`
		}
		json.Unmarshal(body, &call)
		request, err := catalog.ConvertTwoHop(r.Context(), route, conversionrules.Request,
			conversionrules.Content{Header: r.Header, Body: body}, map[string]any{"model": call.Model, "stream": call.Stream})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		forward, err := http.NewRequestWithContext(r.Context(), http.MethodPost, upstream.URL+"/api/chat", bytes.NewReader(request.Body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		forward.Header = request.Header
		answer, err := http.DefaultClient.Do(forward)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer answer.Body.Close()
		variables := map[string]any{"id": "chatcmpl-1"}
		if !call.Stream {
			body, _ := io.ReadAll(answer.Body)
			response, err := catalog.ConvertTwoHop(r.Context(), route, conversionrules.Response,
				conversionrules.Content{Header: answer.Header, Body: body}, variables)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			copyHeader(w.Header(), response.Header)
			w.Write(response.Body)
			return
		}
		reader, err := conversionrules.NewTwoHopStreamReader(r.Context(), catalog, route, answer.Header, answer.Body, variables)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer reader.Close()
		header, err := reader.Header()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		copyHeader(w.Header(), header)
		io.Copy(w, reader) // flushes after each converted event
	}
	gateway := httptest.NewServer(http.HandlerFunc(handler))
	defer gateway.Close()

	response, err := http.Post(gateway.URL+"/v1/chat/completions", "application/json",
		strings.NewReader(`{"model":"qwen3:0.6b","stream":true,"messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		panic(err)
	}
	defer response.Body.Close()
	fmt.Println(response.Header.Get("Content-Type"))
	lines := bufio.NewScanner(response.Body)
	for lines.Scan() {
		if !strings.HasPrefix(lines.Text(), "data: ") {
			continue
		}
		data := strings.TrimPrefix(lines.Text(), "data: ")
		var chunk struct {
			Choices []struct {
				Delta        struct{ Content string } `json:"delta"`
				FinishReason *string                  `json:"finish_reason"`
			} `json:"choices"`
		}
		if json.Unmarshal([]byte(data), &chunk) != nil {
			fmt.Println(data)
			continue
		}
		for _, choice := range chunk.Choices {
			fmt.Printf("%q finish=%v\n", choice.Delta.Content, choice.FinishReason != nil)
		}
	}
	// Output:
	// text/event-stream
	// "He" finish=false
	// "llo" finish=true
	// [DONE]
}

// fakeOllama stands in for an Ollama server's /api/chat stream.
func fakeOllama(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	io.WriteString(w, `{"model":"qwen3:0.6b","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"He"},"done":false}
{"model":"qwen3:0.6b","created_at":"2025-01-01T00:00:01Z","message":{"role":"assistant","content":"llo"},"done":true,"done_reason":"stop","prompt_eval_count":3,"eval_count":2}
`)
}

func copyHeader(to, from http.Header) {
	for name, values := range from {
		to[name] = values
	}
}
