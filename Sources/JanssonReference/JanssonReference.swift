import CJansson
import RuleDSL

/// libjansson as an independent reference for the project's JSON reader:
/// the tests and the fuzzer read the same bytes with both and compare.
/// Used only by them; the library does not depend on it.
public enum JanssonReference {
    /// Why jansson refused a text: its own message.
    public struct Failure: Error, Sendable {
        public let message: String
    }

    /// What jansson makes of `bytes` (any value at the top, NUL allowed in
    /// strings, integers read as doubles): a value, or its error.
    public static func read(_ bytes: [UInt8]) -> Result<JSONValue, Failure> {
        var error = json_error_t()
        let flags = Int(JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL)
        let root: UnsafeMutablePointer<json_t>? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { json_loadb($0.baseAddress, buffer.count, flags, &error) }
        }
        guard let root else {
            let message = withUnsafeBytes(of: error.text) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            return .failure(Failure(message: message))
        }
        defer { json_decref(root) }
        return .success(plainValue(root))
    }

    private static func plainValue(_ value: UnsafeMutablePointer<json_t>) -> JSONValue {
        switch value.pointee.type {
        case JSON_NULL: return .null
        case JSON_TRUE: return .bool(true)
        case JSON_FALSE: return .bool(false)
        case JSON_INTEGER: return .number(JSONNumber(Int64(json_integer_value(value))))
        case JSON_REAL: return .number(JSONNumber(json_real_value(value)))
        case JSON_STRING:
            let bytes = UnsafeRawBufferPointer(start: json_string_value(value), count: json_string_length(value))
            return .string(String(decoding: bytes, as: UTF8.self))
        case JSON_ARRAY:
            return .array((0..<json_array_size(value)).map { plainValue(json_array_get(value, $0)) })
        default:
            var members: [(key: String, value: JSONValue)] = []
            var iterator = json_object_iter(value)
            while let current = iterator {
                members.append((String(cString: json_object_iter_key(current)), plainValue(json_object_iter_value(current))))
                iterator = json_object_iter_next(value, current)
            }
            return .object(JSONObject(members))
        }
    }
}
