import Flavors

/// A configuration that cannot be used, with the place that says so.
public struct GatewayConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where: `FILE:LINE:COLUMN` of a configuration file, or the
    /// command-line option.
    public let location: String
    /// What is wrong and what would be right.
    public let message: String

    /// An error at `location`.
    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

extension GatewayConfiguration {
    /// Reads a configuration file (YAML). Relative directories are taken
    /// as they are written (relative to the working directory).
    ///
    /// Keys: `listen` (`HOST:PORT`), `templates` and `plugins` (lists of
    /// directories), `providers` (a mapping from a service name, or `"*"`
    /// for every service, to `{flavor, url, key_env}`), `limits`
    /// (`max_request_bytes`, `max_response_bytes`, `max_upstream_calls`,
    /// `upstream_response_seconds`, `upstream_read_seconds`,
    /// `upstream_connect_seconds`).
    /// - Throws: ``GatewayConfigurationError`` at the line and column of a
    ///   malformed value or an unknown key.
    public init(yaml text: String, file: String) throws(GatewayConfigurationError) {
        self.init()
        let root: YAMLNode?
        do throws(YAMLError) {
            root = try YAMLReader.read(text, file: file)
        } catch {
            throw GatewayConfigurationError(location: "\(file):\(error.mark)", message: error.message)
        }
        guard let root else { return }
        let reader = ConfigurationFileReader(file: file)
        for entry in try reader.mapping(root, what: "the configuration") {
            let key = try reader.text(entry.key, what: "a key")
            switch key {
            case "listen":
                (host, port) = try Self.listenAddress(try reader.text(entry.value, what: "listen"), location: reader.place(entry.value))
            case "templates":
                templateDirectories = try reader.texts(entry.value, what: "templates")
            case "plugins":
                pluginDirectories = try reader.texts(entry.value, what: "plugins")
            case "providers":
                providers = try reader.mapping(entry.value, what: "providers").map { provider throws(GatewayConfigurationError) in
                    try reader.provider(provider)
                }
            case "limits":
                try reader.read(limits: &limits, from: entry.value)
            default:
                throw reader.error(
                    at: entry.key, "unknown key '\(key)'; the keys are listen, templates, plugins, providers and limits")
            }
        }
    }

    /// Splits `HOST:PORT` (an IPv6 host in brackets: `[::1]:16688`).
    /// - Throws: ``GatewayConfigurationError`` at `location` for anything else.
    public static func listenAddress(_ text: String, location: String) throws(GatewayConfigurationError) -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else {
            throw GatewayConfigurationError(location: location, message: "'\(text)' is not HOST:PORT (for example 127.0.0.1:16688)")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            throw GatewayConfigurationError(location: location, message: "'\(text)' names no host (for example 127.0.0.1:16688)")
        }
        return (host, port)
    }
}

extension ProviderConfiguration {
    /// Reads `[SERVICE=]FLAVOR[@URL]`, the form of `rulegateway --provider`:
    /// `chat=ollama@http://127.0.0.1:11434` serves chat with the ollama
    /// flavor at that URL; without `SERVICE=` the flavor serves every
    /// service it has; without `@URL`, at its template's URL.
    /// - Throws: ``GatewayConfigurationError`` at `location` for an empty part.
    public init(specification text: String, location: String) throws(GatewayConfigurationError) {
        var rest = Substring(text)
        var service: String?
        if let equals = rest.firstIndex(of: "="), !rest[..<equals].contains("@") {
            service = String(rest[..<equals])
            rest = rest[rest.index(after: equals)...]
        }
        var url: String?
        if let at = rest.firstIndex(of: "@") {
            url = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        guard !rest.isEmpty, service?.isEmpty != true, url?.isEmpty != true else {
            throw GatewayConfigurationError(
                location: location,
                message: "'\(text)' is not [SERVICE=]FLAVOR[@URL] (for example chat=ollama@http://127.0.0.1:11434)")
        }
        self.init(service: service == "*" ? nil : service, flavor: String(rest), url: url)
    }
}

/// Reads the values of a configuration file, each error at its position.
private struct ConfigurationFileReader {
    let file: String

    func place(_ node: YAMLNode) -> String { "\(file):\(node.mark)" }

    func error(at node: YAMLNode, _ message: String) -> GatewayConfigurationError {
        GatewayConfigurationError(location: place(node), message: message)
    }

    func mapping(_ node: YAMLNode, what: String) throws(GatewayConfigurationError) -> [YAMLMappingEntry] {
        guard let entries = node.mappingEntries else { throw error(at: node, "\(what) must be a mapping, not \(node.kindDescription)") }
        return entries
    }

    func text(_ node: YAMLNode, what: String) throws(GatewayConfigurationError) -> String {
        guard let scalar = node.scalar, !scalar.isNull else { throw error(at: node, "\(what) must be text, not \(node.kindDescription)") }
        return scalar.text
    }

    func texts(_ node: YAMLNode, what: String) throws(GatewayConfigurationError) -> [String] {
        if node.scalar != nil { return [try text(node, what: what)] }
        guard let items = node.sequenceItems else { throw error(at: node, "\(what) must be a list of directories") }
        return try items.map { item throws(GatewayConfigurationError) in try text(item, what: what) }
    }

    func integer(_ node: YAMLNode, what: String, minimum: Int) throws(GatewayConfigurationError) -> Int {
        guard let value = node.scalar?.intValue, value >= minimum else {
            throw error(at: node, "\(what) must be an integer of at least \(minimum)")
        }
        return value
    }

    func provider(_ entry: YAMLMappingEntry) throws(GatewayConfigurationError) -> ProviderConfiguration {
        let service = try text(entry.key, what: "a service name")
        var provider = ProviderConfiguration(service: service == "*" ? nil : service, flavor: "")
        for field in try mapping(entry.value, what: "the provider of '\(service)'") {
            switch try text(field.key, what: "a key") {
            case "flavor": provider.flavor = try text(field.value, what: "flavor")
            case "url": provider.url = try text(field.value, what: "url")
            case "key_env": provider.keyEnvironmentVariable = try text(field.value, what: "key_env")
            case let other: throw error(at: field.key, "unknown key '\(other)'; a provider has flavor, url and key_env")
            }
        }
        guard !provider.flavor.isEmpty else { throw error(at: entry.value, "the provider of '\(service)' names no flavor") }
        return provider
    }

    func read(limits: inout GatewayLimits, from node: YAMLNode) throws(GatewayConfigurationError) {
        for field in try mapping(node, what: "limits") {
            let key = try text(field.key, what: "a key")
            switch key {
            case "max_request_bytes": limits.maximumRequestBytes = try integer(field.value, what: key, minimum: 0)
            case "max_response_bytes": limits.maximumResponseBytes = try integer(field.value, what: key, minimum: 0)
            case "max_upstream_calls": limits.maximumUpstreamCalls = try integer(field.value, what: key, minimum: 1)
            case "upstream_response_seconds": limits.upstreamResponseSeconds = try integer(field.value, what: key, minimum: 1)
            case "upstream_read_seconds": limits.upstreamReadSeconds = try integer(field.value, what: key, minimum: 1)
            case "upstream_connect_seconds": limits.upstreamConnectSeconds = try integer(field.value, what: key, minimum: 1)
            default:
                throw error(
                    at: field.key,
                    "unknown limit '\(key)'; the limits are max_request_bytes, max_response_bytes, max_upstream_calls, "
                        + "upstream_response_seconds, upstream_read_seconds and upstream_connect_seconds")
            }
        }
    }
}
