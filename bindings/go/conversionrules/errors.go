package conversionrules

import (
	"encoding/json"
	"errors"
	"fmt"
)

// ErrDropped is returned when an action_if step of the rule drops the
// content: the gateway answers without forwarding it. Test with errors.Is.
var ErrDropped = errors.New("conversionrules: the rule dropped the content (action_if)")

// ErrClosed is returned by a method of a Catalog, Rule or Stream that was
// already closed.
var ErrClosed = errors.New("conversionrules: used after Close")

// Error is a failure the library reports: what went wrong and where. The
// fields other than Status, Kind and Message are set when they are known.
//
//	var failure *conversionrules.Error
//	if errors.As(err, &failure) && failure.Kind == "expression" {
//		log.Printf("%s %s step %d: %s at %s:%d:%d", failure.Rule, failure.Conversion,
//			failure.Step, failure.Code, failure.File, failure.Line, failure.Column)
//	}
type Error struct {
	// Status is the C interface's status: -1 a failed conversion, -2 an
	// invalid argument, -3 no such rule, flavor, service or file.
	Status int `json:"status"`
	// Kind names the failure: invalid_argument, expression, body_not_json,
	// undefined_result, result_not_json, missing_service, stream_finished,
	// stream_too_large, stream_state_too_large, stream_state_<kind>,
	// malformed_config_ref, unknown_flavor, unknown_service, template,
	// unreadable or error.
	Kind string `json:"kind"`
	// Message says what failed and where, in one line.
	Message string `json:"message"`
	// Code is JSONata's error code (T2001, D3001, ...) of a failed expression.
	Code string `json:"code,omitempty"`
	// Rule (FLAVOR:SERVICE) and Conversion (request_from_aog, ...) that
	// failed; the inner hop's for a two-hop conversion.
	Rule       string `json:"rule,omitempty"`
	Conversion string `json:"conversion,omitempty"`
	// Step is the 1-based step of the conversion; 0 when unknown.
	Step int `json:"step,omitempty"`
	// Chunk is the 0-based payload of a stream that failed; nil outside a stream.
	Chunk *int `json:"chunk,omitempty"`
	// File, Line and Column place the failed expression in its template.
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	// Position is the character of the expression where it failed.
	Position int `json:"position,omitempty"`
	// BodyLine and BodyColumn place the byte where a body is not JSON.
	BodyLine   int `json:"body_line,omitempty"`
	BodyColumn int `json:"body_column,omitempty"`
}

// Error returns the library's message.
func (e *Error) Error() string { return e.Message }

// errorFromReport reads the library's error report (a JSON object).
func errorFromReport(report []byte) error {
	if report == nil {
		return &Error{Status: -1, Kind: "error", Message: "the library reported a failure without a report"}
	}
	var failure Error
	if err := json.Unmarshal(report, &failure); err != nil {
		return fmt.Errorf("conversionrules: unreadable error report %q: %w", report, err)
	}
	return &failure
}
