// Converts requests, responses and streams through the C interface from 8
// goroutines at once, as the Go gateway would, and checks every result.
package main

/*
#cgo pkg-config: conversion-rules
#include <stdlib.h>
#include <conversion_rules.h>
*/
import "C"

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"unsafe"
)

func convert(rule *C.cr_rule, conversion, body, variables string) (string, error) {
	cConversion := C.CString(conversion)
	defer C.free(unsafe.Pointer(cConversion))
	cBody := C.CString(body)
	defer C.free(unsafe.Pointer(cBody))
	cVariables := C.CString(variables)
	defer C.free(unsafe.Pointer(cVariables))
	var output C.cr_output
	var cError *C.char
	status := C.cr_convert(rule, cConversion, nil, (*C.uint8_t)(unsafe.Pointer(cBody)), C.size_t(len(body)), cVariables, &output, &cError)
	defer C.cr_output_clear(&output)
	defer C.cr_free(unsafe.Pointer(cError))
	if status != C.CR_OK {
		return "", fmt.Errorf("status %d: %s", int(status), C.GoString(cError))
	}
	return C.GoStringN((*C.char)(unsafe.Pointer(output.body)), C.int(output.body_length)), nil
}

func stream(catalog *C.cr_catalog, id string) (string, error) {
	client, provider, service := C.CString("ollama"), C.CString("openai"), C.CString("chat")
	defer C.free(unsafe.Pointer(client))
	defer C.free(unsafe.Pointer(provider))
	defer C.free(unsafe.Pointer(service))
	headers := C.CString(`{"Content-Type":"text/event-stream"}`)
	defer C.free(unsafe.Pointer(headers))
	variables := C.CString(fmt.Sprintf(`{"id":%q}`, id))
	defer C.free(unsafe.Pointer(variables))
	var cError *C.char
	handle := C.cr_stream_open_two_hop(catalog, client, provider, service, headers, variables, &cError)
	if handle == nil {
		defer C.cr_free(unsafe.Pointer(cError))
		return "", fmt.Errorf("open: %s", C.GoString(cError))
	}
	defer C.cr_stream_free(handle)
	input := "data: {\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\"" + id + "\"},\"finish_reason\":null}]}\n\ndata: [DONE]\n\n"
	cInput := C.CString(input)
	defer C.free(unsafe.Pointer(cInput))
	var out *C.uint8_t
	var outLength C.size_t
	if C.cr_stream_feed(handle, (*C.uint8_t)(unsafe.Pointer(cInput)), C.size_t(len(input)), &out, &outLength, &cError) != C.CR_OK {
		defer C.cr_free(unsafe.Pointer(cError))
		return "", fmt.Errorf("feed: %s", C.GoString(cError))
	}
	result := C.GoStringN((*C.char)(unsafe.Pointer(out)), C.int(outLength))
	C.cr_free(unsafe.Pointer(out))
	if C.cr_stream_finish(handle, &out, &outLength, &cError) != C.CR_OK {
		defer C.cr_free(unsafe.Pointer(cError))
		return "", fmt.Errorf("finish: %s", C.GoString(cError))
	}
	result += C.GoStringN((*C.char)(unsafe.Pointer(out)), C.int(outLength))
	C.cr_free(unsafe.Pointer(out))
	return result, nil
}

func main() {
	var cError *C.char
	catalog := C.cr_catalog_open(&cError)
	if catalog == nil {
		fmt.Fprintln(os.Stderr, "cr_catalog_open:", C.GoString(cError))
		os.Exit(1)
	}
	defer C.cr_catalog_free(catalog)
	reference := C.CString("ollama:chat")
	defer C.free(unsafe.Pointer(reference))
	rule := C.cr_rule_get(catalog, reference, &cError)
	if rule == nil {
		fmt.Fprintln(os.Stderr, "cr_rule_get:", C.GoString(cError))
		os.Exit(1)
	}
	defer C.cr_rule_free(rule)

	var failures sync.Map
	var wait sync.WaitGroup
	for worker := 0; worker < 8; worker++ {
		wait.Add(1)
		go func(worker int) {
			defer wait.Done()
			for iteration := 0; iteration < 200; iteration++ {
				model := fmt.Sprintf("model-%d-%d", worker, iteration)
				body, err := convert(rule, "request_from_aog", `{"messages":[{"role":"user","content":"hi"}],"max_tokens":5}`,
					fmt.Sprintf(`{"model":%q,"stream":true}`, model))
				want := fmt.Sprintf(`{"model":%q,"stream":true,"messages":[{"role":"user","content":"hi"}],"options":{"num_predict":5}}`, model)
				if err != nil || body != want {
					failures.Store(fmt.Sprintf("request %s", model), fmt.Sprintf("%v %s", err, body))
				}
				out, err := stream(catalog, model)
				if err != nil || !strings.Contains(out, `"content":"`+model+`"`) || strings.Contains(out, "[DONE]") {
					failures.Store(fmt.Sprintf("stream %s", model), fmt.Sprintf("%v %q", err, out))
				}
			}
		}(worker)
	}
	wait.Wait()
	failed := 0
	failures.Range(func(key, value any) bool {
		if failed < 5 {
			fmt.Fprintln(os.Stderr, "FAIL", key, value)
		}
		failed++
		return true
	})
	fmt.Printf("go interface: %d passed, %d failed\n", 8*200*2-failed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}
