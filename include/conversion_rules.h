/*
 * conversion_rules.h: the C interface of the ConversionRules library, the
 * conversion rule engine of a model gateway.
 *
 * Build the library with `swift build -c release --product ConversionRulesC`
 * (it is .build/release/libConversionRulesC.so); `Scripts/pkg-config` writes
 * a pkg-config file for it, so that `cc $(pkg-config --cflags --libs
 * conversion-rules)` and cgo's `#cgo pkg-config: conversion-rules` work.
 *
 * Ownership: every pointer the library returns (strings, byte buffers, the
 * members of a cr_output) belongs to the caller and is freed with cr_free
 * (cr_output_clear frees the members of a cr_output at once). Objects
 * (cr_catalog, cr_rule, cr_stream) are freed with their own *_free function.
 * Pointers the caller passes in are only read during the call.
 *
 * Threads: a cr_catalog and the cr_rules taken from it may be used from any
 * number of threads at once (a rule is immutable; adding templates to a
 * catalog swaps them in atomically). A cr_stream belongs to one thread at a
 * time: feed and finish it from one thread, or synchronise.
 *
 * Errors: functions return CR_OK, CR_DROPPED or a negative status; on a
 * negative status they set *error (when error is not NULL) to a message that
 * names the rule, conversion, step and position. No input makes the library
 * abort or crash the caller.
 *
 * JSON arguments: headers are a JSON object of header name to a string (or
 * an array of strings for several values); variables are a JSON object of
 * name to any JSON value (`{"model": "qwen3:0.6b", "stream": true}`); NULL
 * means none.
 */
#ifndef CONVERSION_RULES_H
#define CONVERSION_RULES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes. */
enum {
    CR_OK = 0,                 /**< converted; the output is set */
    CR_DROPPED = 1,            /**< an action_if step dropped the content; no output */
    CR_ERROR = -1,             /**< the conversion failed; *error says why and where */
    CR_INVALID_ARGUMENT = -2,  /**< an argument is NULL, unknown or malformed; *error says which */
    CR_NOT_FOUND = -3          /**< no such rule, flavor, service or file */
};

/** The catalog of compiled rules: built-in templates plus added directories and plugins. */
typedef struct cr_catalog cr_catalog;
/** One compiled rule (FLAVOR:SERVICE) of a catalog. */
typedef struct cr_rule cr_rule;
/** An incremental stream rewriter. */
typedef struct cr_stream cr_stream;

/** The result of a conversion. On CR_OK, headers_json and body are set. */
typedef struct cr_output {
    /** The output headers as a JSON object (name to string, or array of strings). */
    char *headers_json;
    /** The output body; may contain NUL bytes; body_length bytes long. */
    uint8_t *body;
    size_t body_length;
} cr_output;

/**
 * The last error reported on the calling thread, as a JSON object, or NULL
 * when no call of this thread has failed; the caller frees it with cr_free.
 * Every call that returns a negative status (or NULL for an object) sets
 * it, and a later failure replaces it; successful calls leave it. So a
 * binding reads it right after the failed call, on the same thread (as
 * with errno), to get the error's parts as fields instead of parsing the
 * message:
 *
 *   {"status": -1, "kind": "expression", "message": "...", "code": "T2001",
 *    "rule": "ollama:chat", "conversion": "response_to_aog", "step": 1,
 *    "file": "ollama.yaml", "line": 40, "column": 17, "position": 12}
 *
 * status and message (the same text as *error) are always there; kind is
 * one of invalid_argument, expression, body_not_json, undefined_result,
 * result_not_json, missing_service, stream_finished, stream_too_large,
 * stream_state_too_large, stream_state_<kind of the failure>,
 * malformed_config_ref, unknown_flavor, unknown_service, template,
 * unreadable, error; the others appear when known: code (JSONata's error
 * code), rule and conversion (the innermost, for a two-hop conversion),
 * step (1-based), chunk (the 0-based stream payload), file, line and
 * column (the template's expression), position (the character in the
 * expression), body_line and body_column (where a body is not JSON).
 */
char *cr_last_error_json(void);

/** Frees a buffer or string the library returned. NULL is ignored. */
void cr_free(void *pointer);

/** Frees the members of an output (not the struct itself) and sets them to NULL. */
void cr_output_clear(cr_output *output);

/**
 * Opens a catalog of the built-in templates (compiled into the library).
 * Returns NULL and sets *error if they cannot be loaded (a defect of the library).
 */
