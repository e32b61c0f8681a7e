import RuleDSL
import XCTest

final class JSONWriterTests: XCTestCase {
    private func javaScript(_ value: Double) -> String { JSONNumberFormatting.javaScriptString(value) }

    func testNumbersAreSpelledAsJavaScriptSpellsThem() {
        XCTAssertEqual(javaScript(0.1), "0.1")
        XCTAssertEqual(javaScript(1e21), "1e+21")
        XCTAssertEqual(javaScript(1e20), "100000000000000000000")
        XCTAssertEqual(javaScript(1e-7), "1e-7")
        XCTAssertEqual(javaScript(1.5e-7), "1.5e-7")
        XCTAssertEqual(javaScript(0.000001), "0.000001")
        XCTAssertEqual(javaScript(100.0), "100")
        XCTAssertEqual(javaScript(-0.0), "0")
        XCTAssertEqual(javaScript(5e-324), "5e-324")
        XCTAssertEqual(javaScript(1.7976931348623157e308), "1.7976931348623157e+308")
        XCTAssertEqual(javaScript(9.223372036854775807e18), "9223372036854776000")
        // 2^53 and its neighbours: the last integer Swift spells without an exponent.
        XCTAssertEqual(javaScript(9_007_199_254_740_991), "9007199254740991")
        XCTAssertEqual(javaScript(9_007_199_254_740_992), "9007199254740992")
        XCTAssertEqual(javaScript(-9_007_199_254_740_992), "-9007199254740992")
        XCTAssertEqual(javaScript(9_007_199_254_740_994), "9007199254740994")
        XCTAssertEqual(javaScript(123.456), "123.456")
        XCTAssertEqual(javaScript(-1234.5678e10), "-12345678000000")
        XCTAssertEqual(javaScript(0.30000000000000004), "0.30000000000000004")
        XCTAssertEqual(javaScript(2.5e25), "2.5e+25")
        XCTAssertEqual(javaScript(1 / 3.0), "0.3333333333333333")
    }

    func testNonFiniteNumbersAreRejected() {
        var writer = JSONWriter()
        XCTAssertThrowsError(try writer.appendNumber(.nan))
        XCTAssertThrowsError(try writer.appendNumber(.infinity))
        XCTAssertThrowsError(try JSONValue.number(JSONNumber(-Double.infinity)).serialized())
    }

    func testNumberRoundTrips() throws {
        let values: [Double] = [0.1, 1e21, 9.223372036854775807e18, -0.0, 5e-324, 1.7976931348623157e308, 1e-7, 123e-20]
        for value in values {
            let text = try JSONValue.number(JSONNumber(value)).jsonText()
            let read = try JSONDocument(text: text)
            XCTAssertEqual(read.double(at: read.root), value, text)
        }
        for text in ["9223372036854775807", "-9223372036854775808", "12345678901234567890", "0.1", "1e+21", "5e-324", "0"] {
            XCTAssertEqual(try JSONValue(parsing: text).jsonText(), text)
        }
        XCTAssertEqual(try JSONValue(parsing: "-0").jsonText(), "0")
        XCTAssertEqual(try JSONValue(parsing: "1E400").jsonText(), "1E400", "beyond double range keeps its text")
    }

    func testStringsAreEscapedAsJSONStringifyDoesAndLineSeparatorsToo() throws {
        var text = ""
        for code in 0..<0x20 { text.unicodeScalars.append(Unicode.Scalar(UInt8(code))) }
        text += "\"\\/\u{7F}\u{2028}\u{2029}\u{85}é😀"
        let controls =
            #""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#
        let written = try JSONValue.string(text).jsonText()
        XCTAssertEqual(written, controls + "\\\"\\\\/\u{7F}\\u2028\\u2029\\u0085é😀\"")
        XCTAssertEqual(try JSONValue(parsing: written), .string(text), "round trip")
        var stringify = JSONWriter(escapesLineSeparators: false)
        stringify.appendString(text)
        XCTAssertEqual(String(decoding: stringify.bytes, as: UTF8.self), controls + "\\\"\\\\/\u{7F}\u{2028}\u{2029}\u{85}é😀\"")
    }

    /// Text with the lead bytes of line separators but none of them (©,
    /// smart quotes, a dash) is written unchanged; separators at the very
    /// end or start of a string, and of any length of text, are escaped.
    func testOnlyLineSeparatorsAmongTheirLeadBytesAreEscaped() throws {
        let plain = "© “quoted” – ½ \u{2027}\u{202A}\u{84}\u{86}"
        XCTAssertEqual(try JSONValue.string(plain).jsonText(), "\"" + plain + "\"")
        for length in 0..<20 {
            let padding = String(repeating: "a", count: length)
            XCTAssertEqual(try JSONValue.string(padding + "\u{2029}").jsonText(), "\"" + padding + "\\u2029\"")
            XCTAssertEqual(try JSONValue.string("\u{85}" + padding).jsonText(), "\"\\u0085" + padding + "\"")
        }
    }

