import RuleDSL
import XCTest

/// Plain name paths (`a.b.c`, `choices[0].delta`) are walked directly
/// through documents and objects; these cases pin the results to the
/// language's path semantics, including where the walk hands over to the
/// general path evaluation (arrays on the way, nested arrays).
final class NameChainTests: XCTestCase {
    private func text(_ value: Value?) throws -> String {
        guard let value else { return "undefined" }
        var writer = JSONWriter()
        try value.write(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private let cases: [(expression: String, input: String, expected: String)] = [
        ("a.b.c", #"{"a": {"b": {"c": 5}}}"#, "5"),
        ("a.b", #"{"a": [{"b": 1}, {"b": 2}]}"#, "[1,2]"),
        ("a[0].b", #"{"a": [{"b": 1}, {"b": 2}]}"#, "1"),
        ("a[-1].b", #"{"a": [{"b": 1}, {"b": 2}]}"#, "2"),
        ("a[3].b", #"{"a": [{"b": 1}]}"#, "undefined"),
        ("a[0].b", #"{"a": {"b": 1}}"#, "1"),
        ("a[1].b", #"{"a": {"b": 1}}"#, "undefined"),
        ("a[-1].b", #"{"a": {"b": 1}}"#, "1"),
        ("a[0]", #"{"a": [[1, 2], [3]]}"#, "[1,2]"),
        ("a[0].b", #"{"a": [[{"b": 1}, {"b": 2}], [{"b": 3}]]}"#, "[1,2]"),
        ("a.b", #"{"a": "text"}"#, "undefined"),
        ("a", #"{"a": 1, "a": 2}"#, "2"),
        ("ab", #"{"\u0061b": 1}"#, "1"),
        ("a", #"[{"a": 1}, {"a": 2}]"#, "[1,2]"),
        ("a.b", #"{"a": {"b": [1, 2]}}"#, "[1,2]"),
        ("a.b[1]", #"{"a": {"b": [1, 2]}}"#, "2"),
        ("a.b", #"{"a": {"b": []}}"#, "[]"),
        ("a.b", #"{"a": null}"#, "undefined"),
        ("a", #"{"a": null}"#, "null"),
        ("a.b.c", #"{"a": {"b": [{"c": 1}, {"c": [2, 3]}]}}"#, "[1,2,3]"),
        ("{\"x\": a.b, \"y\": a.missing}", #"{"a": {"b": true}}"#, #"{"x":true}"#),
        // Object constructors find their values' first fields in one pass.
        (#"{"x": a, "y": b.c, "z": a}"#, #"{"a": 1, "b": {"c": 2}, "a": 3}"#, #"{"x":3,"y":2,"z":3}"#),
        (#"{"x": ab, "y": c}"#, #"{"\u0061b": 1, "c": 2}"#, #"{"x":1,"y":2}"#),
        (#"{"x": a[1], "y": b, "w": b[0]}"#, #"{"a": [1, 2], "b": [3]}"#, #"{"x":2,"y":[3],"w":3}"#),
        (#"{"x": a.b, "y": c}"#, #"{"a": [{"b": 1}, {"b": 2}], "c": null}"#, #"{"x":[1,2],"y":null}"#),
        (#"{"x": missing, "y": c, "z": c.d}"#, #"{"c": 1}"#, #"{"y":1}"#),
        (#"{"x": a, "y": a + 1, "z": $string(a)}"#, #"{"a": 1}"#, #"{"x":1,"y":2,"z":"1"}"#),
        // Field paths inside the values (operands of operators, conditions
        // and calls) start from the fields found in that pass too.
        (
            #"{"t": $type(c) = "number" ? c * 2 : c, "f": $exists(d[0].e) ? d[0].e : null}"#,
            #"{"c": 3, "d": [{"e": "x"}, {"e": "y"}], "c": 4}"#, #"{"t":8,"f":"x"}"#
        ),
        (
            #"{"t": $type(c) = "number" ? c * 2 : c, "f": $exists(d[0].e) ? d[0].e : null}"#,
            #"{"c": "text", "d": []}"#, #"{"t":"text","f":null}"#
        ),
        (
            #"{"s": a.b & "!", "n": -a.n, "k": a.b in ["x", "y"], "m": missing ? 1 : 2}"#,
            #"{"a": {"b": "x", "n": 5}}"#, #"{"s":"x!","n":-5,"k":true,"m":2}"#
        ),
        // A nested constructor over the same input plans its own fields;
        // one over other inputs (each item of a path) finds them in each item.
        (
            #"{"a": a, "o": {"x": $string(a) & b, "y": b}, "l": items.{"v": v + a, "w": $exists(w) ? w : 0}}"#,
            #"{"a": 1, "b": "B", "items": [{"v": 10, "a": 5}, {"v": 20, "w": 7}]}"#,
            #"{"a":1,"o":{"x":"1B","y":"B"},"l":[{"v":15,"w":0},{"w":7}]}"#
        ),
        // A built object of 16 members and more is searched through its index.
        (
            #"{"x": k1, "y": k19, "z": $exists(k5) ? k5 : 0, "w": k20}"#,
            "{" + (0..<20).map { #""k\#($0)": \#($0)"# }.joined(separator: ", ") + "}", #"{"x":1,"y":19,"z":5}"#
        ),
        // Arrays on the way hand the walk over to path evaluation.
        (
            #"{"n": $count(a.b), "m": a.b[1], "k": $exists(c.d) ? c.d[1] : 0, "j": c.d}"#,
            #"{"a": [{"b": 1}, {"b": 2}], "c": {"d": [3, 4]}}"#, #"{"n":2,"k":4,"j":[3,4]}"#
        ),
        // A function defined in a value reads fields of the input it is called with.
        (
            #"{"a": a, "f": $map(items, function($i) { $i.v + a })}"#,
            #"{"a": 1, "items": [{"v": 1}, {"v": 2}]}"#, #"{"a":1,"f":[2,3]}"#
        ),
    ]

    func testDocumentInputs() throws {
        for testCase in cases {
            let result = try RuleExpression(testCase.expression).evaluate(document: try JSONDocument(text: testCase.input))
            XCTAssertEqual(try text(result), testCase.expected, "\(testCase.expression) on \(testCase.input)")
        }
    }

    func testErrorsInsideAnObjectConstructorReachTheCaller() throws {
        let expression = try RuleExpression(#"{"x": a, "y": $number(b), "z": c}"#)
        XCTAssertThrowsError(try expression.evaluate(document: try JSONDocument(text: #"{"a": 1, "b": "one", "c": 2}"#))) { error in
            XCTAssertEqual((error as? JSONataError)?.code, "D3030")
        }
    }

    /// The same paths over values built in memory (the input of a second
    /// hop), where objects are not documents.
    func testBuiltValueInputs() throws {
        for testCase in cases where !testCase.input.contains(#""a": 1, "a": 2"#) {
            let input = Value(try JSONValue(parsing: testCase.input))
            let result = try RuleExpression(testCase.expression).evaluate(input)
            XCTAssertEqual(try text(result), testCase.expected, "\(testCase.expression) on built \(testCase.input)")
        }
    }
}
