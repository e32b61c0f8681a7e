import RuleDSL
import XCTest

/// Numbers at and beyond the edges of what a machine integer or a date can
/// hold, where an index, a length, a limit, a radix or a timestamp comes
/// from an expression or a provider's body. Each gives a JSONata error or a
/// defined result; none may trap (a trap kills the host process).
final class NumericBoundaryTests: XCTestCase {
    private func outcome(_ source: String, _ json: String? = nil) -> String {
        do {
            let document = try json.map { try JSONDocument(text: $0) }
            guard let result = try RuleExpression(source).evaluate(document: document) else { return "undefined" }
            var writer = JSONWriter()
            try result.write(to: &writer)
            return String(decoding: writer.bytes, as: UTF8.self)
        } catch let error as JSONataError {
            return error.code
        } catch {
            return "\(error)"
        }
    }

    func testArithmeticBeyondTheDoublesIsD1001() {
        XCTAssertEqual(outcome("1/0"), "D1001")
        XCTAssertEqual(outcome("1e308*10"), "D1001")
        XCTAssertEqual(outcome("0/0"), "D1001")
        XCTAssertEqual(outcome("$string(1/0)"), "D3001")
        XCTAssertEqual(outcome("(1/0) + 1"), "D1001")
        XCTAssertEqual(outcome("-(1e308) - 1e308"), "D1001")
        XCTAssertEqual(outcome("$sum([1e308, 1e308])"), "D1001")
        XCTAssertEqual(outcome("$average([1e308, 1e308])"), "D1001")
        XCTAssertEqual(outcome("1e308 + 1"), "1e+308")
    }

