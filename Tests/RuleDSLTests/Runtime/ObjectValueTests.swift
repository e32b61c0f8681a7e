import RuleDSL
import XCTest

/// Member lookup in built objects compares keys by their UTF-8 bytes, with
/// a shortcut for keys stored inline; these cases mix every way a key can
/// be stored, so that the shortcut never decides a comparison wrongly.
final class ObjectValueTests: XCTestCase {
    /// "model" held in heap storage rather than inline.
    private func heapBacked(_ text: String) -> String {
        var stored = String()
        stored.reserveCapacity(64)
        stored += text
        return stored
    }

    func testKeysAreFoundWhateverTheirStorage() {
        let longKey = "a key longer than fifteen bytes"
        var object = ObjectValue()
        object["model"] = .number(1)
        object[String(longKey.reversed().reversed())] = .number(2)
        object[heapBacked("id")] = .number(3)
        object["é"] = .number(4)
        object[""] = .number(5)

        XCTAssertEqual(object[String(decoding: Array("model".utf8), as: UTF8.self)]?.jsonValue, .number(JSONNumber(1.0)))
        XCTAssertEqual(object[heapBacked("model")]?.jsonValue, .number(JSONNumber(1.0)))
        XCTAssertEqual(object[longKey]?.jsonValue, .number(JSONNumber(2.0)))
        XCTAssertEqual(object["id"]?.jsonValue, .number(JSONNumber(3.0)))
        XCTAssertEqual(object[heapBacked("id")]?.jsonValue, .number(JSONNumber(3.0)))
        XCTAssertEqual(object["\u{E9}"]?.jsonValue, .number(JSONNumber(4.0)))
        XCTAssertEqual(object[""]?.jsonValue, .number(JSONNumber(5.0)))
        XCTAssertNil(object["mode"])
        XCTAssertNil(object["models"])
        XCTAssertNil(object[heapBacked("i")])
        XCTAssertNil(object["a key longer than fifteen byteS"])
    }

    func testKeysCompareByCodeUnitsNotCanonicalEquivalence() {
        // JSONata compares keys as strings of code units: a decomposed é is
        // another key than the composed one (as in documents).
        var object = ObjectValue()
        object["\u{E9}"] = .number(1)
        XCTAssertNil(object["e\u{301}"])
        object["e\u{301}"] = .number(2)
        XCTAssertEqual(object.count, 2)
        XCTAssertEqual(object["\u{E9}"]?.jsonValue, .number(JSONNumber(1.0)))
        XCTAssertEqual(object["e\u{301}"]?.jsonValue, .number(JSONNumber(2.0)))
    }

    func testLargeObjectsFindKeysAsSmallOnesDo() {
        // From 16 members on, lookups go through an index: the same keys.
        var object = ObjectValue()
        for number in 0..<20 { object["key \(number)"] = .number(Double(number)) }
        object["\u{E9}"] = .number(100)
        object[heapBacked("id")] = .number(101)
        XCTAssertEqual(object["key 17"]?.jsonValue, .number(JSONNumber(17.0)))
        XCTAssertEqual(object["id"]?.jsonValue, .number(JSONNumber(101.0)))
        XCTAssertEqual(object["\u{E9}"]?.jsonValue, .number(JSONNumber(100.0)))
        XCTAssertNil(object["e\u{301}"])
        object["key 3"] = nil
        XCTAssertNil(object["key 3"])
        XCTAssertEqual(object["key 4"]?.jsonValue, .number(JSONNumber(4.0)))
        XCTAssertEqual(object.count, 21)
    }

    func testBuiltObjectsAndDocumentsAgreeOnKeys() throws {
        let source = #"{"e\u0301": 1, "model": 2}"#
        // The document's key is decomposed; the expression names the composed é.
        let expression = try RuleExpression(#"$merge([$, {"x": 0}]).(`\#u{E9}` & "|" & model)"#)
        let result = try expression.evaluate(Value(document: try JSONDocument(bytes: Array(source.utf8))))
        XCTAssertEqual(result?.jsonValue, .string("|2"))
        let direct = try RuleExpression(#"`\#u{E9}` & "|" & model"#)
        XCTAssertEqual(try direct.evaluate(Value(document: try JSONDocument(bytes: Array(source.utf8))))?.jsonValue, .string("|2"))
    }
}
