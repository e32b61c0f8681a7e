import CJansson
import RuleDSL

/// The JSON reader against libjansson: the same verdict (where jansson is
/// not narrower than the JSON grammar), equal values, and writing what was
/// read gives text that reads back to the same value.
enum JSONTarget {
    static func run(_ bytes: [UInt8]) {
        let ours = try? JSONValue(parsing: bytes)
        if let ours {
            guard let written = try? ours.jsonText(pretty: false) else { fail("a value read cannot be written") }
            guard let reread = try? JSONValue(parsing: Array(written.utf8)), reread == ours else {
                fail("written text does not read back to the same value")
            }
        }
        guard comparableWithJansson(bytes) else { return }
        let theirs = janssonValue(bytes)
        switch (ours, theirs) {
        case (nil, nil): return
        case (let mine?, let reference?):
            if mine != reference { fail("values differ from jansson's") }
        case (nil, _?): fail("rejected what jansson accepts")
        case (_?, nil): fail("accepted what jansson rejects")
        }
    }

    /// jansson is narrower than the grammar: it stops at NUL bytes in some
    /// paths, refuses numbers beyond the doubles (long exponents and
    /// integers of hundreds of digits) and nests less deeply; the
    /// reader stops at 1,000 levels. Such inputs are not compared.
    private static func comparableWithJansson(_ bytes: [UInt8]) -> Bool {
        if bytes.contains(0) || bytes.count > 100_000 { return false }
        var depth = 0
        var deepest = 0
        for byte in bytes {
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") { depth -= 1 }
            deepest = max(deepest, depth)
        }
        if deepest >= 500 { return false }
        // Integers of hundreds of digits are beyond jansson's doubles too.
        var digitRun = 0
        for byte in bytes {
            digitRun = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? digitRun + 1 : 0
            if digitRun > 300 { return false }
        }
        // Exponents that may overflow a double, and "\u0000" (jansson refuses it in keys).
        return !bytes.contains(UInt8(ascii: "e")) && !bytes.contains(UInt8(ascii: "E"))
            && !String(decoding: bytes, as: UTF8.self).contains("\\u0000")
    }

    private static func janssonValue(_ bytes: [UInt8]) -> JSONValue? {
        var error = json_error_t()
        let flags = Int(JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL)
        let root: UnsafeMutablePointer<json_t>? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { json_loadb($0.baseAddress, buffer.count, flags, &error) }
        }
        guard let root else { return nil }
        defer { json_decref(root) }
        return plainValue(root)
    }

    private static func plainValue(_ value: UnsafeMutablePointer<json_t>) -> JSONValue {
        switch value.pointee.type {
        case JSON_NULL: return .null
        case JSON_TRUE: return .bool(true)
        case JSON_FALSE: return .bool(false)
        case JSON_INTEGER: return .number(JSONNumber(Int64(json_integer_value(value))))
        case JSON_REAL: return .number(JSONNumber(json_real_value(value)))
        case JSON_STRING:
            let text = UnsafeRawBufferPointer(start: json_string_value(value), count: json_string_length(value))
            return .string(String(decoding: text, as: UTF8.self))
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
