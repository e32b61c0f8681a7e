"""The C interface from Python (ctypes): one request conversion, and an
unknown rule's error message. Run by Scripts/test-c-interface with the
library's directory in CR_LIB_DIR."""
import ctypes
import os
import sys

lib = ctypes.CDLL(os.path.join(os.environ["CR_LIB_DIR"], "libConversionRulesC.so"))


class Output(ctypes.Structure):
    _fields_ = [("headers_json", ctypes.c_void_p), ("body", ctypes.POINTER(ctypes.c_uint8)),
                ("body_length", ctypes.c_size_t)]


error_out = ctypes.POINTER(ctypes.c_void_p)
lib.cr_catalog_open.restype = ctypes.c_void_p
lib.cr_catalog_open.argtypes = [error_out]
lib.cr_catalog_free.argtypes = [ctypes.c_void_p]
lib.cr_rule_get.restype = ctypes.c_void_p
lib.cr_rule_get.argtypes = [ctypes.c_void_p, ctypes.c_char_p, error_out]
lib.cr_rule_free.argtypes = [ctypes.c_void_p]
lib.cr_convert.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t,
                           ctypes.c_char_p, ctypes.POINTER(Output), error_out]
lib.cr_output_clear.argtypes = [ctypes.POINTER(Output)]
lib.cr_free.argtypes = [ctypes.c_void_p]

failures = 0


def check(condition, what):
    global failures
    if not condition:
        failures += 1
        print("FAIL " + what, file=sys.stderr)


catalog = lib.cr_catalog_open(None)
rule = lib.cr_rule_get(catalog, b"ollama:chat", None)
body = b'{"messages":[{"role":"user","content":"hi"}]}'
output = Output()
status = lib.cr_convert(rule, b"request_from_aog", b"{}", body, len(body), b'{"model":"qwen3:0.6b"}',
                        ctypes.byref(output), None)
check(status == 0, "cr_convert returns CR_OK, got %d" % status)
converted = ctypes.string_at(output.body, output.body_length).decode()
check(converted == '{"model":"qwen3:0.6b","messages":[{"role":"user","content":"hi"}],"options":{}}', converted)
lib.cr_output_clear(ctypes.byref(output))

message = ctypes.c_void_p()
missing = lib.cr_rule_get(catalog, b"nosuch:chat", ctypes.byref(message))
check(missing is None, "an unknown rule gives NULL")
check(message.value is not None and b"nosuch" in ctypes.string_at(message.value), "the error names the rule")
lib.cr_free(message)

lib.cr_rule_free(rule)
lib.cr_catalog_free(catalog)
print("python interface: %s" % ("ok" if failures == 0 else "%d failed" % failures))
sys.exit(1 if failures else 0)
