package conversionrules

import (
	"context"
	"net/http"
	"runtime"
)

// Rule is one compiled rule (FLAVOR:SERVICE) of a catalog. It is
// immutable and safe for concurrent use by any number of goroutines.
type Rule struct {
	// Info describes the rule: its config_ref, conversions and metadata.
	Info RuleInfo
	guarded[cRule]
}

func newRule(handle cRule, info RuleInfo) *Rule {
	rule := &Rule{Info: info, guarded: guarded[cRule]{handle: handle}}
	runtime.SetFinalizer(rule, (*Rule).Close)
	return rule
}

// Close frees the rule; conversions running on other goroutines finish
// first. Closing twice is harmless.
func (r *Rule) Close() error {
	if r.close(cRule.free) {
		runtime.SetFinalizer(r, nil)
	}
	return nil
}

// Convert runs one of the rule's whole-body conversions (RequestToAOG,
// RequestFromAOG, ResponseToAOG, ResponseFromAOG) on in, with the call's
// variables (e.g. {"model": "qwen3:0.6b", "stream": true}). A drop returns
// ErrDropped; a failure an *Error naming the step and position.
//
//	out, err := rule.Convert(ctx, conversionrules.RequestFromAOG,
//		conversionrules.Content{Body: body}, map[string]any{"model": "qwen3:0.6b"})
func (r *Rule) Convert(ctx context.Context, conversion Conversion, in Content, variables map[string]any) (Content, error) {
	if err := ctx.Err(); err != nil {
		return Content{}, err
	}
	headers, vars, err := arguments(in.Header, variables)
	if err != nil {
		return Content{}, err
	}
	var result Content
	err = r.use(func(handle cRule) error {
		result, err = contentOf(handle.convert(string(conversion), headers, in.Body, vars))
		return err
	})
	return result, err
}

// OpenStream opens one of the rule's stream conversions
// (StreamResponseToAOG or StreamResponseFromAOG); header holds the
// upstream response's headers (their Content-Type selects SSE or NDJSON).
// Close the stream when done.
func (r *Rule) OpenStream(conversion Conversion, header http.Header, variables map[string]any) (*Stream, error) {
	headers, vars, err := arguments(header, variables)
	if err != nil {
		return nil, err
	}
	var stream *Stream
	err = r.use(func(handle cRule) error {
		opened, err := handle.openStream(string(conversion), headers, vars)
		if err == nil {
			stream = newStream(opened)
		}
		return err
	})
	return stream, err
}
