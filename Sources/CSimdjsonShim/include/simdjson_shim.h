// A C interface to simdjson (libsimdjson-dev) for JSONBench, which compares
// the project's JSON floor with simdjson's parse and minify of the same bytes.
#ifndef SIMDJSON_SHIM_H
#define SIMDJSON_SHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The bytes simdjson may read past the end of its input: the caller's
/// buffer must be this much longer than the JSON text.
size_t simdjson_shim_padding(void);

/// A DOM parser, reused between calls; free it with simdjson_shim_parser_free.
void *simdjson_shim_parser_new(void);
void simdjson_shim_parser_free(void *parser);

/// Parses the `length` bytes at `text` (padded, see simdjson_shim_padding)
/// into the parser's document, then writes the text minified by simdjson's
/// minifier to `output`. Returns the minified length, or -1 when the text is
/// not JSON or `capacity` is less than `length`.
long simdjson_shim_parse_and_minify(void *parser, const char *text, size_t length, char *output, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
