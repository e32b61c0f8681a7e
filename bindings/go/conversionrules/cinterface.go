package conversionrules

// This file is the package's only contact with C: thin wrappers over
// conversion_rules.h that take Go values and return Go values. Every C
// buffer a call returns is copied into Go memory and freed here, before
// the wrapper returns; the objects (catalog, rule, stream) are freed by
// their owners' Close methods, through the *Free functions below.

/*
#cgo pkg-config: conversion-rules
#include <stdlib.h>
#include <string.h>
#include <conversion_rules.h>

// Each wrapper below runs one library call and, when it fails, takes the
// calling thread's error report within the same cgo call, so on the same
// OS thread that set it. The message is dropped: the report repeats it.
static char *report_of(int failed, char *message) {
	cr_free(message);
	return failed ? cr_last_error_json() : NULL;
}

static cr_catalog *catalog_open(char **report) {
	char *message = NULL;
	cr_catalog *catalog = cr_catalog_open(&message);
	*report = report_of(catalog == NULL, message);
	return catalog;
}

static int catalog_add_plugin(cr_catalog *catalog, const char *directory, char **report) {
	char *message = NULL;
	int status = cr_catalog_add_plugin(catalog, directory, &message);
	*report = report_of(status < 0, message);
	return status;
}

static cr_rule *rule_get(const cr_catalog *catalog, const char *reference, char **report) {
	char *message = NULL;
	cr_rule *rule = cr_rule_get(catalog, reference, &message);
	*report = report_of(rule == NULL, message);
	return rule;
}

static int convert(const cr_rule *rule, const char *conversion, const char *headers, const uint8_t *body,
                   size_t length, const char *variables, cr_output *output, char **report) {
	char *message = NULL;
	int status = cr_convert(rule, conversion, headers, body, length, variables, output, &message);
	*report = report_of(status < 0, message);
	return status;
}

static int convert_two_hop(const cr_catalog *catalog, const char *client, const char *provider, const char *service,
                           const char *kind, const char *headers, const uint8_t *body, size_t length,
                           const char *variables, cr_output *output, char **report) {
	char *message = NULL;
	int status = cr_convert_two_hop(catalog, client, provider, service, kind, headers, body, length, variables,
	                                output, &message);
	*report = report_of(status < 0, message);
	return status;
}

static cr_stream *stream_open(const cr_rule *rule, const char *conversion, const char *headers,
                              const char *variables, char **report) {
	char *message = NULL;
	cr_stream *stream = cr_stream_open(rule, conversion, headers, variables, &message);
	*report = report_of(stream == NULL, message);
	return stream;
}

static cr_stream *stream_open_two_hop(const cr_catalog *catalog, const char *client, const char *provider,
                                      const char *service, const char *headers, const char *variables,
                                      char **report) {
	char *message = NULL;
	cr_stream *stream = cr_stream_open_two_hop(catalog, client, provider, service, headers, variables, &message);
	*report = report_of(stream == NULL, message);
	return stream;
}

static int stream_feed(cr_stream *stream, const uint8_t *bytes, size_t length, uint8_t **output,
                       size_t *output_length, char **report) {
	char *message = NULL;
	int status = cr_stream_feed(stream, bytes, length, output, output_length, &message);
	*report = report_of(status < 0, message);
	return status;
}

static int stream_finish(cr_stream *stream, uint8_t **output, size_t *output_length, char **report) {
	char *message = NULL;
	int status = cr_stream_finish(stream, output, output_length, &message);
	*report = report_of(status < 0, message);
	return status;
}
*/
import "C"

import (
	"unsafe"
)

// cCatalog, cRule and cStream hold the library's objects; their owners
// (Catalog, Rule, Stream) free each exactly once.
type cCatalog struct{ pointer *C.cr_catalog }
type cRule struct{ pointer *C.cr_rule }
type cStream struct{ pointer *C.cr_stream }

// cStrings holds C copies of Go strings for one call; free releases them.
type cStrings []*C.char

func (s *cStrings) add(text string) *C.char {
	copied := C.CString(text)
	*s = append(*s, copied)
	return copied
}

// addOptional gives NULL for an empty text (the library's "none").
func (s *cStrings) addOptional(text []byte) *C.char {
	if len(text) == 0 {
		return nil
	}
	return s.add(string(text))
}

// free has a pointer receiver so that `defer strings.free()` frees the
// strings added after the defer statement too.
func (s *cStrings) free() {
	for _, text := range *s {
		C.free(unsafe.Pointer(text))
	}
}

// takeString copies a string the library returned and frees it.
func takeString(text *C.char) []byte {
	if text == nil {
		return nil
	}
	defer C.cr_free(unsafe.Pointer(text))
	return C.GoBytes(unsafe.Pointer(text), C.int(C.strlen(text)))
}

// takeBytes copies a buffer the library returned and frees it.
func takeBytes(bytes *C.uint8_t, length C.size_t) []byte {
	if bytes == nil {
		return nil
	}
	defer C.cr_free(unsafe.Pointer(bytes))
	return C.GoBytes(unsafe.Pointer(bytes), C.int(length))
}

// takeReport turns a report the library returned into an *Error.
func takeReport(report *C.char) error {
	return errorFromReport(takeString(report))
}

