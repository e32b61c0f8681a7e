/* Converts a request, a response and a stream through the C interface and
   checks the results; with an argument N, repeats everything N times (for
   the leak check under valgrind). Exit status 0 when every check passes. */
#include <conversion_rules.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures = 0;

static void check(int condition, const char *what, const char *detail) {
    if (!condition) {
        fprintf(stderr, "FAIL %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
        failures++;
    }
}

static int contains(const uint8_t *bytes, size_t length, const char *text) {
    size_t text_length = strlen(text);
    for (size_t i = 0; i + text_length <= length; i++) {
        if (memcmp(bytes + i, text, text_length) == 0) return 1;
    }
    return 0;
}

static void run_once(cr_catalog *catalog) {
    char *error = NULL;
    cr_rule *rule = cr_rule_get(catalog, "ollama:chat", &error);
    check(rule != NULL, "cr_rule_get ollama:chat", error);
    cr_free(error);
    error = NULL;

    /* A request: AOG -> Ollama. */
    const char *request = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.5}";
    cr_output output = {0};
    int status = cr_convert(rule, "request_from_aog", "{\"Content-Type\":\"application/json\"}",
                            (const uint8_t *)request, strlen(request), "{\"model\":\"qwen3:0.6b\",\"stream\":false}", &output, &error);
    check(status == CR_OK, "cr_convert request_from_aog", error);
    check(status == CR_OK && contains(output.body, output.body_length, "\"options\":{\"temperature\":0.5}"), "request body", NULL);
    check(status == CR_OK && output.headers_json && strstr(output.headers_json, "application/json"), "request headers", output.headers_json);
    cr_output_clear(&output);
    cr_free(error);
    error = NULL;

    /* A response: Ollama provider -> OpenAI client. */
    const char *response = "{\"model\":\"qwen3:0.6b\",\"created_at\":\"2025-03-11T06:38:36.134Z\",\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"done\":true,\"done_reason\":\"stop\"}";
    status = cr_convert_two_hop(catalog, "openai", "ollama", "chat", "response", NULL, (const uint8_t *)response, strlen(response),
                                "{\"id\":\"chatcmpl-1\"}", &output, &error);
    check(status == CR_OK, "cr_convert_two_hop response", error);
    check(status == CR_OK && contains(output.body, output.body_length, "\"object\":\"chat.completion\""), "response body", NULL);
    check(status == CR_OK && contains(output.body, output.body_length, "\"created\":1741675116"), "response created", NULL);
    cr_output_clear(&output);
    cr_free(error);
    error = NULL;

    /* A provider's timestamp beyond the dates (nanoseconds, 1e300) is an error, never a crash. */
    const char *far_future = "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1e16,\"model\":\"m\","
                             "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}";
    cr_rule *openai_chat = cr_rule_get(catalog, "openai:chat", &error);
    check(openai_chat != NULL, "cr_rule_get openai:chat", error);
    status = cr_convert(openai_chat, "response_to_aog", NULL, (const uint8_t *)far_future, strlen(far_future), NULL, &output, &error);
    check(status == CR_ERROR && error && strstr(error, "D3150"), "a created of 1e16 is a D3150 error", error);
    /* The same error as fields, for bindings. */
    char *report = cr_last_error_json();
    check(report && strstr(report, "\"kind\":\"expression\"") && strstr(report, "\"code\":\"D3150\"")
              && strstr(report, "\"rule\":\"openai:chat\"") && strstr(report, "\"conversion\":\"response_to_aog\"")
              && strstr(report, "\"status\":-1") && strstr(report, "\"line\":"),
          "cr_last_error_json reports the D3150 error's fields", report);
    cr_free(report);
    cr_output_clear(&output);
    cr_free(error);
    error = NULL;
    cr_rule_free(openai_chat);

    /* A drop, and an error with its position. */
    status = cr_convert(rule, "request_from_aog", NULL, (const uint8_t *)"{\"messages\": [}", 15, NULL, &output, &error);
    check(status == CR_ERROR && error && strstr(error, "line 1, column 15"), "error names the position", error);
    cr_free(error);
    error = NULL;

    /* A stream: OpenAI SSE provider -> Ollama client, fed in two pieces. */
    cr_stream *stream = cr_stream_open_two_hop(catalog, "ollama", "openai", "chat", "{\"Content-Type\":\"text/event-stream\"}",
                                               "{\"id\":\"s-1\"}", &error);
    check(stream != NULL, "cr_stream_open_two_hop", error);
    cr_free(error);
    error = NULL;
    const char *events = "data: {\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\ndata: [DO";
    const char *rest = "NE]\n\n";
    uint8_t *out = NULL;
    size_t out_length = 0;
    status = cr_stream_feed(stream, (const uint8_t *)events, strlen(events), &out, &out_length, &error);
    check(status == CR_OK && contains(out, out_length, "{\"model\":\"gpt-4o\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n"), "stream feed", error);
    cr_free(out);
    status = cr_stream_feed(stream, (const uint8_t *)rest, strlen(rest), &out, &out_length, &error);
    check(status == CR_OK && out_length == 0, "stream drops [DONE]", error);
    cr_free(out);
    status = cr_stream_finish(stream, &out, &out_length, &error);
    check(status == CR_OK, "stream finish", error);
    cr_free(out);
    out = NULL;
    status = cr_stream_feed(stream, (const uint8_t *)events, strlen(events), &out, &out_length, &error);
    check(status == CR_INVALID_ARGUMENT && out == NULL && error && strstr(error, "after cr_stream_finish"), "feeding a finished stream", error);
    cr_free(error);
    error = NULL;
    char *headers = cr_stream_headers(stream);
    check(headers && strstr(headers, "application/x-ndjson"), "stream headers", headers);
    cr_free(headers);
    cr_stream_free(stream);
    cr_free(error);
    error = NULL;

    /* Listing and unknown rules. */
    char *list = cr_catalog_list(catalog);
    check(list && strstr(list, "\"rule\":\"aliyun:embed\""), "cr_catalog_list", NULL);
    cr_free(list);
    cr_rule *missing = cr_rule_get(catalog, "nothing:chat", &error);
    check(missing == NULL && error && strstr(error, "no flavor 'nothing'"), "unknown rule", error);
    cr_free(error);
    cr_rule_free(rule);
}

