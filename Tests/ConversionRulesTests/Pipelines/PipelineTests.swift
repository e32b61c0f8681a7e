import ConversionRules
import RuleDSL
import XCTest

final class PipelineTests: XCTestCase {
    private let headers = HTTPHeaders([("Content-Type", "text/plain"), ("X-A", "1"), ("Content-Length", "9")])

    func testHeaderEditsApplyInOrder() {
        let edit = HeaderEdit(
            clearAll: false, delete: ["x-a"], set: [("Content-Type", "application/json")],
            add: [("X-A", "2"), ("content-type", "text/plain")])
        let result = edit.apply(to: headers)
        XCTAssertEqual(result.values(of: "Content-Type"), ["application/json", "text/plain"])
        XCTAssertEqual(result.values(of: "X-A"), ["2"])
        XCTAssertEqual(HeaderEdit(clearAll: true, add: [("A", "b")]).apply(to: headers), HTTPHeaders([("A", "b")]))
    }

    func testSetReplacesEveryValueOfANameOnce() {
        var same = HTTPHeaders([("Content-Type", "application/json"), ("X-A", "1")])
        same.set("content-type", "application/json")
        XCTAssertEqual(same, HTTPHeaders([("Content-Type", "application/json"), ("X-A", "1")]))
        var repeated = HTTPHeaders([("Content-Type", "application/json"), ("X-A", "1"), ("content-type", "text/plain")])
        repeated.set("Content-Type", "application/json")
        XCTAssertEqual(repeated, HTTPHeaders([("Content-Type", "application/json"), ("X-A", "1")]))
        var other = HTTPHeaders([("Content-Type", "text/plain")])
        other.set("Content-Type", "application/json")
        XCTAssertEqual(other.values(of: "content-type"), ["application/json"])
    }

    func testHeaderEditsCompareNamesAndValuesByBytes() {
        // Set leaves a single field that already has the value as it is
        // (its name's spelling too), and replaces one that differs only in case.
        let set = HeaderEdit(set: [("content-type", "application/json; charset=utf-8")])
        let already = HTTPHeaders([("Content-Type", "application/json; charset=utf-8"), ("X-A", "1")])
        XCTAssertEqual(set.apply(to: already).fields.map(\.name), ["Content-Type", "X-A"])
        let otherCase = HTTPHeaders([("Content-Type", "Application/JSON; charset=utf-8")])
        XCTAssertEqual(set.apply(to: otherCase).values(of: "Content-Type"), ["application/json; charset=utf-8"])
        // Two fields of the name: the value is set once, even when the first has it.
        let twice = HTTPHeaders([("Content-Type", "application/json; charset=utf-8"), ("content-type", "text/plain")])
        XCTAssertEqual(set.apply(to: twice).values(of: "Content-Type"), ["application/json; charset=utf-8"])
        // Names and values beyond ASCII and longer than a small string.
        let delete = HeaderEdit(delete: ["X-Long-Header-Name-Über"], add: [("X-Trace-Identifier-Value", "ä-1234567890123456")])
        let result = delete.apply(to: HTTPHeaders([("x-long-header-name-Über", "1"), ("X-Long-Header-Name-über", "2")]))
        XCTAssertEqual(result.values(of: "X-Long-Header-Name-über"), ["2"], "only ASCII letters ignore case")
        XCTAssertEqual(result.values(of: "x-trace-identifier-value"), ["ä-1234567890123456"])
    }

    func testDropRules() throws {
        XCTAssertTrue(try DropRule(pattern: "[DONE]", isRegex: false, trim: true).matches(Array(" [DONE]\n".utf8)))
        XCTAssertFalse(try DropRule(pattern: "[DONE]", isRegex: false, trim: false).matches(Array(" [DONE]\n".utf8)))
        XCTAssertTrue(try DropRule(pattern: "DONE\\]$", isRegex: true, trim: true).matches(Array("data: [DONE]".utf8)))
        XCTAssertThrowsError(try DropRule(pattern: "(", isRegex: true, trim: false))
    }

    func testExpressionStepConvertsBodyAndKeepsHeaders() throws {
        let rules = TestRules.upper.services["chat"]!
        let outcome = try rules.convert(
            .requestFromAOG, HTTPContent(headers: headers, text: #"{"content":"hi"}"#),
            variables: ["model": .string("m1")])
        XCTAssertEqual(outcome.bodyText, #"{"model":"m1","text":"hi"}"#)
        XCTAssertEqual(outcome.content?.headers["content-type"], "application/json")
        XCTAssertEqual(outcome.content?.headers["X-A"], "1")
    }

    func testMissingVariableOmitsTheKey() throws {
        let rules = TestRules.upper.services["chat"]!
        let outcome = try rules.convert(.requestFromAOG, HTTPContent(text: #"{"content":"hi"}"#), variables: [:])
        XCTAssertEqual(outcome.bodyText, #"{"text":"hi"}"#)
    }

    func testDropIsAnOutcomeNotAnError() throws {
        let rules = TestRules.upper.services["chat"]!
        guard case .dropped = try rules.convert(.streamResponseToAOG, HTTPContent(text: "[DONE]"), variables: [:]) else {
            return XCTFail("expected a drop")
        }
    }

    func testBodyThatIsNotJSONNamesRuleStepAndPosition() {
        let rules = TestRules.upper.services["chat"]!
        XCTAssertThrowsError(try rules.convert(.requestFromAOG, HTTPContent(text: "{\"content\":\n oops}"), variables: [:])) { error in
            let error = error as! ConversionError
            XCTAssertEqual(error.step, 1)
            XCTAssertEqual(error.description, "upper:chat request_from_aog step 1: body is not JSON: expected a value but found 'o' at line 2, column 2")
        }
    }

    func testUndefinedResultAndExpressionErrorsNameTheStep() throws {
        let undefinedRule = TestRules.service("t", "chat", [.responseToAOG: Pipeline(steps: [TestRules.expression("missing")])])
        XCTAssertThrowsError(try undefinedRule.convert(.responseToAOG, HTTPContent(text: "{}"), variables: [:])) { error in
            XCTAssertEqual("\(error)", "t:chat response_to_aog step 1: the expression produced no value (undefined)")
        }
        let origin = ExpressionOrigin(
            file: "t.yaml",
            lineStarts: [
                .init(characterOffset: 0, line: 10, column: 9),
                .init(characterOffset: 4, line: 11, column: 9),
            ])
        let failing = TestRules.service(
            "t", "chat",
            [
                .responseToAOG: Pipeline(steps: [
                    .expression(ExpressionStep(expression: try RuleExpression("{\n  \"a\": 1 + \"x\"}"), origin: origin))
                ])
            ])
        XCTAssertThrowsError(try failing.convert(.responseToAOG, HTTPContent(text: "{}"), variables: [:])) { error in
            XCTAssertEqual("\(error)", "t:chat response_to_aog step 1: T2002 The right side of the + operator must evaluate to a number at t.yaml:11:16")
        }
    }
}
