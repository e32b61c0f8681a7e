import Foundation
import RuleDSL
import XCTest

final class RuleExpressionTests: XCTestCase {
    private func evaluate(_ source: String, _ json: String, bindings: [String: Value] = [:]) throws -> String {
        let document = try JSONDocument(text: json)
        guard let result = try RuleExpression(source).evaluate(document: document, bindings: bindings) else { return "undefined" }
        var writer = JSONWriter()
        try result.write(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Writing the result as it is evaluated gives the text of evaluating,
    /// then writing: members in order, undefined ones left out, field paths
    /// found in one pass, an array input grouped, nested constructors.
    func testWritingAsEvaluatedMatchesEvaluatingThenWriting() throws {
        let input = try JSONDocument(text: #"{"a": 1, "b": {"c": [1, 2]}, "s": "x\u00e9", "n": null}"#)
        let sources = [
            #"{"a": a, "missing": nope, "c": b.c, "nested": {"s": s, "n": n}, "sum": $sum(b.c)}"#,
            #"{"only": nope}"#, #"{}"#, #"a"#, #"b.c"#, #"nope"#, #"{"k": b.c[0], "t": $type(s)}[0]"#,
            #"{"seq": b.c.($ * 2)}"#,
            #"{"o": {"x": nope}, "p": {"q": {"r": a, "s": "t"}}, "u": {"x": a}[0], "v": b.{"w": c}}"#,
            #"a ? {"yes": a} : {"no": b}"#, #"nope ? {"yes": a} : {"no": b}"#, #"nope ? {"yes": a}"#,
            #"n ? {"x": 1} : a = 1 ? {"chain": s} : "other""#, #"(a ? {"x": a})"#, #"b.c ? b.c : {}"#,
        ]
        for source in sources {
            let expression = try RuleExpression(source)
            for value in [Value(document: input), Value(document: try JSONDocument(text: "[1, 2]"))] {
                let expected = try expression.evaluate(value).map { value throws -> String in
                    var writer = JSONWriter()
                    try value.write(to: &writer)
                    return String(decoding: writer.bytes, as: UTF8.self)
                }
                var writer = JSONWriter()
                let written = try expression.write(value, to: &writer)
                XCTAssertEqual(written ? String(decoding: writer.bytes, as: UTF8.self) : nil, expected, source)
            }
        }
    }

    /// A variable bound to undefined in an inner scope, or a parameter given
    /// no argument, is undefined there: it hides the outer binding.
    func testAnUndefinedBindingShadowsTheOuterOne() throws {
        XCTAssertEqual(try evaluate("($foo := 1; ($foo := nothing; $foo))", "{}"), "undefined")
        XCTAssertEqual(try evaluate("($foo := 1; ($foo := nothing; $foo := 2; $foo))", "{}"), "2")
        XCTAssertEqual(try evaluate("($foo := 1; ($foo := nothing); $foo)", "{}"), "1")
        XCTAssertEqual(try evaluate("($x := 5; $f := function($x) { $x }; $f())", "{}"), "undefined")
        XCTAssertEqual(try evaluate("($x := 5; $f := function($y) { $x }; $f())", "{}"), "5")
    }

    /// Strings are equal when their code units are: canonically equivalent
    /// spellings ("\u{E9}" and "e\u{301}") are different strings, as in JSONata.
    /// An expression given to `$eval` sees the caller's variables and the
    /// blocks around the call, but not the parameters of the function
    /// the call is in.
    func testEvalSeesTheVariablesInScope() throws {
        let model: [String: Value] = ["model": .string("qwen")]
        XCTAssertEqual(try evaluate(#"$eval("$model & '!'")"#, "{}", bindings: model), #""qwen!""#)
        XCTAssertEqual(try evaluate(#"($suffix := "?"; $eval("$model & $suffix"))"#, "{}", bindings: model), #""qwen?""#)
        XCTAssertEqual(try evaluate(#"(function($model){ $eval("$model") })("other")"#, "{}", bindings: model), #""qwen""#)
    }

    func testStringsCompareByCodeUnits() throws {
        XCTAssertEqual(try evaluate(#""\u00e9" = "e\u0301""#, "{}"), "false")
        XCTAssertEqual(try evaluate(#"a = "e\u0301""#, #"{"a": "\u00e9"}"#), "false")
        XCTAssertEqual(try evaluate(#"a != b"#, #"{"a": "\u00e9", "b": "e\u0301"}"#), "true")
        XCTAssertEqual(try evaluate(#"a = "\u00e9""#, #"{"a": "\u00e9"}"#), "true")
        XCTAssertEqual(try evaluate(#""e\u0301" in ["\u00e9"]"#, "{}"), "false")
    }

    /// `$string` keeps an integer's digits and rounds fractions to 15.
    func testStringOfNumbers() throws {
        XCTAssertEqual(try evaluate("$string(12345678901234567890)", "{}"), #""12345678901234567000""#)
        XCTAssertEqual(try evaluate("$string(123456789012345678)", "{}"), #""123456789012345680""#)
        XCTAssertEqual(try evaluate("$string(0.1 + 0.2)", "{}"), #""0.3""#)
        XCTAssertEqual(try evaluate("$string(1e300)", "{}"), #""1e+300""#)
    }

    func testWritingReportsAnEvaluationErrorWithItsPosition() throws {
        var writer = JSONWriter()
        XCTAssertThrowsError(try RuleExpression(#"{"a": 1, "b": "x" + 1}"#).write(nil, to: &writer)) { error in
            guard case .evaluation(let failure) = error as? ResultWriteError else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.code, "T2001")
            XCTAssertEqual(failure.position, 18)
        }
    }

    func testCarriedOverValuesKeepTheirBytes() throws {
        let input = #"{"messages":[{"role":"user","content":"caf\u00e9"}],"seed":12345678901234567890,"t":0.10}"#
        XCTAssertEqual(
            try evaluate(
                #"{"model": $model, "messages": messages, "options": {"seed": seed, "temperature": t}}"#,
                input, bindings: ["model": .string("qwen3")]),
            #"{"model":"qwen3","messages":[{"role":"user","content":"caf\u00e9"}],"options":{"seed":12345678901234567890,"temperature":0.10}}"#)
    }

    func testNullIsAValueAndMissingVariablesOmitKeys() throws {
        XCTAssertEqual(try evaluate(#"{"k": x, "m": $model, "e": $exists(x)}"#, #"{"x": null}"#), #"{"k":null,"e":true}"#)
    }

    func testComputedNumbersAreWrittenShortest() throws {
        XCTAssertEqual(
            try evaluate("[a + b, a * 3, 1e21, 2/3]", #"{"a": 0.1, "b": 0.2}"#),
            "[0.30000000000000004,0.30000000000000004,1e+21,0.6666666666666666]")
    }

    func testFocusBindsPerItemOnlyWhereTheStepIsAPath() throws {
        XCTAssertEqual(try evaluate("$@$i", "[1,2,3]"), "[1,2,3]")
        XCTAssertEqual(try evaluate("$@$i.($i * 2)", "[1,2,3]"), "[2,4,6]")
        XCTAssertEqual(try evaluate("a@$x.($x)", #"{"a": [1, 2]}"#), "[1,2]")
        XCTAssertEqual(try evaluate("a@$x", #"{"a": [1, 2]}"#), #"[{"a":[1,2]},{"a":[1,2]}]"#)
    }

    func testParentReachesThroughBlocksAndFocusSteps() throws {
        let data = #"{"shop": "s", "orders": [{"id": 1, "items": [{"n": "a"}, {"n": "b"}]}, {"id": 2, "items": [{"n": "c"}]}]}"#
        XCTAssertEqual(
            try evaluate("(orders.items).{'n': n, 'order': %.id}", data),
            #"[{"n":"a","order":1},{"n":"b","order":1},{"n":"c","order":2}]"#)
        XCTAssertEqual(try evaluate("(orders.items)[%.id = 2].n", data), #""c""#)
        XCTAssertEqual(try evaluate("(orders).(items).(n & %.%.shop)", data), #"["as","bs","cs"]"#)
        // After a focus step, `%` is that step's input and `%.%` goes on past the other focus steps.
        let library = #"{"lib": {"loans": [{"book": 1}, {"book": 2}], "books": [{"id": 1, "t": "x"}, {"id": 2, "t": "y"}]}}"#
        XCTAssertEqual(
            try evaluate("lib.loans@$l.books@$b[$l.book = $b.id].{'t': $b.t, 'p': $keys(%), 'pp': $keys(%.%)}", library),
            #"[{"t":"x","p":["loans","books"],"pp":"lib"},{"t":"y","p":["loans","books"],"pp":"lib"}]"#)
        XCTAssertEqual(
            try evaluate("lib.loans@$l.books[$l.book = id].{'t': t, 'pp': $keys(%.%)}", library),
            #"[{"t":"x","pp":["loans","books"]},{"t":"y","pp":["loans","books"]}]"#)
    }

    func testSyntaxErrorsCarryCodeAndPosition() {
        let cases: [(String, String, Int)] = [
            ("{\"a\": }", "S0211", 6), ("foo(", "S0207", 4), ("\"abc", "S0101", 0), ("1 +", "S0207", 3),
            ("$x := ", "S0207", 6), ("a.5", "S0213", 2), ("/* x", "S0106", 0),
        ]
        for (source, code, position) in cases {
            XCTAssertThrowsError(try RuleExpression(source), source) { error in
                let error = error as! JSONataError
                XCTAssertEqual(error.code, code, "\(source): \(error)")
                XCTAssertEqual(error.position, position, "\(source): \(error)")
            }
        }
    }

    func testDynamicErrorsCarryCodeAndPosition() throws {
        XCTAssertThrowsError(try RuleExpression(#"1 + "a""#).evaluate(nil)) { error in
            XCTAssertEqual((error as! JSONataError).code, "T2002")
            XCTAssertEqual((error as! JSONataError).position, 2)
        }
        XCTAssertThrowsError(try RuleExpression("$undefinedFunction(1)").evaluate(nil)) { error in
            XCTAssertEqual((error as! JSONataError).code, "T1006")
        }
    }

    func testLimitsStopRunawayEvaluation() throws {
        let endless = try RuleExpression("($f := function($n) { $n + $f($n + 1) }; $f(0))")
        XCTAssertThrowsError(try endless.evaluate(nil, limits: EvaluationLimits(maximumDepth: 200))) { error in
            XCTAssertEqual((error as! JSONataError).code, "U1001")
        }
        let loop = try RuleExpression("($f := function($n) { $f($n + 1) }; $f(0))")
        XCTAssertThrowsError(try loop.evaluate(nil, limits: EvaluationLimits(timeLimitMilliseconds: 50))) { error in
            XCTAssertEqual((error as! JSONataError).code, "U1001")
        }
    }

    func testDeepRecursionOnASmallStackFailsCleanly() {
        let expression = try! RuleExpression("($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))")
        let finished = expectation(description: "evaluated")
        let outcome = ResultCell()
        let thread = Thread {
            do {
                _ = try expression.evaluate(nil, limits: EvaluationLimits(maximumDepth: 1_000_000))
                outcome.set("no error")
            } catch {
                outcome.set((error as? JSONataError)?.code ?? "\(error)")
            }
            finished.fulfill()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        wait(for: [finished], timeout: 60)
        XCTAssertEqual(outcome.value, "U1001")
    }

    func testOneCompiledExpressionServesManyThreads() throws {
        let expression = try RuleExpression(#"{"model": $model, "n": $count(items), "first": items[0].name}"#)
        let document = try JSONDocument(text: #"{"items": [{"name": "a"}, {"name": "b"}]}"#)
        let failures = ManagedAtomicCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for iteration in 0..<200 {
                let model = "m\(thread)-\(iteration)"
                do {
                    let result = try expression.evaluate(document: document, bindings: ["model": .string(model)])
                    if result?.jsonValue != .object(JSONObject([("model", .string(model)), ("n", .number(JSONNumber(Int64(2)))), ("first", .string("a"))])) {
                        failures.increment()
                    }
                } catch {
                    failures.increment()
                }
            }
        }
        XCTAssertEqual(failures.value, 0)
    }
    /// One-argument built-ins ($type, $exists, $boolean, $not) take a
    /// shorter path when called with one argument; every other way of
    /// calling them gives the same results.
    func testOneArgumentBuiltinsInEveryCallForm() throws {
        let data = #"{"n": 1, "s": "", "a": [0, 1]}"#
        XCTAssertEqual(try evaluate(#"[$type(n), $type(s), $type(a), $type(missing)]"#, data), #"["number","string","array"]"#)
        XCTAssertEqual(
            try evaluate(#"[$exists(n), $exists(missing), $boolean(s), $not(s), $boolean(missing)]"#, data),
            "[true,false,false,true]")
        XCTAssertEqual(try evaluate("n.$boolean()", data), "true")
        XCTAssertEqual(try evaluate("$map(a, $not)", data), "[true,false]")
        XCTAssertEqual(try evaluate("a ~> $type", data), #""array""#)
        XCTAssertEqual(try evaluate(#"($t := $type(?); $t(n))"#, data), #""number""#)
        XCTAssertEqual(try evaluate(#"($type := function($x) { "mine" }; $type(n))"#, data), #""mine""#)
        // A caller's binding of the name shadows the built-in: calling a string fails.
        XCTAssertThrowsError(try evaluate("$type(n)", data, bindings: ["type": .string("not a function")]))
    }
}

/// A string handed from one thread to another in a test.
final class ResultCell: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = ""
    func set(_ text: String) {
        lock.lock()
        stored = text
        lock.unlock()
    }
    var value: String {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// A counter shared by threads in a test.
final class ManagedAtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

}