int main(int argc, char **argv) {
    int repetitions = argc > 1 ? atoi(argv[1]) : 1;
    char *error = NULL;
    cr_catalog *catalog = cr_catalog_open(&error);
    if (!catalog) {
        fprintf(stderr, "cr_catalog_open: %s\n", error ? error : "?");
        return 1;
    }
    for (int i = 0; i < repetitions && failures == 0; i++) run_once(catalog);
    char *diagnostics = NULL;
    int status = cr_lint_template("/no/such/template.yaml", &diagnostics);
    check(status == CR_NOT_FOUND, "cr_lint_template on a missing file", NULL);
    cr_free(diagnostics);
    diagnostics = NULL;
    {
        char path[] = "/tmp/cr-lint-XXXXXX";
        int descriptor = mkstemp(path);
        check(descriptor >= 0 && write(descriptor, "name: x\n\xff\n", 10) == 10, "write a file that is not UTF-8", NULL);
        close(descriptor);
        status = cr_lint_template(path, &diagnostics);
        check(status == CR_ERROR && diagnostics && strstr(diagnostics, "byte offset 8"), "cr_lint_template names the byte that is not UTF-8", diagnostics);
        unlink(path);
    }
    cr_free(diagnostics);
    cr_catalog_free(catalog);
    printf("c interface: %d passed, %d failed\n", failures == 0 ? 1 : 0, failures == 0 ? 0 : 1);
    return failures == 0 ? 0 : 1;
}
