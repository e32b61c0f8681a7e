#include "simdjson_shim.h"

#include <cstring>
#include <simdjson.h>

size_t simdjson_shim_padding(void) { return simdjson::SIMDJSON_PADDING; }

void *simdjson_shim_parser_new(void) { return new simdjson::dom::parser(); }

void simdjson_shim_parser_free(void *parser) { delete static_cast<simdjson::dom::parser *>(parser); }

long simdjson_shim_parse_and_minify(void *parser, const char *text, size_t length, char *output, size_t capacity) {
    simdjson::dom::element document;
    // The caller's buffer is padded: simdjson reads it in place, without a copy.
    if (static_cast<simdjson::dom::parser *>(parser)->parse(text, length, false).get(document) != simdjson::SUCCESS) {
        return -1;
    }
    // The text minified by simdjson's own minifier (SIMD, straight from the
    // bytes), as the project's writer copies a parsed value's bytes.
    if (capacity < length) { return -1; }
    size_t written = 0;
    if (simdjson::minify(text, length, output, written) != simdjson::SUCCESS) { return -1; }
    return static_cast<long>(written);
}
