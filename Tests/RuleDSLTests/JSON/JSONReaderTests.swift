import RuleDSL
import XCTest

final class JSONReaderTests: XCTestCase {
    private func readError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONReadError? {
        do {
            _ = try JSONDocument(bytes: Array(text.utf8))
            XCTFail("expected an error for \(text.debugDescription)", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    private func assertError(
        _ text: String, contains message: String, line: Int, column: Int, offset: Int,
        file: StaticString = #filePath, sourceLine: UInt = #line
    ) {
        guard let error = readError(text, file: file, line: sourceLine) else { return }
        XCTAssertTrue(error.message.contains(message), "\(error.message) should contain \(message)", file: file, line: sourceLine)
        XCTAssertEqual(error.line, line, "line", file: file, line: sourceLine)
        XCTAssertEqual(error.column, column, "column", file: file, line: sourceLine)
        XCTAssertEqual(error.offset, offset, "offset", file: file, line: sourceLine)
    }

    func testErrorPositions() {
        assertError("", contains: "empty", line: 1, column: 1, offset: 0)
        assertError("{\"a\": 1,\n \"b\": }", contains: "expected a value", line: 2, column: 7, offset: 15)
        assertError("[1, 2", contains: "not closed", line: 1, column: 6, offset: 5)
        assertError("[1 2]", contains: "expected ','", line: 1, column: 4, offset: 3)
        assertError("{\"a\" 1}", contains: "expected ':'", line: 1, column: 6, offset: 5)
        assertError("{1: 2}", contains: "string as object key", line: 1, column: 2, offset: 1)
        assertError("\"abc", contains: "unterminated string", line: 1, column: 1, offset: 0)
        assertError("[\"a\u{01}\"]", contains: "must be escaped", line: 1, column: 4, offset: 3)
        assertError("\"\\x\"", contains: "invalid escape", line: 1, column: 2, offset: 1)
        assertError("\"\\uD800\"", contains: "high surrogate", line: 1, column: 2, offset: 1)
        assertError("\"\\uDC00\"", contains: "lone low surrogate", line: 1, column: 2, offset: 1)
        assertError("01", contains: "leading zeros", line: 1, column: 2, offset: 1)
        assertError("1.", contains: "decimal point", line: 1, column: 3, offset: 2)
        assertError("1e", contains: "exponent", line: 1, column: 3, offset: 2)
        assertError("tru", contains: "literal", line: 1, column: 1, offset: 0)
        assertError("[1]\n x", contains: "after the JSON value", line: 2, column: 2, offset: 5)
    }

    func testInvalidUTF8IsRejectedWithItsOffset() {
        let cases: [[UInt8]] = [
            [0x22, 0x61, 0xFF, 0x22],  // invalid byte
            [0x22, 0x61, 0xC0, 0xAF, 0x22],  // overlong
            [0x22, 0x61, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate
            [0x22, 0x61, 0xE2, 0x82, 0x22],  // truncated
            [0x22, 0x61, 0xF4, 0x90, 0x80, 0x80, 0x22],  // beyond U+10FFFF
        ]
        for bytes in cases {
            XCTAssertThrowsError(try JSONDocument(bytes: bytes)) { error in
                let error = error as! JSONReadError
                XCTAssertEqual(error.offset, 2, "\(bytes)")
                XCTAssertTrue(error.message.contains("UTF-8"), error.message)
            }
        }
    }

    func testDeepNestingFailsWithDepthError() {
        let deep = String(repeating: "[", count: 100_000)
        guard let error = readError(deep) else { return }
        XCTAssertTrue(error.message.contains("nesting deeper than 1000"), error.message)
        XCTAssertEqual(error.offset, 1000)
        let allowed = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        XCTAssertNoThrow(try JSONDocument(text: allowed))
        XCTAssertThrowsError(try JSONDocument(text: "[[[]]]", options: JSONReadOptions(maximumDepth: 2)))
    }

    func testNavigation() throws {
        let document = try JSONDocument(text: #"{"a": [1, {"b": "x\ny"}, true], "c": null, "a": 7, "é": false}"#)
        XCTAssertEqual(document.kind(at: document.root), .object)
        XCTAssertEqual(document.count(at: document.root), 4)
        let a = try XCTUnwrap(document.member(of: document.root, key: "a"))
        XCTAssertEqual(document.kind(at: a), .number, "the last duplicate key wins")
        XCTAssertEqual(document.int64(at: a), 7)
        let members = document.members(of: document.root)
        XCTAssertEqual(members.map { document.string(at: $0.key) }, ["a", "c", "a", "é"])
        let array = members[0].value
        XCTAssertEqual(Array(document.children(of: array)).map { document.kind(at: $0) }, [.number, .object, .boolean])
        let inner = try XCTUnwrap(document.element(of: array, at: 1))
        let b = try XCTUnwrap(document.member(of: inner, key: "b"))
        XCTAssertEqual(document.string(at: b), "x\ny")
        XCTAssertTrue(document.stringHasEscapes(at: b))
        XCTAssertEqual(document.kind(at: try XCTUnwrap(document.member(of: document.root, key: "c"))), .null)
        XCTAssertEqual(document.bool(at: try XCTUnwrap(document.member(of: document.root, key: "é"))), false)
        XCTAssertNil(document.member(of: document.root, key: "missing"))
        XCTAssertNil(document.element(of: array, at: 3))
        XCTAssertFalse(document.isCompact(at: document.root))
        XCTAssertTrue(document.isCompact(at: inner) == false)
    }

    func testEscapedKeysAreFoundByTheirDecodedText() throws {
        let document = try JSONDocument(text: #"{"\u0061b": 1, "tab\t": 2}"#)
        XCTAssertNotNil(document.member(of: document.root, key: "ab"))
        XCTAssertNotNil(document.member(of: document.root, key: "tab\t"))
    }

    func testNumbersBeyondRangeKeepTheirText() throws {
        let value = try JSONValue(parsing: "[12345678901234567890, 1e400, -1e400, 9223372036854775807, -9223372036854775808]")
        guard case .array(let numbers) = value else { return XCTFail() }
        let storages = numbers.map { value -> String in
            guard case .number(let number) = value else { return "?" }
            return number.description
        }
        XCTAssertEqual(storages, ["12345678901234567890", "1e400", "-1e400", "9223372036854775807", "-9223372036854775808"])
        XCTAssertEqual(try value.jsonText(), "[12345678901234567890,1e400,-1e400,9223372036854775807,-9223372036854775808]")
    }

    func testDoubleDecoding() throws {
        let cases: [(String, Double)] = [
            ("0.1", 0.1), ("-2.5", -2.5), ("1e21", 1e21), ("5e-324", 5e-324),
            ("1.7976931348623157e308", 1.7976931348623157e308), ("0.30000000000000004", 0.30000000000000004),
            ("123456789012345678", 123_456_789_012_345_678), ("-0", -0.0), ("0.000001", 0.000001),
            ("2.2250738585072014e-308", 2.2250738585072014e-308), ("1e-7", 1e-7),
        ]
        for (text, expected) in cases {
            let document = try JSONDocument(text: text)
            XCTAssertEqual(document.double(at: document.root), expected, text)
        }
    }

    /// Digit runs are skipped eight bytes at a time: every run length around
    /// the word size, at every alignment, before every kind of terminator,
    /// must give the number's exact extent.
    func testDigitRunsOfEveryLengthAndAlignment() throws {
        for length in 1...20 {
            let digits = String((0..<length).map { Character(String(($0 % 9) + 1)) })
            for padding in 0..<8 {
                for terminator in ["]", ",0]", " ]", "e5]", ".25]", "E-2]"] {
                    let text = "[" + String(repeating: " ", count: padding) + digits + terminator
                    let document = try JSONDocument(text: text)
                    let first = document.children(of: document.root).first { _ in true }!
                    let expected = Double(digits + String(terminator.dropLast().prefix { $0 != "," && $0 != " " }))!
                    XCTAssertEqual(document.double(at: first), expected, text)
                }
                let fraction = "[0." + digits + "]"
                let document = try JSONDocument(text: String(repeating: " ", count: padding) + fraction)
                let element = document.children(of: document.root).first { _ in true }!
                XCTAssertEqual(document.double(at: element), Double("0." + digits)!, fraction)
            }
        }
        // A number that ends the text, and bytes just above and below the digits.
        XCTAssertEqual(try JSONDocument(text: "123456789012").double(at: 0), 123_456_789_012)
        XCTAssertNotNil(readError("[12345678/]"))
        XCTAssertNotNil(readError("[12345678:]"))
        XCTAssertNotNil(readError("[1234567\u{FF}]"))
        XCTAssertThrowsError(try JSONDocument(bytes: Array("[1234567".utf8) + [0xFF, 0x39, UInt8(ascii: "]")]))
    }

    /// Strings are scanned eight bytes at a time up to the first quote,
    /// backslash, control character or non-ASCII byte: each of them at
    /// every offset, after every alignment of the string.
    func testStringSpecialBytesAtEveryOffsetAndAlignment() throws {
        for padding in 0..<8 {
            for offset in 0..<20 {
                let plain = String(repeating: "a", count: offset)
                for (special, decoded) in [("\\n", "\n"), ("\\\"", "\""), ("é", "é"), ("😀", "😀"), ("~", "~")] {
                    let text = String(repeating: " ", count: padding) + "[\"" + plain + special + "b\"," + "\"" + plain + "\"]"
                    let document = try JSONDocument(text: text)
                    let items = Array(document.children(of: document.root))
                    XCTAssertEqual(document.string(at: items[0]), plain + decoded + "b", text)
                    XCTAssertEqual(document.string(at: items[1]), plain, text)
                }
                let control = Array((String(repeating: " ", count: padding) + "[\"" + plain).utf8) + [0x01] + Array("\"]".utf8)
                XCTAssertThrowsError(try JSONDocument(bytes: control), "control character at \(offset)")
            }
        }
    }

    /// Arrays of numbers (embeddings) are read in a tight loop: counts,
    /// values, mixed elements and errors inside such a run.
    func testNumberRunsInArrays() throws {
        let document = try JSONDocument(text: "[1,-2.5,3e2, 4,5,\"x\",6,[7,8],9]")
        XCTAssertEqual(document.count(at: document.root), 9)
        let values = document.children(of: document.root).map { child -> String in
            switch document.kind(at: child) {
            case .number: return JSONNumberFormatting.javaScriptString(document.double(at: child))
            case .array: return "array of \(document.count(at: child))"
            default: return document.string(at: child)
            }
        }
        XCTAssertEqual(values, ["1", "-2.5", "300", "4", "5", "x", "6", "array of 2", "9"])
        XCTAssertNotNil(readError("[1,2,]"))
        XCTAssertNotNil(readError("[1,2 3]"))
        XCTAssertNotNil(readError("[1,-]"))
        XCTAssertNotNil(readError("[1,01]"))
        XCTAssertNotNil(readError("[1,2"))
        assertError("[1,2,3,x]", contains: "expected a value", line: 1, column: 8, offset: 7)
    }
}
