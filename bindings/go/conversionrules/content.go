package conversionrules

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Content is what a conversion reads and writes: HTTP headers and a body.
type Content struct {
	Header http.Header
	Body   []byte
}

// Conversion names one of a rule's six conversions.
type Conversion string

// The conversions of a rule: a client's request to the gateway's AOG
// schema and from it to a provider, and the same for responses and
// streamed responses.
const (
	RequestToAOG          Conversion = "request_to_aog"
	RequestFromAOG        Conversion = "request_from_aog"
	ResponseToAOG         Conversion = "response_to_aog"
	ResponseFromAOG       Conversion = "response_from_aog"
	StreamResponseToAOG   Conversion = "stream_response_to_aog"
	StreamResponseFromAOG Conversion = "stream_response_from_aog"
)

// TwoHop names a conversion between a client flavor and a provider flavor
// through the AOG schema, as a gateway does it: a request goes client ->
// AOG -> provider, a response provider -> AOG -> client.
type TwoHop struct {
	Client   string // the flavor the client speaks, e.g. "openai"
	Provider string // the flavor of the provider, e.g. "ollama"
	Service  string // e.g. "chat", "embed", "models"
}

// Kind is the direction of a two-hop conversion.
type Kind string

const (
	Request  Kind = "request"  // client -> provider
	Response Kind = "response" // provider -> client
)

// headersJSON writes headers as the C interface reads them: a JSON object
// of header name to its values.
func headersJSON(header http.Header) ([]byte, error) {
	if len(header) == 0 {
		return nil, nil
	}
	return json.Marshal(map[string][]string(header))
}

// headersFromJSON reads the C interface's headers (name to a string or to
// an array of strings); names are canonicalized as net/http does.
func headersFromJSON(text []byte) (http.Header, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(text, &fields); err != nil {
		return nil, fmt.Errorf("conversionrules: unreadable headers %q: %w", text, err)
	}
	header := make(http.Header, len(fields))
	for name, raw := range fields {
		var one string
		if json.Unmarshal(raw, &one) == nil {
			header.Add(name, one)
			continue
		}
		var several []string
		if err := json.Unmarshal(raw, &several); err != nil {
			return nil, fmt.Errorf("conversionrules: header %s: %w", name, err)
		}
		for _, value := range several {
			header.Add(name, value)
		}
	}
	return header, nil
}

// variablesJSON writes a call's variables as a JSON object.
func variablesJSON(variables map[string]any) ([]byte, error) {
	if len(variables) == 0 {
		return nil, nil
	}
	text, err := json.Marshal(variables)
	if err != nil {
		return nil, fmt.Errorf("conversionrules: variables are not JSON: %w", err)
	}
	return text, nil
}

// arguments encodes a call's headers and variables.
func arguments(header http.Header, variables map[string]any) (headers, vars []byte, err error) {
	if headers, err = headersJSON(header); err != nil {
		return nil, nil, err
	}
	vars, err = variablesJSON(variables)
	return headers, vars, err
}

// contentOf turns a conversion's status and output into its Go result.
func contentOf(status int, output rawOutput, err error) (Content, error) {
	if err != nil {
		return Content{}, err
	}
	if status == statusDropped {
		return Content{}, ErrDropped
	}
	header, err := headersFromJSON(output.headers)
	if err != nil {
		return Content{}, err
	}
	return Content{Header: header, Body: output.body}, nil
}
