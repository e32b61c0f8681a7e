import Logging
import Synchronization

/// The log line of one call: what was called and how it ended, never a
/// body or a key. Written once, when the answer (for a stream: its last
/// byte) has been sent.
final class CallLog: Sendable {
    private let logger: Logger
    private let method: String
    private let path: String
    private let route: Route?
    private let bytesIn = Mutex(0)

    init(logger: Logger, method: String, path: String, route: Route?) {
        self.logger = logger
        self.method = method
        self.path = path
        self.route = route
    }

    /// Notes the size of the request body sent to the provider.
    func recordBytesIn(_ count: Int) { bytesIn.withLock { $0 = count } }

    func write(status: Int, providerFlavor: String?, bytesOut: Int, elapsed: Duration, error: String? = nil) {
        var metadata: Logger.Metadata = [
            "method": "\(method)", "path": "\(path)", "status": "\(status)",
            "duration_ms": "\(elapsed / .milliseconds(1))",
            "bytes_in": "\(bytesIn.withLock { $0 })", "bytes_out": "\(bytesOut)",
        ]
        if let route {
            metadata["client_flavor"] = "\(route.clientFlavor)"
            metadata["service"] = "\(route.service)"
        }
        if let providerFlavor { metadata["provider_flavor"] = "\(providerFlavor)" }
        if let error { metadata["error"] = "\(error)" }
        logger.log(level: status >= 500 ? .warning : .info, "call", metadata: metadata)
    }
}
