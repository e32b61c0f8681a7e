import ConversionRules
import Foundation
import RuleDSL
import XCTest

final class StreamRewriterTests: XCTestCase {
    private let sseHeaders = HTTPHeaders([("Content-Type", "text/event-stream")])

    private func rewrite(_ input: String, splits: [Int] = [], make: () -> StreamRewriter) throws -> StreamOutput {
        var rewriter = make()
        var output = StreamOutput()
        let bytes = Array(input.utf8)
        var start = 0
        for split in splits + [bytes.count] where split >= start {
            let part = try rewriter.feed(Array(bytes[start..<split]))
            output.bytes += part.bytes
            output.payloads += part.payloads
            start = split
        }
        let last = try rewriter.finish()
        output.bytes += last.bytes
        output.payloads += last.payloads
        return output
    }

    private func text(_ payloads: [[UInt8]]) -> [String] { payloads.map { String(decoding: $0, as: UTF8.self) } }

    func testSSEDecoderJoinsDataLinesAndSkipsOtherFields() throws {
        var decoder = SSEDecoder()
        let payloads = try decoder.feed(
            Array(": ping\r\nevent: x\nid: 1\ndata: {\"a\":\ndata:1}\n\ndata: b\r\rretry: 5\ndata\n\nevent: only\n\ndata: open".utf8))
        XCTAssertEqual(text(payloads), ["{\"a\":\n1}", "b", ""])
        XCTAssertEqual(try decoder.finish(), [], "an event still open at end of input is discarded")
    }

    func testSSELineEndsAreFoundAtEveryOffset() throws {
        // Lines are scanned eight bytes at a time: every offset of the line
        // end, each kind of line end, and bytes that differ from `\n` or
        // `\r` only in their high bit (Ċ is C4 8A, \u{8D} is C2 8D).
        for length in 0..<40 {
            for ending in ["\n", "\r", "\r\n"] {
                let value = String(repeating: "x", count: length)
                let input = "data: \(value)\(ending)\(ending)data: Ċ\u{8D}\(value)\(ending)\(ending)"
                var decoder = SSEDecoder()
                XCTAssertEqual(
                    text(try decoder.feed(Array(input.utf8))), [value, "Ċ\u{8D}" + value],
                    "length \(length), ending \(ending.debugDescription)")
            }
        }
    }

    func testNDJSONDecoder() throws {
        var decoder = NDJSONDecoder()
        XCTAssertEqual(text(try decoder.feed(Array("{\"a\":1}\r\n\n  \n{\"b\":2}".utf8))), ["{\"a\":1}"])
        XCTAssertEqual(text(try decoder.finish()), ["{\"b\":2}"])
    }

    /// A line without a newline, or data lines without the blank line that
    /// ends their event, stop at the limit instead of growing without bound.
    func testDecodersStopAtTheirLimits() throws {
        let limits = StreamLimits(maximumLineBytes: 1_000, maximumEventBytes: 2_000)
        var sse = SSEDecoder(limits: limits)
        XCTAssertEqual(try sse.feed(Array(("data: " + String(repeating: "x", count: 900) + "\n\n").utf8)).count, 1)
        XCTAssertThrowsError(try sse.feed(Array(String(repeating: "y", count: 600).utf8) + Array(String(repeating: "y", count: 600).utf8))) {
            XCTAssertEqual($0 as? StreamTooLargeError, StreamTooLargeError(what: "line", limit: 1_000))
        }
        var events = SSEDecoder(limits: limits)
        XCTAssertThrowsError(try (0..<10).forEach { _ in _ = try events.feed(Array("data: \(String(repeating: "z", count: 300))\n".utf8)) }) {
            XCTAssertEqual($0 as? StreamTooLargeError, StreamTooLargeError(what: "event", limit: 2_000))
        }
        var ndjson = NDJSONDecoder(limits: limits)
        XCTAssertThrowsError(try (0..<3).forEach { _ in _ = try ndjson.feed(Array(String(repeating: "n", count: 400).utf8)) })
        // Through a rewriter: the stream fails with an error that says why.
        let converter = try TwoHopConverter(base: .streamResponse, service: "chat", from: TestRules.upper, to: TestRules.lower)
        var rewriter = StreamRewriter(converter: converter, inputHeaders: sseHeaders, variables: [:], streamLimits: limits)
        XCTAssertThrowsError(try rewriter.feed(Array(String(repeating: "w", count: 1_001).utf8))) {
            XCTAssertTrue("\($0)".contains("longer than 1000 bytes"), "\($0)")
        }
    }