// bodyPointer points at a Go slice's bytes for the length of one call (a
// []byte holds no Go pointers, so cgo allows it).
func bodyPointer(body []byte) *C.uint8_t {
	if len(body) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(&body[0]))
}

// rawOutput is a conversion's result before its headers are parsed.
type rawOutput struct {
	headers []byte
	body    []byte
}

func takeOutput(output *C.cr_output) rawOutput {
	defer C.cr_output_clear(output)
	return rawOutput{
		headers: C.GoBytes(unsafe.Pointer(output.headers_json), C.int(C.strlen(output.headers_json))),
		body:    C.GoBytes(unsafe.Pointer(output.body), C.int(output.body_length)),
	}
}

// conversionResult takes what a conversion call left: its report on a
// failure, its output when it converted (a drop has neither).
func conversionResult(status int, output *C.cr_output, report *C.char) (int, rawOutput, error) {
	if status < 0 {
		return status, rawOutput{}, takeReport(report)
	}
	if status != statusOK {
		return status, rawOutput{}, nil
	}
	return status, takeOutput(output), nil
}

const (
	statusOK      = int(C.CR_OK)
	statusDropped = int(C.CR_DROPPED)
	statusError   = int(C.CR_ERROR)
)

func catalogOpen() (cCatalog, error) {
	var report *C.char
	pointer := C.catalog_open(&report)
	if pointer == nil {
		return cCatalog{}, takeReport(report)
	}
	return cCatalog{pointer}, nil
}

func (c cCatalog) free() { C.cr_catalog_free(c.pointer) }

// addTemplates returns the status and the diagnostics as JSON.
func (c cCatalog) addTemplates(directory string) (int, []byte) {
	var strings cStrings
	defer strings.free()
	var diagnostics *C.char
	status := C.cr_catalog_add_templates(c.pointer, strings.add(directory), &diagnostics)
	return int(status), takeString(diagnostics)
}

func (c cCatalog) addPlugin(directory string) error {
	var strings cStrings
	defer strings.free()
	var report *C.char
	if C.catalog_add_plugin(c.pointer, strings.add(directory), &report) < 0 {
		return takeReport(report)
	}
	return nil
}

func (c cCatalog) list() []byte { return takeString(C.cr_catalog_list(c.pointer)) }

func (c cCatalog) rule(reference string) (cRule, error) {
	var strings cStrings
	defer strings.free()
	var report *C.char
	pointer := C.rule_get(c.pointer, strings.add(reference), &report)
	if pointer == nil {
		return cRule{}, takeReport(report)
	}
	return cRule{pointer}, nil
}

func (c cCatalog) convertTwoHop(route TwoHop, kind string, headers, body, variables []byte) (int, rawOutput, error) {
	var strings cStrings
	defer strings.free()
	var output C.cr_output
	var report *C.char
	status := int(C.convert_two_hop(c.pointer, strings.add(route.Client), strings.add(route.Provider),
		strings.add(route.Service), strings.add(kind), strings.addOptional(headers), bodyPointer(body),
		C.size_t(len(body)), strings.addOptional(variables), &output, &report))
	return conversionResult(status, &output, report)
}

func (c cCatalog) openTwoHopStream(route TwoHop, headers, variables []byte) (cStream, error) {
	var strings cStrings
	defer strings.free()
	var report *C.char
	pointer := C.stream_open_two_hop(c.pointer, strings.add(route.Client), strings.add(route.Provider),
		strings.add(route.Service), strings.addOptional(headers), strings.addOptional(variables), &report)
	if pointer == nil {
		return cStream{}, takeReport(report)
	}
	return cStream{pointer}, nil
}

func (r cRule) free() { C.cr_rule_free(r.pointer) }

func (r cRule) convert(conversion string, headers, body, variables []byte) (int, rawOutput, error) {
	var strings cStrings
	defer strings.free()
	var output C.cr_output
	var report *C.char
	status := int(C.convert(r.pointer, strings.add(conversion), strings.addOptional(headers), bodyPointer(body),
		C.size_t(len(body)), strings.addOptional(variables), &output, &report))
	return conversionResult(status, &output, report)
}

func (r cRule) openStream(conversion string, headers, variables []byte) (cStream, error) {
	var strings cStrings
	defer strings.free()
	var report *C.char
	pointer := C.stream_open(r.pointer, strings.add(conversion), strings.addOptional(headers),
		strings.addOptional(variables), &report)
	if pointer == nil {
		return cStream{}, takeReport(report)
	}
	return cStream{pointer}, nil
}

func (s cStream) free() { C.cr_stream_free(s.pointer) }

func (s cStream) feed(input []byte) ([]byte, error) {
	var output *C.uint8_t
	var length C.size_t
	var report *C.char
	if C.stream_feed(s.pointer, bodyPointer(input), C.size_t(len(input)), &output, &length, &report) < 0 {
		return nil, takeReport(report)
	}
	return takeBytes(output, length), nil
}

func (s cStream) finish() ([]byte, error) {
	var output *C.uint8_t
	var length C.size_t
	var report *C.char
	if C.stream_finish(s.pointer, &output, &length, &report) < 0 {
		return nil, takeReport(report)
	}
	return takeBytes(output, length), nil
}

func (s cStream) headers() []byte { return takeString(C.cr_stream_headers(s.pointer)) }
