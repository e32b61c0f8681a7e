import AsyncHTTPClient
import ConversionRules
import Hummingbird
import NIOCore
import RuleDSL

/// Relays one provider stream to its client, converting each payload as it
/// arrives and writing it at once.
///
/// The relay is created by the call's handler, which reads until the first
/// converted output (that output's headers are the response head), and is
/// then handed to the response body's writer, which relays the rest. It is
/// used by one task at a time, never concurrently: that hand-over is the
/// only reason it is a class, and why it is `@unchecked Sendable` (the
/// rewriter's payload converter is a non-Sendable closure).
///
/// When the client goes away, a write fails and the relay ends; the
/// provider's body goes with it, which cancels the provider call.
final class StreamRelay: @unchecked Sendable {
    private var rewriter: StreamRewriter
    private let upstream: UpstreamBody
    private let lease: UpstreamSlots.Lease
    private let inputFraming: StreamFraming

    init(
        converter: TwoHopConverter, inputHeaders: ConversionRules.HTTPHeaders, id: String,
        upstream: UpstreamBody, lease: UpstreamSlots.Lease
    ) {
        rewriter = StreamRewriter(converter: converter, inputHeaders: inputHeaders, variables: ["id": .string(id)])
        self.upstream = upstream
        self.lease = lease
        inputFraming = StreamFraming(contentType: inputHeaders["Content-Type"]) ?? .ndjson
    }

    /// The response head's headers: those of the first converted payload.
    var outputHeaders: ConversionRules.HTTPHeaders { rewriter.outputHeaders }

    /// The framing of the output.
    var framing: StreamFraming { rewriter.outputFraming ?? inputFraming }

    /// Reads until the rewriter has something to send (or the stream ended).
    /// - Throws: a read error of the provider stream or a ``ConversionError``.
    func firstOutput() async throws -> StreamOutput {
        while true {
            guard let buffer = try await upstream.next() else { return try rewriter.finish() }
            let output = try rewriter.feed(Array(buffer.readableBytesView))
            if !output.bytes.isEmpty { return output }
        }
    }

    /// Writes `first`, then relays the rest of the stream; a failure after
    /// the head was sent becomes a last payload in the client's error form
    /// (`errorPayload` makes it from a message). Returns the bytes written.
    func relay(
        _ first: StreamOutput, to writer: inout any ResponseBodyWriter, errorPayload: (String) -> [UInt8]
    ) async throws -> Int {
        var written = 0
        func send(_ bytes: [UInt8], to writer: inout any ResponseBodyWriter) async throws {
            guard !bytes.isEmpty else { return }
            written += bytes.count
            try await writer.write(ByteBuffer(bytes: bytes))
        }
        try await send(first.bytes, to: &writer)
        do {
            while !rewriter.isFinished {
                if let buffer = try await upstream.next() {
                    try await send(try rewriter.feed(Array(buffer.readableBytesView)).bytes, to: &writer)
                } else {
                    try await send(try rewriter.finish().bytes, to: &writer)
                }
            }
        } catch let error as ConversionError {
            try await send(framed(errorPayload("a payload of the provider's stream could not be converted: \(error)")), to: &writer)
        } catch  where error is HTTPClientError || error is UpstreamBody.Silence {
            try await send(framed(errorPayload("the provider's stream broke off: \(error)")), to: &writer)
        }
        try await writer.finish(nil)
        return written
    }

    private func framed(_ payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        framing.frame(payload, into: &bytes)
        return bytes
    }
}