    /// The event-stream rules strip a byte order mark at the start; it
    /// once made the first event's `data:` field unknown, and it was lost.
    func testALeadingByteOrderMarkIsNotPartOfTheFirstLine() throws {
        let input: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("data: first\n\ndata: second\n\n".utf8)
        for split in 0...input.count {
            var decoder = SSEDecoder()
            let payloads = try decoder.feed(Array(input[..<split])) + decoder.feed(Array(input[split...]))
            XCTAssertEqual(text(payloads), ["first", "second"], "split at \(split)")
        }
        var decoder = SSEDecoder()
        XCTAssertEqual(text(try decoder.feed([0xEF, 0xBB] + Array("\ndata: x\n\n".utf8))), ["x"], "a partial mark is a line of its own")
    }

    func testTwoHopStreamWithDropPrologueAndEpilogue() throws {
        let converter = try TwoHopConverter(base: .streamResponse, service: "chat", from: TestRules.upper, to: TestRules.lower)
        let input = "data: {\"text\":\"a\"}\n\n\n\ndata: {\"text\":\"b\"}\r\n\r\ndata: [DONE]\n\n"
        let output = try rewrite(input) {
            StreamRewriter(converter: converter, inputHeaders: sseHeaders, variables: ["id": .string("s1")])
        }
        XCTAssertEqual(text(output.payloads), [#"{"start":true}"#, #"{"msg":"a","id":"s1"}"#, #"{"msg":"b","id":"s1"}"#, "[DONE]"])
        XCTAssertEqual(
            String(decoding: output.bytes, as: UTF8.self),
            "data: {\"start\":true}\n\ndata: {\"msg\":\"a\",\"id\":\"s1\"}\n\ndata: {\"msg\":\"b\",\"id\":\"s1\"}\n\ndata: [DONE]\n\n")
    }

    func testOutputFramingFollowsTheFirstConvertedPayload() throws {
        let rules = TestRules.upper.services["chat"]!
        var rewriter = StreamRewriter(rules: rules, conversion: .streamResponseFromAOG, inputHeaders: sseHeaders, variables: ["id": .string("x")])
        var bytes = try rewriter.feed(Array("data: {\"content\":\"a\"}\n\n".utf8)).bytes
        bytes += try rewriter.finish().bytes
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "{\"text\":\"a\",\"id\":\"x\"}\n[DONE]\n")
        XCTAssertEqual(rewriter.outputFraming, .ndjson)
        XCTAssertEqual(rewriter.outputHeaders["Content-Type"], "application/x-ndjson")
    }

    func testEveryDroppedPayloadStillGetsPrologueAndEpilogue() throws {
        let converter = try TwoHopConverter(base: .streamResponse, service: "chat", from: TestRules.upper, to: TestRules.lower)
        let output = try rewrite("data: [DONE]\n\n") {
            StreamRewriter(converter: converter, inputHeaders: sseHeaders, variables: [:])
        }
        XCTAssertEqual(text(output.payloads), [#"{"start":true}"#, "[DONE]"])
    }

    func testAFailingPayloadEndsTheStreamWithItsIndex() throws {
        let converter = try TwoHopConverter(base: .streamResponse, service: "chat", from: TestRules.upper, to: TestRules.lower)
        var rewriter = StreamRewriter(converter: converter, inputHeaders: sseHeaders, variables: [:])
        let first = try rewriter.feed(Array("data: {\"text\":\"a\"}\n\n".utf8))
        XCTAssertTrue(String(decoding: first.bytes, as: UTF8.self).hasSuffix("\n\n"))
        XCTAssertThrowsError(try rewriter.feed(Array("data: {oops\n\n".utf8))) { error in
            XCTAssertTrue("\(error)".hasPrefix("stream chunk 1: upper:chat stream_response_to_aog step 2: body is not JSON"), "\(error)")
        }
        XCTAssertThrowsError(try rewriter.finish())
    }

    func testPayloadsOfABinaryStreamPassUnconverted() throws {
        let converter = try TwoHopConverter(base: .streamResponse, service: "chat", from: TestRules.upper, to: TestRules.lower)
        let headers = HTTPHeaders([("Content-Type", "Audio/L16; rate=16000")])
        let output = try rewrite("{\"text\":\"a\"}\n{\"text\":\"b\"}\n", splits: [5]) {
            StreamRewriter(converter: converter, inputHeaders: headers, variables: [:])
        }
        XCTAssertEqual(text(output.payloads), [#"{"start":true}"#, #"{"text":"a"}"#, #"{"text":"b"}"#, "[DONE]"])
    }

    func testSameFlavorPassesBytesUnchanged() throws {
        let converter = try TwoHopConverter(base: .streamResponse, service: "chat", from: TestRules.upper, to: TestRules.upper)
        let input = "data: {\"text\":\"a\"}\n\ndata: [DONE]\n\n"
        let output = try rewrite(input) { StreamRewriter(converter: converter, inputHeaders: sseHeaders, variables: [:]) }
        XCTAssertEqual(String(decoding: output.bytes, as: UTF8.self), input)
    }

    /// The output is the same for every split of the input into reads.
    func testAnySplitOfTheInputGivesTheSameOutput() throws {
        let converter = try TwoHopConverter(base: .streamResponse, service: "chat", from: TestRules.upper, to: TestRules.lower)
        let input = ": c\r\ndata: {\"text\":\"é😀\"}\r\n\r\ndata: {\"text\":\ndata:\"b\"}\r\rdata: {\"text\":\"c\"}\n\ndata: [DONE]\n\n"
        let make = { StreamRewriter(converter: converter, inputHeaders: self.sseHeaders, variables: ["id": .string("i")]) }
        let whole = try rewrite(input, make: make)
        XCTAssertEqual(whole.payloads.count, 5)
        let count = input.utf8.count
        for split in 0...count {
            XCTAssertEqual(try rewrite(input, splits: [split], make: make), whole, "split at \(split)")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let splits = (0..<Int.random(in: 1...8, using: &generator)).map { _ in Int.random(in: 0...count, using: &generator) }.sorted()
            XCTAssertEqual(try rewrite(input, splits: splits, make: make), whole, "splits \(splits)")
        }
        // Byte by byte, NDJSON too.
        XCTAssertEqual(try rewrite(input, splits: Array(0...count), make: make), whole)
        let ndjson = "{\"text\":\"a\"}\r\n\n{\"text\":\"b\"}"
        let makeNDJSON = { StreamRewriter(converter: converter, inputHeaders: HTTPHeaders([("Content-Type", "application/x-ndjson")]), variables: [:]) }
        let wholeNDJSON = try rewrite(ndjson, make: makeNDJSON)
        XCTAssertEqual(wholeNDJSON.payloads.count, 4)
        for split in 0...ndjson.utf8.count {
            XCTAssertEqual(try rewrite(ndjson, splits: [split], make: makeNDJSON), wholeNDJSON)
        }
    }

    /// The frames delivered before a failing payload, and then the error,
    /// are the same whatever the split: `good\nbad\n` in one read once lost
    /// the good payload's frame.
    func testTheFramesBeforeAFailureDoNotDependOnTheSplit() throws {
        let converter = try TwoHopConverter(base: .streamResponse, service: "chat", from: TestRules.upper, to: TestRules.lower)
        let input = Array("{\"text\":\"a\"}\n{\"text\":\"b\"}\n{oops\n{\"text\":\"c\"}\n".utf8)
        let headers = HTTPHeaders([("Content-Type", "application/x-ndjson")])
        func deliveredBeforeTheError(splits: [Int]) -> (bytes: [UInt8], error: String?) {
            var rewriter = StreamRewriter(converter: converter, inputHeaders: headers, variables: [:])
            var delivered: [UInt8] = []
            var start = 0
            do {
                for split in splits + [input.count] where split >= start {
                    delivered += try rewriter.feed(Array(input[start..<split])).bytes
                    start = split
                }
                delivered += try rewriter.finish().bytes
                return (delivered, nil)
            } catch {
                return (delivered, "\(error)")
            }
        }
        let whole = deliveredBeforeTheError(splits: [])
        XCTAssertEqual(text(whole.bytes.split(separator: 0x0A, omittingEmptySubsequences: true).map(Array.init)).count, 3)
        XCTAssertTrue(whole.error?.hasPrefix("stream chunk 2:") == true, whole.error ?? "no error")
        for split in 0...input.count {
            let part = deliveredBeforeTheError(splits: [split])
            XCTAssertEqual(part.bytes, whole.bytes, "split at \(split)")
            XCTAssertEqual(part.error, whole.error, "split at \(split)")
        }
    }

    func testFeedingAFinishedStreamIsAnError() throws {
        let converter = try TwoHopConverter(base: .streamResponse, service: "chat", from: TestRules.upper, to: TestRules.lower)
        var rewriter = StreamRewriter(converter: converter, inputHeaders: sseHeaders, variables: [:])
        _ = try rewriter.finish()
        XCTAssertTrue(rewriter.isFinished)
        XCTAssertThrowsError(try rewriter.feed(Array("data: {\"text\":\"a\"}\n\n".utf8))) { error in
            XCTAssertTrue("\(error)".contains("already finished"), "\(error)")
        }
    }
}
