import RuleDSL
import XCTest

/// Custom matchers: functions that stand where a regular expression may in
/// `$contains`, `$split`, `$match` and `$replace`.
final class MatchersTests: XCTestCase {
    /// A matcher for the literal `$ch`, written in JSONata as the language
    /// documentation describes matchers.
    private let literalMatcher = """
        $literal := function($ch) {
          $m := function($str, $offset) {(
            $before := $substringBefore($str, $ch);
            $start := $length($before) + ($exists($offset) ? $offset : 0);
            $end := $start + $length($ch);
            $before != $str ? {
              'match': $ch, 'start': $start, 'end': $end, 'groups': [],
              'next': function() { $m($substringAfter($str, $ch), $end) }
            }
          )}
        };
        """

    private func evaluate(_ body: String) throws -> String {
        let source = "(\n\(literalMatcher)\n\(body)\n)"
        guard let result = try RuleExpression(source).evaluate(nil) else { return "undefined" }
        var writer = JSONWriter()
        try result.write(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    func testCustomMatcherServesEveryStringFunction() throws {
        XCTAssertEqual(try evaluate(#"$split("a-b-c", $literal("-"))"#), #"["a","b","c"]"#)
        XCTAssertEqual(try evaluate(#"$replace("a-b-c", $literal("-"), "+", 1)"#), #""a+b-c""#)
        XCTAssertEqual(try evaluate(#"[$contains("abc", $literal("b")), $contains("abc", $literal("x"))]"#), "[true,false]")
        XCTAssertEqual(try evaluate(#"$match("xyxy", $literal("y")).index"#), "[1,3]")
    }

    func testMatcherReturningAnythingButAMatchIsT1010() {
        XCTAssertThrowsError(try evaluate("$split('some text', $uppercase)")) { error in
            XCTAssertEqual((error as? JSONataError)?.code, "T1010")
        }
        XCTAssertThrowsError(try evaluate("$match('abc', function($s) { {'match': 'a'} })")) { error in
            XCTAssertEqual((error as? JSONataError)?.code, "T1010")
        }
    }
}
