import RuleDSL
import XCTest

final class ExpressionLintTests: XCTestCase {
    private func messages(_ source: String, context: Set<String> = ["model", "stream", "id"]) throws -> [String] {
        try RuleExpression(source).lint(contextVariables: context).map(\.description)
    }

    func testCleanTemplateExpressionHasNoDiagnostics() throws {
        XCTAssertEqual(
            try messages(
                """
                {
                  "model": $model,
                  "stream": $stream,
                  "messages": messages.{ "role": role, "content": $string(content) },
                  "options": ($t := temperature; $exists($t) ? { "temperature": $t } : undefined)
                }
                """), [])
    }

    func testUnknownFunctionWrongCountAndUnboundVariable() throws {
        XCTAssertEqual(
            try messages("{\n  \"a\": $uppercse(x),\n  \"b\": $substring(),\n  \"c\": $modle\n}"),
            [
                "2:8: unknown function $uppercse",
                "3:8: $substring takes 1 to 3 arguments, given 0",
                "4:8: variable $modle is not bound (context variables are bound by the caller)",
            ])
    }

    func testBindingsLambdasAndPathVariablesAreInScope() throws {
        XCTAssertEqual(try messages("($f := function($n) { $n <= 1 ? 1 : $n * $f($n - 1) }; $f(5))"), [])
        XCTAssertEqual(try messages("library.loans@$l.books@$b[$l.isbn = $b.isbn]#$i.{ 'i': $i }"), [])
        XCTAssertEqual(
            try messages("$map([1, 2], function($v, $i) { $v + $i + $k })"), ["1:43: variable $k is not bound (context variables are bound by the caller)"])
        XCTAssertEqual(try messages("$sum()"), ["1:1: $sum takes 1 argument, given 0"])
        XCTAssertEqual(try messages("$uppercase()"), [], "a '-' parameter takes the context")
    }
}
