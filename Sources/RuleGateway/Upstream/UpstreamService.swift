import Flavors
import Foundation

/// How the gateway calls the provider of one service: resolved once from
/// the configuration and the provider flavor's template, when the gateway
/// starts and after each reload.
public struct UpstreamService: Sendable {
    /// The provider's flavor.
    public let flavor: String
    /// The service.
    public let service: String
    /// The full URL of the provider's endpoint.
    public let url: URL
    /// The HTTP method of the call (the provider endpoint's; POST by default).
    public let method: String
    /// Headers set on every call, from the template's `extra_headers`.
    public let extraHeaders: [(name: String, value: String)]
    /// The `Authorization` value, when the provider takes an API key.
    let authorization: String?
    /// The model used when the client names none.
    public let defaultModel: String?

    /// Why a configured service cannot be served (answered with 501 or 503).
    public struct Unavailable: Error, Sendable, Equatable {
        /// The status the gateway answers calls of the service with.
        public let status: Int
        /// What is missing, in words a user can act on.
        public let reason: String
    }

    /// Resolves the provider of `service` from `configuration` and `catalog`.
    /// - Throws: ``Unavailable`` naming what prevents the calls: an unknown
    ///   flavor or service, a URL that is missing or malformed, a missing
    ///   key, an authentication or protocol the gateway does not implement.
    public static func resolve(
        service: String, configuration: ProviderConfiguration, catalog: RuleCatalog,
        environment: [String: String]
    ) throws(Unavailable) -> UpstreamService {
        let flavor = configuration.flavor
        guard let template = catalog.template(flavor) else {
            throw Unavailable(
                status: 503, reason: "the provider flavor '\(flavor)' is not in the catalog (flavors: \(catalog.flavorNames.joined(separator: ", ")))")
        }
        guard template.rules.services[service] != nil else {
            throw Unavailable(status: 503, reason: "the provider flavor '\(flavor)' has no service '\(service)'")
        }
        let metadata = template.metadata[service] ?? ServiceMetadata()
        try checkSupported(metadata, flavor: flavor, service: service)
        let endpoint = Self.endpoint(metadata)
        let url = try Self.url(configured: configuration.url, template: metadata.url, endpointPath: endpoint.path, flavor: flavor, service: service)
        let authorization = try Self.authorization(metadata.authType, configuration: configuration, environment: environment, flavor: flavor, service: service)
        return UpstreamService(
            flavor: flavor, service: service, url: url, method: endpoint.method,
            extraHeaders: metadata.extraHeaders.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) },
            authorization: authorization, defaultModel: metadata.defaultModel.isEmpty ? nil : metadata.defaultModel)
    }

    private static func checkSupported(_ metadata: ServiceMetadata, flavor: String, service: String) throws(Unavailable) {
        let protocolName = metadata.protocol.uppercased()
        if protocolName == "GRPC" || protocolName == "GRPC_STREAM" {
            throw Unavailable(status: 501, reason: "\(flavor):\(service) is called over gRPC, which the gateway does not implement yet")
        }
        if metadata.exposeProtocol.uppercased() == "WEBSOCKET" {
            throw Unavailable(status: 501, reason: "\(flavor):\(service) is a WebSocket service, which the gateway does not implement yet")
        }
        if metadata.requestSegments > 1 {
            throw Unavailable(
                status: 501,
                reason:
                    "\(flavor):\(service) is an asynchronous task (request_segments \(metadata.requestSegments)), whose polling the gateway does not implement yet"
            )
        }
    }

    /// The method and path of the provider's first endpoint.
    private static func endpoint(_ metadata: ServiceMetadata) -> (method: String, path: String) {
        guard let first = metadata.endpoints.first, let space = first.firstIndex(of: " ") else { return ("POST", "") }
        let method = first[..<space].trimmingCharacters(in: .whitespaces).uppercased()
        let path = RouteTable.normalized(first[space...].trimmingCharacters(in: .whitespaces))
        return (method == "GET" ? "GET" : "POST", path)
    }

    private static func url(
        configured: String?, template: String, endpointPath: String, flavor: String, service: String
    ) throws(Unavailable) -> URL {
        let templateURL = URL(string: template).flatMap { $0.scheme == nil ? nil : $0 }
        guard let configured else {
            guard let templateURL else {
                throw Unavailable(status: 503, reason: "\(flavor):\(service) has no url in its template: give one with --provider \(service)=\(flavor)@URL")
            }
            return templateURL
        }
        guard let base = URL(string: configured), let scheme = base.scheme?.lowercased(), scheme == "http" || scheme == "https", base.host != nil
        else {
            throw Unavailable(status: 503, reason: "the URL '\(configured)' for \(flavor):\(service) is not an http or https URL")
        }
        let templatePath = templateURL?.path ?? ""
        return Self.joined(base: base, apiPath: templatePath.isEmpty || templatePath == "/" ? endpointPath : templatePath)
    }

    /// The provider's API path placed under `base`, whose path may repeat
    /// its beginning: `https://host/v1` and `/v1/embeddings` give
    /// `https://host/v1/embeddings` (the OpenAI SDKs' notion of a base URL);
    /// `http://host:11434` and `/api/chat` give `http://host:11434/api/chat`;
    /// a base that already ends with the whole path is kept.
    static func joined(base: URL, apiPath: String) -> URL {
        let baseSegments = base.path.split(separator: "/")
        let apiSegments = apiPath.split(separator: "/")
        var keep = baseSegments.count
        for start in 0..<baseSegments.count {
            let suffix = baseSegments[start...]
            if apiSegments.starts(with: suffix) {
                keep = start
                break
            }
        }
        let path = "/" + (baseSegments[..<keep] + apiSegments).joined(separator: "/")
        var components = URLComponents(url: base, resolvingAgainstBaseURL: false)!
        components.path = path
        return components.url!
    }

    private static func authorization(
        _ authType: String, configuration: ProviderConfiguration, environment: [String: String], flavor: String, service: String
    ) throws(Unavailable) -> String? {
        switch authType.lowercased() {
        case "", "none":
            return configuration.keyEnvironmentVariable.flatMap { environment[$0] }.map { "Bearer \($0)" }
        case "apikey":
            guard let variable = configuration.keyEnvironmentVariable else {
                throw Unavailable(
                    status: 503,
                    reason:
                        "\(flavor):\(service) needs an API key: name the environment variable that holds it (--key-env \(service)=VARIABLE, or key_env in the configuration file)"
                )
            }
            guard let key = environment[variable], !key.isEmpty else {
                throw Unavailable(status: 503, reason: "\(flavor):\(service) needs an API key, and the environment variable \(variable) is not set")
            }
            return "Bearer \(key)"
        default:
            throw Unavailable(
                status: 501, reason: "\(flavor):\(service) authenticates with '\(authType)', which the gateway does not implement yet (it implements API keys)")
        }
    }
}
