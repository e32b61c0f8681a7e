import ConversionRules
import Flavors
import Foundation
import RuleDSL
import XCTest

/// The README's Swift example, compiled and run: the code between the
/// markers below must be the README's `swift` block, line for line.
final class ReadmeExampleTests: XCTestCase {
    func testTheReadmeExampleIsThisCode() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let example = try XCTUnwrap(Self.between("// README example begins\n", "        // README example ends", in: source))
        let unindented = example.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : String($0) }.joined(separator: "\n")
        let block = try XCTUnwrap(Self.between("```swift\n", "```", in: readme))
        XCTAssertEqual(block, unindented)
    }

    func testTheReadmeExampleRuns() throws {
        var printed: [String] = []
        func print(_ text: String) { printed.append(text) }
        // README example begins
        let catalog = try RuleCatalog()  // the built-in flavors; addDirectory(_:) adds yours

        // A request in the hub (AOG) schema, converted for Ollama's /api/chat.
        let rule = try catalog.rule("ollama:chat")
        let request = HTTPContent(
            headers: HTTPHeaders([("Content-Type", "application/json")]),
            text: #"{"messages": [{"role": "user", "content": "Hi"}]}"#)
        let variables: [String: Value] = ["model": .string("qwen3:0.6b"), "stream": .bool(false)]
        if case .content(let converted) = try rule.rules.convert(.requestFromAOG, request, variables: variables) {
            print(String(decoding: converted.body, as: UTF8.self))
        }

        // An OpenAI response for an Ollama client: two hops through the hub schema.
        let openai = try catalog.flavor("openai")
        let ollama = try catalog.flavor("ollama")
        let response = try TwoHopConverter(base: .response, service: "chat", from: openai, to: ollama)
        let completion = HTTPContent(
            text: """
                {"id": "c1", "object": "chat.completion", "created": 1741675116, "model": "gpt-4o",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"}, "finish_reason": "stop"}]}
                """)
        if case .content(let converted) = try response.convert(completion, variables: [:]) {
            print(String(decoding: converted.body, as: UTF8.self))
        }

        // A stream, converted as its bytes arrive (any split gives the same output).
        let chunks = try TwoHopConverter(base: .streamResponse, service: "chat", from: openai, to: ollama)
        var stream = StreamRewriter(
            converter: chunks, inputHeaders: HTTPHeaders([("Content-Type", "text/event-stream")]),
            variables: ["id": .string("chatcmpl-1")])
        for read in [#"data: {"model": "gpt-4o", "choices": [{"delta": {"content": "Hi"}}]}"#, "\n\ndata: [DONE]\n\n"] {
            print(String(decoding: try stream.feed(Array(read.utf8)).bytes, as: UTF8.self))
        }
        print(String(decoding: try stream.finish().bytes, as: UTF8.self))

        // Errors name the rule, the conversion, the step and the place in the template.
        do {
            _ = try rule.rules.convert(.requestFromAOG, HTTPContent(text: "{not json"), variables: variables)
        } catch {
            print("\(error)")
        }
        // README example ends
        XCTAssertEqual(printed.count, 6, "\(printed)")
        XCTAssertEqual(printed[0], #"{"model":"qwen3:0.6b","stream":false,"messages":[{"role":"user","content":"Hi"}],"options":{}}"#)
        XCTAssertTrue(printed[1].contains(#""message":{"role":"assistant","content":"Hello"}"#), printed[1])
        XCTAssertTrue(printed[1].contains(#""done":true"#), printed[1])
        XCTAssertEqual(printed[2], "", "the first read ends no event")
        XCTAssertTrue(printed[3].contains(#""content":"Hi""#), printed[3])
        XCTAssertTrue(printed[5].hasPrefix("ollama:chat request_from_aog step 1: body is not JSON"), printed[5])
    }

    /// The example of docs/fixtures.md is a fixture file that passes.
    func testTheFixtureFormatsExamplePasses() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let guide = try String(contentsOf: root.appendingPathComponent("docs/fixtures.md"), encoding: .utf8)
        let example = try XCTUnwrap(guide.range(of: "## An example").flatMap { Self.between("```json\n", "```", in: String(guide[$0.upperBound...])) })
        let fixture = try FixtureFile(bytes: Array(example.utf8), file: "docs/fixtures.md")
        let catalog = try RuleCatalog()
        let results = FixtureRunner.run(fixture, rule: try catalog.rule("ollama:chat"), catalog: catalog)
        XCTAssertEqual(results.count, 2)
        for result in results { XCTAssertTrue(result.passed, result.differences.joined(separator: "\n")) }
    }

    private static func between(_ start: String, _ end: String, in text: String) -> String? {
        guard let from = text.range(of: start), let to = text.range(of: end, range: from.upperBound..<text.endIndex) else { return nil }
        return String(text[from.upperBound..<to.lowerBound])
    }
}
