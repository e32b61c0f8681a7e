/// How a stream's payloads are framed on the wire.
public enum StreamFraming: Sendable, Equatable {
    /// Server-Sent Events: `data:` lines, events separated by a blank line.
    case serverSentEvents
    /// Newline-delimited JSON: one payload per line.
    case ndjson

    /// The framing a Content-Type names, or nil for any other type.
    public init?(contentType: String?) {
        guard let contentType = contentType?.lowercased() else { return nil }
        if contentType.contains("text/event-stream") {
            self = .serverSentEvents
        } else if contentType.contains("application/x-ndjson") {
            self = .ndjson
        } else {
            return nil
        }
    }

    /// Appends `payload` framed: SSE as one `data:` line per payload line and
    /// a blank line; NDJSON as the payload and a newline.
    public func frame(_ payload: [UInt8], into output: inout [UInt8]) {
        switch self {
        case .ndjson:
            output.append(contentsOf: payload)
            output.append(UInt8(ascii: "\n"))
        case .serverSentEvents:
            var lineStart = 0
            for index in 0...payload.count where index == payload.count || payload[index] == UInt8(ascii: "\n") {
                output.append(contentsOf: "data: ".utf8)
                output.append(contentsOf: payload[lineStart..<index])
                output.append(UInt8(ascii: "\n"))
                lineStart = index + 1
            }
            output.append(UInt8(ascii: "\n"))
        }
    }
}

/// Cuts payloads out of a framed byte stream, whatever the split into reads.
public protocol StreamDecoder {
    /// The payloads completed by `bytes`.
    mutating func feed(_ bytes: [UInt8]) -> [[UInt8]]
    /// The payloads still pending at end of input.
    mutating func finish() -> [[UInt8]]
}