    func testTheLargestDoubleKeepsItsDigitsInStrings() {
        XCTAssertEqual(outcome("$string(1.7976931348623157e308)"), #""1.7976931348623157e+308""#)
        XCTAssertEqual(outcome("$string(1e300)"), #""1e+300""#)
    }

    /// A provider's `created` in nanoseconds, or absurdly large, is a
    /// positioned error in the rule, not a crash.
    func testTimestampsOutsideTheDatesAreD3150() {
        XCTAssertEqual(outcome("$fromMillis(created * 1000)", #"{"created": 1e16}"#), "D3150")
        XCTAssertEqual(outcome("$fromMillis(1e300)"), "D3150")
        XCTAssertEqual(outcome("$fromMillis(1e300, '[Y]')"), "D3150")
        XCTAssertEqual(outcome("$fromMillis(8.64e15)"), #""275760-09-13T00:00:00.000Z""#)
        XCTAssertEqual(outcome("$fromMillis(-8.64e15)"), #""-271821-04-20T00:00:00.000Z""#)
        XCTAssertEqual(outcome(#"$toMillis("99999999999999999999", "[Y]")"#), "D3150")
        XCTAssertEqual(outcome(#"$toMillis("2020-01-01T00:00:00+99999999999999999999", "[Y]-[M]-[D]T[H]:[m]:[s][Z]")"#), "undefined")
        XCTAssertEqual(outcome(#"$fromMillis(0, "[Y,99999999999999999999]")"#), #""1970""#)
        XCTAssertEqual(outcome(#"$fromMillis(0, "[Y,2-99999999999999999999]")"#), #""70""#)
    }

    func testPositionsAndLimitsSaturate() {
        XCTAssertEqual(outcome(#"$substring("abc", 1e300)"#), #""""#)
        XCTAssertEqual(outcome(#"$substring("abc", 1, 1e300)"#), #""bc""#)
        XCTAssertEqual(outcome(#"$substring("abc", -1e300, 2)"#), #""ab""#)
        XCTAssertEqual(outcome(#"$split("a,b", ",", 1e300)"#), #"["a","b"]"#)
        XCTAssertEqual(outcome(#"$match("abc", /b/, 1e300).index"#), "1")
        XCTAssertEqual(outcome(#"$replace("abc", "b", "x", 1e300)"#), #""axc""#)
        XCTAssertEqual(outcome(#"$replace("abc", /b/, "x", 1e300)"#), #""axc""#)
        XCTAssertEqual(outcome("[1,2,3][1e300]"), "undefined")
        XCTAssertEqual(outcome("[1,2,3][-1e300]"), "undefined")
        XCTAssertEqual(outcome(#""abc"[-1e300]"#), "undefined")
        XCTAssertEqual(outcome("[1,2,3][[1e300, -1e300, 0]]"), "1")
        XCTAssertEqual(outcome("[-1e300..-1e300]"), "[-1e+300]")
    }

    func testRoundingAndBasesAtTheExtremes() {
        XCTAssertEqual(outcome("$round(1.5, 1e300)"), "1.5")
        XCTAssertEqual(outcome("$round(1e300, 350)"), "1e+300")
        XCTAssertEqual(outcome("$round(123.456, -1e300)"), "0")
        XCTAssertEqual(outcome("$formatBase(10, 1e300)"), "D3100")
        XCTAssertEqual(outcome("$formatBase($power(2, 64), 16)"), #""10000000000000000""#)
        XCTAssertEqual(outcome("$formatBase(-$power(2, 70), 2)"), #""-1"# + String(repeating: "0", count: 70) + #"""#)
        XCTAssertEqual(outcome("$formatBase(1e300)"), #""1e+300""#)
        XCTAssertEqual(outcome("$formatBase(1e20)"), #""100000000000000000000""#)
        XCTAssertEqual(outcome("$formatBase(1e300, 2)").count, 999)
    }

    func testIntegerPicturesOfHugeNumbers() {
        XCTAssertEqual(outcome(#"$formatInteger(1e300, "I")"#), "U1002")
        XCTAssertEqual(outcome(#"$formatInteger(1e16, "I")"#), "U1002")
        XCTAssertEqual(outcome(#"$formatInteger(3999, "I")"#), #""MMMCMXCIX""#)
        XCTAssertEqual(outcome(#"$formatInteger(28, "A")"#), #""AB""#)
        XCTAssertEqual(outcome(#"$length($formatInteger(1e300, "a"))"#), "213")
        XCTAssertEqual(outcome(#"$parseInteger("zzzzzzzzzzzzzzzz", "a")"#), "4.535309261540603e+22")
        XCTAssertEqual(outcome(#"$parseInteger("ab", "a")"#), "28")
        // Letters beyond a double's 53 bits round once, to the nearest double
        // of the number they denote (JavaScript's pow, which JSONata uses,
        // rounds some powers of 26 the other way: 1.744349715977155e+21 there).
        XCTAssertEqual(outcome(#"$parseInteger("zzzzzzzzzzzzzzz", "a")"#), "1.7443497159771549e+21")
        XCTAssertEqual(outcome(#"$parseInteger("\#(String(repeating: "z", count: 40))", "a")"#), "4.130163631252214e+56")
        XCTAssertEqual(outcome(#"$length($formatInteger(1e300, "1"))"#), "301")
    }

    func testPaddingBeyondTheSizeLimitIsU1002() {
        XCTAssertEqual(outcome(#"$pad("x", 9.3e18)"#), "U1002")
        XCTAssertEqual(outcome(#"$pad("x", 1e16)"#), "U1002")
        XCTAssertEqual(outcome(#"$pad("x", -1e300)"#), "U1002")
        XCTAssertEqual(outcome(#"$join([1..100].$pad("", 200000, "x"))"#), "U1002")
        let small = EvaluationLimits(maximumValueSize: 1_000)
        XCTAssertThrowsError(try RuleExpression("$append([1..600], [1..600])").evaluate(nil, limits: small)) {
            XCTAssertEqual(($0 as? JSONataError)?.code, "U1002")
        }
        XCTAssertEqual(try RuleExpression("$count($append([1..400], [1..400]))").evaluate(nil, limits: small)?.jsonValue, .number(JSONNumber(800.0)))
        XCTAssertEqual(outcome("$pad(\"x\", -3, \"#\")"), "\"##x\"")
    }

    /// A tree too deep to walk or release is refused when it is compiled.
    func testExpressionsNestedTooDeeplyAreU1001() {
        let chain = Array(repeating: "1", count: 200_000).joined(separator: " +\n")
        XCTAssertThrowsError(try RuleExpression(chain)) { XCTAssertEqual(($0 as? JSONataError)?.code, "U1001") }
        let parentheses = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        XCTAssertThrowsError(try RuleExpression(parentheses)) { XCTAssertEqual(($0 as? JSONataError)?.code, "U1001") }
        XCTAssertEqual(outcome(Array(repeating: "1", count: 200).joined(separator: " + ")), "200")
    }

    /// A fold that wraps its accumulator: refused past the nesting limit
    /// (the value could not be released), and a string that doubles
    /// forty times stops at the size limit.
    func testFoldsThatGrowWithoutBoundStopAtTheLimits() {
        XCTAssertEqual(outcome(#"$reduce([1..100000], function($a, $v){{"a": $a}}, {})"#), "U1002")
        XCTAssertEqual(outcome(#"$count($reduce([1..900], function($a, $v){{"a": $a}}, {}).**)"#), "901")
        XCTAssertEqual(outcome(#"$reduce([1..40], function($a, $v){$a & $a}, "x")"#), "U1002")
    }

    /// Sequences that feed themselves stop at the size limit before they are
    /// copied, and many values each within it stop at the evaluation's
    /// total: a recursion doubling its argument once took 90 s and all
    /// memory under a 200 ms limit.
    func testSequencesThatGrowGeometricallyStopAtTheLimits() {
        let doubling = #"($f := function($s, $x) { $x > 0 ? $f([$s, $s], $x) : $s }; $f("a", 1))"#
        XCTAssertEqual(outcome(doubling), "U1002")
        XCTAssertEqual(outcome(#"($f := function($s, $x) { $x > 0 ? $f([$s, $s], $x - 1) : $s }; $count($f("a", 20)))"#), "1048576")
        XCTAssertEqual(outcome("$count([1..10000].[1..10000])"), "U1002")
        XCTAssertEqual(outcome("$count([1..1000].[1..1000])"), "1000")
        let small = EvaluationLimits(maximumValueSize: 100_000)
        XCTAssertThrowsError(try RuleExpression("$count([1..400].([1..400]))").evaluate(nil, limits: small)) {
            XCTAssertEqual(($0 as? JSONataError)?.code, "U1002")
        }
        let timed = EvaluationLimits(timeLimitMilliseconds: 100, maximumValueSize: .max, maximumElementsProduced: .max)
        XCTAssertThrowsError(try RuleExpression(doubling).evaluate(nil, limits: timed)) {
            XCTAssertEqual(($0 as? JSONataError)?.code, "U1001")
        }
        let budget = EvaluationLimits(maximumElementsProduced: 10_000)
        XCTAssertThrowsError(try RuleExpression("[1..100].[1..100].$string()").evaluate(nil, limits: budget)) {
            XCTAssertEqual(($0 as? JSONataError)?.code, "U1002")
        }
    }

    /// Work inside one built-in, or in a loop that enters no node, honours
    /// the time limit: an exponential regular expression once ran 25 s
    /// under a 100 ms limit.
    func testTimeLimitsHoldInsideBuiltins() {
        let subject = String(repeating: "a", count: 30) + "!"
        let limits = EvaluationLimits(timeLimitMilliseconds: 100)
        let expressions = [
            #"$match(s, /(a+)+$/)"#, #"$replace(s, /(a+)+$/, "x")"#, #"$contains(s, /(a+)+$/)"#, #"$split(s, /(a+)+$/)"#,
            #"/(a+)+$/(s)"#, "$string([1..10000000])", "[1..10000000].(1)", "[1..3000].([1..3000].(1))",
            "$distinct([1..200000])", #"$count($keys([1..200000].{"k" & $: 1}))"#,
        ]
        for source in expressions {
            XCTAssertThrowsError(try RuleExpression(source).evaluate(document: try JSONDocument(text: #"{"s": "\#(subject)"}"#), limits: limits), source) {
                XCTAssertEqual(($0 as? JSONataError)?.code, "U1001", source)
            }
        }
        XCTAssertEqual(outcome(#"$match("xaay", /a+/).match"#), #""aa""#)
    }

    /// A picture of many digits pads in one step (digit by digit it took
    /// seconds for 100,000 zeros); grouping positions are found in a set.
    func testLongNumberPictures() {
        let zeros = String(repeating: "0", count: 100_000)
        XCTAssertEqual(outcome(#"$length($formatNumber(12, "\#(zeros)"))"#), "100000")
        XCTAssertEqual(outcome(#"$substring($formatNumber(12, "\#(zeros)"), 99990)"#), #""0000000012""#)
        XCTAssertEqual(outcome(##"$formatNumber(1234567.5, "#,##0.00")"##), #""1,234,567.50""#)
        XCTAssertEqual(outcome(##"$formatNumber(0.25, "0.0000#")"##), #""0.2500""#)
    }
}