    /// Carried-over strings keep their bytes, but for their line
    /// separators: the reader marks the strings and containers that hold
    /// one, and only those are rewritten.
    func testLineSeparatorsInCarriedOverValuesAreEscaped() throws {
        let document = try JSONDocument(text: "{\"plain\":{\"s\":\"\\u00e9 ©\"},\"mixed\":{\"s\":\"a\u{2028}b\\n\",\"n\":1.50},\"\u{85}\":[\"\u{2029}\"]}")
        var writer = JSONWriter()
        writer.appendValue(of: document, at: document.root)
        XCTAssertEqual(
            String(decoding: writer.bytes, as: UTF8.self),
            #"{"plain":{"s":"\u00e9 ©"},"mixed":{"s":"a\u2028b\n","n":1.50},"\u0085":["\u2029"]}"#)
        let plain = try XCTUnwrap(document.member(of: document.root, key: "plain"))
        let mixed = try XCTUnwrap(document.member(of: document.root, key: "mixed"))
        XCTAssertTrue(document.isCompact(at: plain))
        XCTAssertFalse(document.isCompact(at: mixed))
        XCTAssertFalse(document.isCompact(at: document.root))
    }

    func testEscapedSurrogatePairsDecodeToAstralCharacters() throws {
        XCTAssertEqual(try JSONValue(parsing: #""\uD83D\uDE00 \ud834\udd1e""#), .string("😀 𝄞"))
        XCTAssertEqual(try JSONValue(parsing: #""\u2028\u00e9\/""#), .string("\u{2028}é/"))
    }

    func testCompactValuesAreCopiedAsTheirBytes() throws {
        let document = try JSONDocument(text: #"{"keep": {"n": 1.50, "s": "\u00e9"}, "tidy":{"n":1.50,"s":"\u00e9","a":[1E2]}}"#)
        let keep = try XCTUnwrap(document.member(of: document.root, key: "keep"))
        let tidy = try XCTUnwrap(document.member(of: document.root, key: "tidy"))
        var writer = JSONWriter()
        writer.appendValue(of: document, at: keep)
        writer.appendByte(UInt8(ascii: " "))
        writer.appendValue(of: document, at: tidy)
        XCTAssertEqual(
            String(decoding: writer.bytes, as: UTF8.self),
            #"{"n":1.50,"s":"\u00e9"} {"n":1.50,"s":"\u00e9","a":[1E2]}"#)
        XCTAssertTrue(document.isCompact(at: tidy))
        XCTAssertFalse(document.isCompact(at: keep))
    }

    func testMemberKeysPlainEscapedEmptyAndLong() {
        let long = String(repeating: "k", count: 130)
        var writer = JSONWriter()
        writer.appendByte(UInt8(ascii: "{"))
        for (position, key) in ["model", "quote\"d", "", "café", long].enumerated() {
            writer.appendMemberKey(key, first: position == 0)
            writer.appendNull()
        }
        writer.appendByte(UInt8(ascii: "}"))
        XCTAssertEqual(
            String(decoding: writer.bytes, as: UTF8.self),
            #"{"model":null,"quote\"d":null,"":null,"café":null,""# + long + #"":null}"#)
    }

    func testObjectsKeepInsertionOrderAndPrettyPrint() throws {
        let value = JSONValue.object(JSONObject([("z", .number(JSONNumber(Int64(1)))), ("a", .array([.null, .bool(true)])), ("e", .object(JSONObject()))]))
        XCTAssertEqual(try value.jsonText(), #"{"z":1,"a":[null,true],"e":{}}"#)
        XCTAssertEqual(try value.jsonText(pretty: true), "{\n  \"z\": 1,\n  \"a\": [\n    null,\n    true\n  ],\n  \"e\": {}\n}")
    }

    func testValueEqualityIgnoresKeyOrderAndNumberSpelling() throws {
        XCTAssertEqual(try JSONValue(parsing: #"{"a":1,"b":[2.0]}"#), try JSONValue(parsing: #"{"b":[2],"a":1.0}"#))
        XCTAssertNotEqual(try JSONValue(parsing: #"{"a":1}"#), try JSONValue(parsing: #"{"a":1,"b":2}"#))
    }
}
