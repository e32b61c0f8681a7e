import JanssonReference
import RuleDSL

/// The JSON reader against libjansson: the same verdict (where jansson is
/// not narrower than the JSON grammar), equal values, and writing what was
/// read gives text that reads back to the same value, with no line
/// separator (U+2028, U+2029, U+0085) left unescaped, decoded or copied.
enum JSONTarget {
    static func run(_ bytes: [UInt8]) {
        let ours = try? JSONValue(parsing: bytes)
        if let ours {
            guard let written = try? ours.jsonText(pretty: false) else { fail("a value read cannot be written") }
            checkReadsBack(Array(written.utf8), as: ours)
            guard let document = try? JSONDocument(bytes: bytes) else { fail("JSONValue reads what JSONDocument refuses") }
            var writer = JSONWriter()
            writer.appendValue(of: document, at: document.root)
            checkReadsBack(writer.bytes, as: ours)
        }
        guard comparableWithJansson(bytes) else { return }
        let theirs = try? JanssonReference.read(bytes).get()
        switch (ours, theirs) {
        case (nil, nil): return
        case (let mine?, let reference?):
            if mine != reference { fail("values differ from jansson's") }
        case (nil, _?): fail("rejected what jansson accepts")
        case (_?, nil): fail("accepted what jansson rejects")
        }
    }

    private static func checkReadsBack(_ written: [UInt8], as value: JSONValue) {
        guard let reread = try? JSONValue(parsing: written), reread == value else {
            fail("written text does not read back to the same value")
        }
        let separators: [[UInt8]] = [[0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9], [0xC2, 0x85]]
        for start in written.indices {
            for separator in separators where written[start...].starts(with: separator) {
                fail("a line separator was written unescaped at byte \(start)")
            }
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
}
