import ConversionRules

/// The provider metadata of a service: loaded, validated and
/// given to the gateway; conversions do not act on it.
public struct ServiceMetadata: Sendable, Equatable {
    public var url = ""
    public var endpoints: [String] = []
    public var installRawRoutes = false
    public var extraURL = ""
    public var requestSegments = 0
    /// `extra_headers`, parsed: a JSON object of strings.
    public var extraHeaders: [String: String] = [:]
    public var authType = ""
    public var authApplyURL = ""
    public var defaultModel = ""
    public var supportModels: [String] = []
    public var `protocol` = ""
    public var exposeProtocol = ""
    public var taskType = ""
    public var modelSelectorRequest = ""
    public var modelSelectorResponse = ""

    public init() {}
}

/// A loaded template: the flavor's compiled rules and each service's metadata.
///
/// A service with an error (an expression that does not compile, a step of
/// the wrong shape) is left out of ``rules``; its name is in
/// ``failedServices`` and its errors in ``serviceErrors``. The template's
/// other services load and serve.
public struct FlavorTemplate: Sendable {
    public let name: String
    public let version: String
    /// The file it was loaded from (or `builtin:NAME.yaml`).
    public let file: String
    /// The rules of every service that loaded.
    public let rules: FlavorRules
    /// The metadata of every service that loaded.
    public let metadata: [String: ServiceMetadata]
    /// Warnings found while loading (unknown keys, malformed metadata values
    /// that were left out, static checks of expressions).
    public let warnings: [TemplateDiagnostic]
    /// The services that did not load, sorted.
    public let failedServices: [String]
    /// The errors that made ``failedServices`` fail, in file order.
    public let serviceErrors: [TemplateDiagnostic]

    /// Every diagnostic of the template, warnings and errors, in file order.
    public var diagnostics: [TemplateDiagnostic] {
        (warnings + serviceErrors).sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    /// Creates a template from its parts (the loader and plugins do).
    public init(
        name: String, version: String, file: String, rules: FlavorRules, metadata: [String: ServiceMetadata],
        warnings: [TemplateDiagnostic], failedServices: [String] = [], serviceErrors: [TemplateDiagnostic] = []
    ) {
        self.name = name
        self.version = version
        self.file = file
        self.rules = rules
        self.metadata = metadata
        self.warnings = warnings
        self.failedServices = failedServices
        self.serviceErrors = serviceErrors
    }

    /// This template, with each of its failed services served by the
    /// version `previous` had, if it had one: a reload that breaks a
    /// service keeps the service's last good rules in service.
    public func keepingFailedServices(from previous: FlavorTemplate?) -> FlavorTemplate {
        guard let previous, !failedServices.isEmpty else { return self }
        var services = rules.services
        var metadata = self.metadata
        for service in failedServices {
            guard let kept = previous.rules.services[service] else { continue }
            services[service] = kept
            metadata[service] = previous.metadata[service]
        }
        return FlavorTemplate(
            name: name, version: version, file: file, rules: FlavorRules(name: name, services: services),
            metadata: metadata, warnings: warnings, failedServices: failedServices, serviceErrors: serviceErrors)
    }
}
