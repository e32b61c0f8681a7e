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
    /// - Throws: ``StreamTooLargeError`` when a line or an event grows past its limit.
    mutating func feed(_ bytes: [UInt8]) throws(StreamTooLargeError) -> [[UInt8]]
    /// The payloads still pending at end of input.
    /// - Throws: ``StreamTooLargeError`` as ``feed(_:)``.
    mutating func finish() throws(StreamTooLargeError) -> [[UInt8]]
}

/// How much of a stream a decoder holds while it waits for the end of a
/// line or an event: a provider that never sends a newline (or a blank line
/// after its `data:` lines) would otherwise make it buffer without bound.
public struct StreamLimits: Sendable, Equatable {
    /// The longest line, in bytes (an NDJSON line is one payload).
    public var maximumLineBytes: Int
    /// The largest SSE event, in bytes of its joined data.
    public var maximumEventBytes: Int

    /// Limits of 16 MiB for a line and for an event: far above any chunk a
    /// model API streams, far below what exhausts a gateway's memory.
    public init(maximumLineBytes: Int = 16 << 20, maximumEventBytes: Int = 16 << 20) {
        self.maximumLineBytes = maximumLineBytes
        self.maximumEventBytes = maximumEventBytes
    }
}

/// A line or an event of a stream grew past its limit.
public struct StreamTooLargeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What grew too large: "line" or "event".
    public let what: String
    /// The limit, in bytes.
    public let limit: Int

    /// An error for a `what` ("line" or "event") past `limit` bytes.
    public init(what: String, limit: Int) {
        self.what = what
        self.limit = limit
    }

    public var description: String {
        "a stream \(what) is longer than \(limit) bytes without ending (StreamLimits)"
    }
}
