import AsyncHTTPClient
import NIOCore

/// A provider's response body, read with an idle limit: a read that waits
/// longer than `idleSeconds` for the provider fails with
/// ``UpstreamBody/Silence`` and cancels the provider call.
///
/// The limit counts only time spent waiting for the provider. While the
/// gateway does not read (its own client is slow, and the response is
/// held back), no time is counted: a slow client never makes a provider
/// look silent. (AsyncHTTPClient's own read timeout counts that time too,
/// so the gateway does not use it.)
///
/// One task reads at a time (the call's handler, then its response writer);
/// each read runs in a child task that races a timer, and the next read
/// starts only after that child has finished. That is why the body is a
/// class and `@unchecked Sendable`.
final class UpstreamBody: @unchecked Sendable {
    /// The provider stayed silent for the idle limit.
    struct Silence: Error, CustomStringConvertible {
        let seconds: Int
        var description: String { "the provider sent nothing for \(seconds) s" }
    }

    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private let idleSeconds: Int

    init(_ body: HTTPClientResponse.Body, idleSeconds: Int) {
        iterator = body.makeAsyncIterator()
        self.idleSeconds = idleSeconds
    }

    /// The next piece of the body, or nil at its end.
    /// - Throws: ``Silence``, or the provider connection's error.
    func next() async throws -> ByteBuffer? {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await self.read() }
            group.addTask { [idleSeconds] in
                try await Task.sleep(for: .seconds(idleSeconds))
                throw Silence(seconds: idleSeconds)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// The whole rest of the body, at most `limit` bytes.
    /// - Throws: `NIOTooManyBytesError` beyond the limit, or as ``next()``.
    func collect(upTo limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let buffer = try await next() {
            guard bytes.count + buffer.readableBytes <= limit else { throw NIOTooManyBytesError(maxBytes: limit) }
            bytes.append(contentsOf: buffer.readableBytesView)
        }
        return bytes
    }

    private func read() async throws -> ByteBuffer? {
        try await iterator.next()
    }
}
