import ConversionRules
import Flavors
import RuleDSL
import XCTest

/// U+2028, U+2029 and U+0085 in a provider's text reach a client escaped:
/// the ollama Python client splits NDJSON with `str.splitlines`, which
/// breaks lines on them, and would see half a payload. Checked through
/// both stream directions and every split of the input.
final class LineSeparatorTests: XCTestCase {
    private static let separators = ["\u{2028}", "\u{2029}", "\u{85}"]

    private static let catalog = Result { try RuleCatalog() }

    private func converter(from provider: String, to client: String) throws -> TwoHopConverter {
        let catalog = try Self.catalog.get()
        return try TwoHopConverter(base: .streamResponse, service: "chat", from: try catalog.flavor(provider), to: try catalog.flavor(client))
    }

    private func convertStream(_ converter: TwoHopConverter, contentType: String, input: [UInt8], splitAt split: Int) throws -> [UInt8] {
        var stream = StreamRewriter(converter: converter, inputHeaders: HTTPHeaders([("Content-Type", contentType)]), variables: [:])
        var output = try stream.feed(Array(input[..<split])).bytes
        output += try stream.feed(Array(input[split...])).bytes
        output += try stream.finish().bytes
        return output
    }

    private func assertNoRawSeparator(_ output: [UInt8], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let text = String(decoding: output, as: UTF8.self)
        for separator in Self.separators {
            XCTAssertFalse(text.contains(separator), "raw separator in \(message): \(text)", file: file, line: line)
        }
        XCTAssertTrue(text.contains(#"a\u2028b\u2029c\u0085d"#), "escaped content in \(message): \(text)", file: file, line: line)
    }

    func testAnOllamaStreamReachesAnOpenAIClientEscaped() throws {
        let line =
            #"{"model":"m","created_at":"2024-01-01T00:00:00Z","message":{"role":"assistant","content":"a"#
            + "\u{2028}b\u{2029}c\u{85}d" + #""},"done":false}"# + "\n"
        let input = Array(line.utf8)
        let converter = try converter(from: "ollama", to: "openai")
        for split in 0...input.count {
            let output = try convertStream(converter, contentType: "application/x-ndjson", input: input, splitAt: split)
            assertNoRawSeparator(output, "ollama to openai, split at \(split)")
        }
    }

    func testAnOpenAIStreamReachesAnOllamaClientEscaped() throws {
        let event =
            #"data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","#
            + #""choices":[{"index":0,"delta":{"role":"assistant","content":"a"#
            + "\u{2028}b\u{2029}c\u{85}d" + #""}}]}"# + "\n\n"
        let input = Array(event.utf8)
        let converter = try converter(from: "openai", to: "ollama")
        for split in 0...input.count {
            let output = try convertStream(converter, contentType: "text/event-stream", input: input, splitAt: split)
            assertNoRawSeparator(output, "openai to ollama, split at \(split)")
            let lines = String(decoding: output, as: UTF8.self).split(whereSeparator: \.isNewline)
            XCTAssertEqual(lines.count, 1, "one NDJSON line, as a client splitting on any line break reads it")
        }
    }
}
