// Package conversionrules converts the requests, responses and streams of
// a model gateway with the ConversionRules engine: the compiled flavor
// templates (ollama:chat, openai:embed, aliyun:chat, ...) that translate
// between the gateway's own "AOG" schema and each provider's API.
//
// It is a Go API over the library's C interface (conversion_rules.h,
// libConversionRulesC.so), found with pkg-config:
//
//	swift build -c release --product ConversionRulesC
//	export PKG_CONFIG_PATH=$(Scripts/pkg-config release)
//	go test ./...
//
// A Catalog holds the built-in rules and any added template directories
// and plugins; a Rule is one compiled FLAVOR:SERVICE. Both are safe for
// concurrent use by any number of goroutines; a Stream (and the
// StreamReader over it) belongs to one goroutine at a time.
//
// Everything that holds C memory has a Close method, which frees it
// exactly once; call it (usually with defer). A finalizer frees what was
// never closed, as a backstop only.
//
// Errors are *Error values carrying the library's kind, JSONata code, rule,
// conversion, step, stream payload and position; errors.As extracts them.
// A conversion that an action_if step drops returns ErrDropped.
package conversionrules
