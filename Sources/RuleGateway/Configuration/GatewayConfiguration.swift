import Flavors

/// What a gateway serves: where it listens, which provider serves each
/// service, which template directories and plugins it adds to the built-in
/// flavors, and its limits.
///
/// Build it in code, from command-line arguments
/// (``init(arguments:environment:)``'s syntax is the one `rulegateway`
/// documents) or from a YAML file (``init(yaml:file:)``):
///
/// ```yaml
/// listen: 127.0.0.1:16688
/// templates: [./templates]
/// providers:
///   "*": {flavor: ollama, url: "http://127.0.0.1:11434"}
///   embed: {flavor: openai, url: "https://api.example.com/v1", key_env: EXAMPLE_API_KEY}
/// limits: {max_request_bytes: 16777216, max_upstream_calls: 256}
/// ```
public struct GatewayConfiguration: Sendable, Equatable {
    /// The address the gateway listens on.
    public var host = "127.0.0.1"
    /// The port the gateway listens on (0 picks a free one).
    public var port = 16688
    /// Who serves each service; a later entry for the same service wins.
    public var providers: [ProviderConfiguration] = []
    /// Template directories added to the built-in flavors, in order (a
    /// later one overrides an earlier one's flavors).
    public var templateDirectories: [String] = []
    /// Plugin directories (each holds a `plugin.yaml`).
    public var pluginDirectories: [String] = []
    /// Bounds on what one call may cost.
    public var limits = GatewayLimits()

    /// An empty configuration: listens on 127.0.0.1:16688 and serves nothing.
    public init() {}

    /// The provider that serves `service`: the last entry naming the
    /// service, else the last entry for every service.
    public func provider(for service: String) -> ProviderConfiguration? {
        providers.last { $0.service == service } ?? providers.last { $0.service == nil }
    }
}

/// Who serves a service: a flavor of the catalog, the provider's URL and
/// where its key is.
public struct ProviderConfiguration: Sendable, Equatable {
    /// The service served, or nil for every service the flavor has.
    public var service: String?
    /// The provider's flavor (a built-in, a template directory's or a plugin's).
    public var flavor: String
    /// The provider's base URL (`http://127.0.0.1:11434`,
    /// `https://api.example.com/v1`) or a service's full endpoint URL; nil
    /// takes the URL of the flavor's template.
    public var url: String?
    /// The environment variable that holds the provider's API key.
    public var keyEnvironmentVariable: String?

    /// A provider entry.
    public init(service: String? = nil, flavor: String, url: String? = nil, keyEnvironmentVariable: String? = nil) {
        self.service = service
        self.flavor = flavor
        self.url = url
        self.keyEnvironmentVariable = keyEnvironmentVariable
    }
}

/// Bounds on the calls a gateway serves. Each one that is reached answers
/// the call with an error that names it.
public struct GatewayLimits: Sendable, Equatable {
    /// The largest request body accepted (413 beyond).
    public var maximumRequestBytes = 16 << 20
    /// The largest provider response read whole (a non-stream body; 502 beyond).
    public var maximumResponseBytes = 64 << 20
    /// Provider calls in flight at once; a call beyond waits for none and
    /// is answered 503.
    public var maximumUpstreamCalls = 256
    /// Seconds for a provider to answer with its status and headers (504 beyond).
    public var upstreamResponseSeconds = 300
    /// Seconds a provider may stay silent while it sends a body (a stalled
    /// stream ends with an error payload).
    public var upstreamReadSeconds = 300
    /// Seconds to connect to a provider.
    public var upstreamConnectSeconds = 10

    /// The default limits.
    public init() {}
}
