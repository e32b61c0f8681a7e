import ConversionRules
import RuleDSL
import XCTest

/// A stream conversion's declared state: kept per stream, updated before
/// each payload's steps, the same whatever the split of the input.
final class StreamStateTests: XCTestCase {
    private static func step(_ source: String) -> ExpressionStep {
        ExpressionStep(expression: try! RuleExpression(source))
    }

    /// A rule whose stream conversion counts the payloads and sums their `n`.
    private static let counting = TestRules.service(
        "counting", "chat",
        [
            .streamResponseToAOG: Pipeline(
                steps: [TestRules.expression(#"{"count": $state.count, "total": $state.total}"#)],
                state: StreamStateRule(
                    initial: step(#"{"count": 0, "total": 0}"#),
                    update: step(#"{"count": $state.count + 1, "total": $state.total + n}"#)))
        ])

    private func rewriter(_ rules: ServiceRules = counting) -> StreamRewriter {
        StreamRewriter(
            rules: rules, conversion: .streamResponseToAOG,
            inputHeaders: HTTPHeaders([("Content-Type", "application/x-ndjson")]), variables: [:])
    }

    private func text(_ output: StreamOutput) -> String { String(decoding: output.bytes, as: UTF8.self) }

    func testEachPayloadSeesTheStateAfterIt() throws {
        var stream = rewriter()
        XCTAssertEqual(text(try stream.feed(Array("{\"n\": 5}\n{\"n\": 7}\n".utf8))), "{\"count\":1,\"total\":5}\n{\"count\":2,\"total\":12}\n")
        XCTAssertEqual(text(try stream.feed(Array("{\"n\": 1}".utf8))), "")
        XCTAssertEqual(text(try stream.finish()), "{\"count\":3,\"total\":13}\n")
    }

    func testTheStateBelongsToOneStream() throws {
        var first = rewriter()
        var second = rewriter()
        XCTAssertEqual(text(try first.feed(Array("{\"n\": 1}\n{\"n\": 1}\n".utf8))), "{\"count\":1,\"total\":1}\n{\"count\":2,\"total\":2}\n")
        XCTAssertEqual(text(try second.feed(Array("{\"n\": 10}\n".utf8))), "{\"count\":1,\"total\":10}\n")
        XCTAssertEqual(text(try first.feed(Array("{\"n\": 1}\n".utf8))), "{\"count\":3,\"total\":3}\n")
    }

    func testTheOutputDoesNotDependOnTheSplitOfTheInput() throws {
        let input = Array((1...20).map { "{\"n\": \($0)}\n" }.joined().utf8)
        var whole = rewriter()
        let expected = text(try whole.feed(input)) + text(try whole.finish())
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            var stream = rewriter()
            var output = ""
            var position = 0
            while position < input.count {
                let end = min(input.count, position + Int.random(in: 1...7, using: &generator))
                output += text(try stream.feed(Array(input[position..<end])))
                position = end
            }
            output += text(try stream.finish())
            XCTAssertEqual(output, expected)
        }
    }

    func testAFailingUpdateNamesTheStreamState() throws {
        let failing = TestRules.service(
            "failing", "chat",
            [
                .streamResponseToAOG: Pipeline(
                    steps: [TestRules.expression(#"{"s": $state}"#)], state: StreamStateRule(initial: nil, update: Self.step(#"$state + n"#)))
            ])
        var stream = rewriter(failing)
        XCTAssertThrowsError(try stream.feed(Array("{\"n\": \"text\"}\n".utf8))) { error in
            XCTAssertTrue("\(error)".contains("the stream state of failing:chat stream_response_to_aog: T2001"), "\(error)")
        }
    }

    func testAStateLargerThanItsLimitIsAnError() throws {
        let growing = TestRules.service(
            "growing", "chat",
            [
                .streamResponseToAOG: Pipeline(
                    steps: [TestRules.expression(#"{"ok": true}"#)],
                    state: StreamStateRule(initial: Self.step(#""""#), update: Self.step(#"$state & $pad("", 300000, "x")"#)))
            ])
        var stream = rewriter(growing)
        XCTAssertEqual(text(try stream.feed(Array("{}\n{}\n{}\n".utf8))), "{\"ok\":true}\n{\"ok\":true}\n{\"ok\":true}\n")
        XCTAssertThrowsError(try stream.feed(Array("{}\n".utf8))) { error in
            XCTAssertTrue("\(error)".contains("more than the 1048576 a stream may keep"), "\(error)")
        }
    }

    func testTwoHopsKeepAStateEach() throws {
        let source = TestRules.flavor("source", [Self.counting])
        let target = TestRules.flavor(
            "target",
            [
                TestRules.service(
                    "target", "chat",
                    [
                        .streamResponseFromAOG: Pipeline(
                            steps: [TestRules.expression(#"{"count": count, "seen": $state}"#)],
                            state: StreamStateRule(initial: nil, update: Self.step(#"$append($state, total)"#)))
                    ])
            ])
        let converter = try TwoHopConverter(base: .streamResponse, service: "chat", from: source, to: target)
        var stream = StreamRewriter(
            converter: converter, inputHeaders: HTTPHeaders([("Content-Type", "application/x-ndjson")]), variables: [:])
        XCTAssertEqual(
            text(try stream.feed(Array("{\"n\": 2}\n{\"n\": 3}\n".utf8))),
            "{\"count\":1,\"seen\":[null,2]}\n{\"count\":2,\"seen\":[null,2,5]}\n")
    }
}