cr_catalog *cr_catalog_open(char **error);

/** Frees a catalog. Rules taken from it stay valid until they are freed. */
void cr_catalog_free(cr_catalog *catalog);

/**
 * Adds (or reloads) a directory of templates; its flavors replace built-in
 * ones of the same name. *diagnostics (when not NULL) is set to a JSON array
 * of {file, line, column, severity, message}. Returns CR_ERROR when a template
 * had an error (the others are loaded; a failed one keeps its previous
 * version), CR_NOT_FOUND when the directory cannot be read.
 */
int cr_catalog_add_templates(cr_catalog *catalog, const char *directory, char **diagnostics);

/**
 * Loads a plugin directory (plugin.yaml or plugin.json, and its templates/):
 * the plugin becomes a flavor named after its provider.
 */
int cr_catalog_add_plugin(cr_catalog *catalog, const char *directory, char **error);

/**
 * Lists the catalog's rules as a JSON array of {rule, conversions, task_type,
 * default_model, endpoints}. The caller frees the string with cr_free.
 */
char *cr_catalog_list(const cr_catalog *catalog);

/** The compiled rule a config_ref (FLAVOR:SERVICE) names, or NULL with *error set. */
cr_rule *cr_rule_get(const cr_catalog *catalog, const char *config_ref, char **error);

/** Frees a rule. */
void cr_rule_free(cr_rule *rule);

/**
 * Runs one conversion of a rule ("request_to_aog", ..., "response_from_aog")
 * on headers and body. Returns CR_OK (output set), CR_DROPPED, or an error.
 */
int cr_convert(const cr_rule *rule, const char *conversion, const char *headers_json,
               const uint8_t *body, size_t body_length, const char *variables_json,
               cr_output *output, char **error);

/**
 * A two-hop conversion as the gateway does it, between a client flavor and a
 * provider flavor, for `kind` "request" (client -> provider) or "response"
 * (provider -> client).
 */
int cr_convert_two_hop(const cr_catalog *catalog, const char *client_flavor, const char *provider_flavor,
                       const char *service, const char *kind, const char *headers_json,
                       const uint8_t *body, size_t body_length, const char *variables_json,
                       cr_output *output, char **error);

/**
 * Opens a stream rewriter for one stream conversion of a rule
 * ("stream_response_to_aog" or "stream_response_from_aog"). headers_json are
 * the upstream response headers (their Content-Type selects SSE or NDJSON).
 */
cr_stream *cr_stream_open(const cr_rule *rule, const char *conversion, const char *headers_json,
                          const char *variables_json, char **error);

/** Opens a two-hop stream rewriter from a provider flavor to a client flavor. */
cr_stream *cr_stream_open_two_hop(const cr_catalog *catalog, const char *client_flavor,
                                  const char *provider_flavor, const char *service,
                                  const char *headers_json, const char *variables_json, char **error);

/**
 * Feeds bytes as they arrive; *output (length *output_length, possibly 0) is
 * set to the bytes to send now, whole frames only. When a payload fails, the
 * frames of the payloads before it are delivered first (this call returns
 * CR_OK with them, and the next cr_stream_feed or cr_stream_finish returns
 * CR_ERROR), so the output does not depend on how the input was split.
 * After an error the stream stays failed. Feeding a finished stream returns
 * CR_INVALID_ARGUMENT.
 */
int cr_stream_feed(cr_stream *stream, const uint8_t *bytes, size_t length,
                   uint8_t **output, size_t *output_length, char **error);

/** Ends the stream: the last converted events and the epilogue. */
int cr_stream_finish(cr_stream *stream, uint8_t **output, size_t *output_length, char **error);

/** The headers of the response to send (known once the first event converted), as a JSON object. */
char *cr_stream_headers(const cr_stream *stream);

/** Frees a stream. */
void cr_stream_free(cr_stream *stream);

/**
 * Checks a template file (or a plugin.yaml/plugin.json): *diagnostics is set
 * to a JSON array of {file, line, column, severity, message}. Returns CR_OK
 * when there is no error (warnings allowed), CR_ERROR when there is one (a
 * file that is not UTF-8 is one, reported at its first invalid byte; an
 * error in one service fails that service only, but is reported),
 * CR_NOT_FOUND when the file cannot be read, CR_INVALID_ARGUMENT when path
 * is NULL.
 */
int cr_lint_template(const char *path, char **diagnostics);

#ifdef __cplusplus
}
#endif

#endif
