import ConversionRules
import RuleDSL

/// The stream rewriter against a plain reference decoder: the first byte
/// chooses the framing (SSE or NDJSON), the next four seed the split into
/// reads, the rest is the stream. The payloads found must be the
/// reference's, and the frames delivered (and the error, if a payload
/// fails) must not depend on the split.
enum StreamTarget {
    static func run(_ bytes: [UInt8]) {
        guard bytes.count >= 5 else { return }
        let isSSE = bytes[0] & 1 == 1
        var seed = UInt32(bytes[1]) | UInt32(bytes[2]) << 8 | UInt32(bytes[3]) << 16 | UInt32(bytes[4]) << 24
        let stream = Array(bytes[5...])
        let headers = HTTPHeaders([("Content-Type", isSSE ? "text/event-stream" : "application/x-ndjson")])

        let whole = rewrite(stream, reads: [stream.count], headers: headers)
        var splits: [Int] = []
        var remaining = stream.count
        while remaining > 0 {
            seed = seed &* 1_103_515_245 &+ 12345
            let size = min(remaining, Int(seed >> 16) % 64 + 1)
            splits.append(size)
            remaining -= size
        }
        let split = rewrite(stream, reads: splits, headers: headers)
        if whole.delivered != split.delivered || whole.error != split.error {
            fail("the output depends on the split (\(splits))")
        }
        let reference = isSSE ? ReferenceDecoder.serverSentEvents(stream) : ReferenceDecoder.lines(stream)
        let nonBlank = reference.filter { !$0.allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains($0) } }
        let converted = nonBlank.prefix { $0.first != UInt8(ascii: "!") }
        if whole.payloads != Array(converted) { fail("payloads differ from the reference decoder's") }
    }

    /// Feeds `stream` in reads of the given sizes to a rewriter whose
    /// conversion passes payloads through and fails those starting with `!`.
    private static func rewrite(_ stream: [UInt8], reads: [Int], headers: HTTPHeaders)
        -> (delivered: [UInt8], payloads: [[UInt8]], error: String?)
    {
        var rewriter = StreamRewriter(inputHeaders: headers) { content throws(ConversionError) in
            if content.body.first == UInt8(ascii: "!") {
                throw ConversionError(rule: "fuzz:stream", conversion: "stream_response_to_aog", step: 1, reason: .undefinedResult)
            }
            return .content(content)
        }
        var delivered: [UInt8] = []
        var payloads: [[UInt8]] = []
        var start = 0
        do {
            for size in reads {
                let output = try rewriter.feed(Array(stream[start..<start + size]))
                delivered += output.bytes
                payloads += output.payloads
                start += size
            }
            let last = try rewriter.finish()
            delivered += last.bytes
            payloads += last.payloads
            return (delivered, payloads, nil)
        } catch {
            return (delivered, payloads, "\(error)")
        }
    }
}

/// The framing rules written as plainly as possible, on a whole body.
enum ReferenceDecoder {
    static func serverSentEvents(_ bytes: [UInt8]) -> [[UInt8]] {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        var index = body.startIndex
        var ended = false
        while index < body.endIndex {
            let byte = body[index]
            if byte == 0x0A || byte == 0x0D {
                lines.append(line)
                line = []
                if byte == 0x0D, index + 1 < body.endIndex, body[index + 1] == 0x0A { index += 1 }
                ended = true
            } else {
                line.append(byte)
                ended = false
            }
            index += 1
        }
        _ = ended  // a last line without an end is never complete: it is dropped
        var payloads: [[UInt8]] = []
        var data: [UInt8]? = nil
        for line in lines {
            if line.isEmpty {
                if let data { payloads.append(data) }
                data = nil
                continue
            }
            guard line.starts(with: Array("data".utf8)), line.count == 4 || line[4] == UInt8(ascii: ":") else { continue }
            var value = line.count > 5 ? Array(line[5...]) : []
            if value.first == 0x20 { value.removeFirst() }
            data = data.map { $0 + [0x0A] + value } ?? value
        }
        return payloads
    }

    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? Array(line.dropLast()) : Array(line)
        }
    }
}
