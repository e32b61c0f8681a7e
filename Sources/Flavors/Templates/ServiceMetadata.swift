/// The provider metadata of a service (FORMAT.md §3): loaded, validated and
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
public struct FlavorTemplate: Sendable {
    public let name: String
    public let version: String
    /// The file it was loaded from (or `builtin:NAME.yaml`).
    public let file: String
    public let rules: FlavorRules
    public let metadata: [String: ServiceMetadata]
    /// Warnings found while loading (unknown keys, static checks).
    public let warnings: [TemplateDiagnostic]
}

import ConversionRules
