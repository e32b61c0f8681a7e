import ConversionRules
import HTTPTypes

/// Which headers cross the gateway.
enum HeaderPolicy {
    /// Client headers a provider never receives: the connection's own
    /// (hop-by-hop), the body length (the body is rewritten), and the
    /// client's credentials (the gateway sends the provider's).
    static let notForwardedToProviders: Set<String> = [
        "host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
        "proxy-authorization", "proxy-connection", "authorization", "x-api-key", "api-key", "cookie", "accept-encoding",
        "expect",
    ]

    /// Provider headers a client never receives: hop-by-hop ones, and the
    /// length and encoding of a body the gateway rewrote.
    static let notForwardedToClients: Set<String> = [
        "content-length", "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection",
        "set-cookie", "content-encoding",
    ]

    /// The response head's fields: each header's first value, the others left out.
    static func clientFields(_ headers: ConversionRules.HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers {
            guard !notForwardedToClients.contains(name.lowercased()), let fieldName = HTTPField.Name(name), fields[fieldName] == nil else { continue }
            fields[fieldName] = value
        }
        return fields
    }
}
