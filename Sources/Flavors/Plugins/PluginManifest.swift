import ConversionRules
import Foundation
import RuleDSL

/// A plugin manifest (`plugin.yaml` or `plugin.json`): the
/// provider, its services with the `config_ref` of the rule each uses, and
/// the platform and resource entries the plugin itself reads.
public struct PluginManifest: Sendable {
    /// The provider section.
    public struct Provider: Sendable, Equatable {
        public var name = ""
        public var displayName = ""
        public var version = ""
        public var author = ""
        public var description = ""
        public var homepage = ""
        /// `local` or `remote`.
        public var type = ""
        public var engineHost = ""
        /// Where `name` is written in the manifest (for errors about it).
        public var nameLocation: SourceLocation?
    }

    /// One service of the plugin.
    public struct Service: Sendable, Equatable {
        public var serviceName = ""
        public var taskType = ""
        public var `protocol` = ""
        public var exposeProtocol = ""
        public var endpoint = ""
        public var authType = ""
        public var authFields: [String] = []
        public var defaultModel = ""
        public var supportModels: [String] = []
        /// `FLAVOR:SERVICE` of the rule whose conversions the service uses.
        public var configRef = ""
        /// Seconds: > 0 that many, < 0 none, 0 the gateway's default.
        public var timeout = 0
        public var middlewares: [String] = []
        public var supportsStreaming = false
        public var supportsBidirectional = false
        public var specialURL = ""
        public var extraURL = ""
        /// `extra_header`: a JSON object of strings.
        public var extraHeaders: [String: String] = [:]
    }

    /// An executable for one platform (`linux_amd64`, ...).
    public struct Platform: Sendable, Equatable {
        public var executable = ""
        public var dependencies: [String] = []

        public init(executable: String = "", dependencies: [String] = []) {
            self.executable = executable
            self.dependencies = dependencies
        }
    }

    public var provider = Provider()
    public var services: [Service] = []
    public var platforms: [String: Platform] = [:]
    /// `resources`: `data_dir` and nested entries, as path strings by dotted key
    /// (`data_dir`, `ollama.executable`, ...), unexpanded.
    public var resources: [String: String] = [:]
    /// The manifest file.
    public let file: String
    /// Warnings found while reading (unknown keys).
    public private(set) var warnings: [TemplateDiagnostic] = []

    /// Reads a manifest from its text (YAML, or JSON, which YAML reads too).
    /// - Throws: ``TemplateLoadError`` with every problem, each with file, line and column.
    public init(text: String, file: String) throws(TemplateLoadError) {
        self.file = file
        var reader = ManifestReader(file: file)
        let root: YAMLNode?
        do throws(YAMLError) {
            root = try YAMLReader.read(text, file: file)
        } catch {
            throw TemplateLoadError(diagnostics: [TemplateDiagnostic(error, file: file)])
        }
        reader.read(root, into: &self)
        reader.diagnostics.sort { ($0.line, $0.column) < ($1.line, $1.column) }
        if reader.diagnostics.contains(where: { $0.severity == .error }) {
            throw TemplateLoadError(diagnostics: reader.diagnostics)
        }
        warnings = reader.diagnostics
    }

    /// Reads `plugin.yaml` (or, if absent, `plugin.json`) of a plugin directory.
    /// - Throws: ``CatalogError`` when neither file can be read, or the manifest is invalid.
    public static func load(directory: String) throws(CatalogError) -> PluginManifest {
        for name in ["plugin.yaml", "plugin.json"] {
            let path = (directory as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw .unreadable(path: path, reason: "cannot read the file as UTF-8")
            }
            do throws(TemplateLoadError) {
                return try PluginManifest(text: text, file: path)
            } catch {
                throw .templateFailed(error)
            }
        }
        throw .unreadable(path: directory, reason: "no plugin.yaml or plugin.json")
    }

    /// The problems of a manifest's text, for `rulecheck lint`.
    public static func lint(text: String, file: String) -> [TemplateDiagnostic] {
        do throws(TemplateLoadError) {
            return try PluginManifest(text: text, file: file).warnings
        } catch {
            return error.diagnostics
        }
    }

    // MARK: - Resource paths

    /// The resource paths with `${AOG_DATA_DIR}`, `${DATA_DIR}`, `${PLUGIN_DIR}`
    /// and `${HOME}` expanded (exact `${NAME}` only; unknown names stay), a
    /// leading `~/` expanded, made absolute against `workingDirectory` and cleaned.
    /// - Throws: ``CatalogError/unreadable(path:reason:)`` for a path that is empty after expansion.
    public func expandedResources(
        pluginDirectory: String, home: String, aogDataDirectory: String,
        workingDirectory: String
    ) throws(CatalogError) -> [String: String] {
        var variables = ["AOG_DATA_DIR": aogDataDirectory, "PLUGIN_DIR": pluginDirectory, "HOME": home]
        var result: [String: String] = [:]
        if let dataDirectory = resources["data_dir"] {
            let expanded = try Self.expand(dataDirectory, variables, home: home, workingDirectory: workingDirectory, key: "data_dir")
            result["data_dir"] = expanded
            variables["DATA_DIR"] = expanded
        }
        for (key, value) in resources where key != "data_dir" {
            result[key] = try Self.expand(value, variables, home: home, workingDirectory: workingDirectory, key: key)
        }
        return result
    }

    /// The gateway's data directory on this platform.
    public static var defaultAOGDataDirectory: String {
        #if os(macOS)
            return (NSHomeDirectory() as NSString).appendingPathComponent("Library/Application Support/AOG")
        #else
            return "/var/lib/aog"
        #endif
    }

    static func expand(
        _ path: String, _ variables: [String: String], home: String, workingDirectory: String,
        key: String
    ) throws(CatalogError) -> String {
        var expanded = path
        for (name, value) in variables {
            expanded = expanded.replacingOccurrences(of: "${\(name)}", with: value)
        }
        if expanded.hasPrefix("~/") { expanded = (home as NSString).appendingPathComponent(String(expanded.dropFirst(2))) }
        guard !expanded.isEmpty else { throw .unreadable(path: key, reason: "resource path is empty") }
        if !expanded.hasPrefix("/") { expanded = (workingDirectory as NSString).appendingPathComponent(expanded) }
        return (expanded as NSString).standardizingPath
    }
}

/// Reads a manifest, collecting diagnostics.
private struct ManifestReader {
    let file: String
    var diagnostics: [TemplateDiagnostic] = []

    init(file: String) { self.file = file }

    mutating func report(_ severity: TemplateDiagnostic.Severity, _ node: YAMLNode, _ message: String) {
        diagnostics.append(TemplateDiagnostic(file: file, line: node.mark.line, column: node.mark.column, severity: severity, message: message))
    }

    mutating func entries(_ node: YAMLNode, _ what: String) -> [YAMLMappingEntry] {
        if let entries = node.mappingEntries { return entries }
        if node.scalar?.isNull == true { return [] }
        report(.error, node, "\(what) must be a mapping, found \(node.kindDescription)")
        return []
    }

    mutating func string(_ node: YAMLNode, _ what: String) -> String {
        guard let scalar = node.scalar else {
            report(.error, node, "\(what) must be a string, found \(node.kindDescription)")
            return ""
        }
        return scalar.isNull ? "" : scalar.text
    }

    mutating func bool(_ node: YAMLNode, _ what: String) -> Bool {
        if node.scalar?.isNull == true { return false }
        guard let value = node.scalar?.boolValue else {
            report(.error, node, "\(what) must be true or false")
            return false
        }
        return value
    }

    mutating func strings(_ node: YAMLNode, _ what: String) -> [String] {
        if node.scalar?.isNull == true { return [] }
        guard let items = node.sequenceItems else {
            report(.error, node, "\(what) must be a list of strings, found \(node.kindDescription)")
            return []
        }
        return items.map { string($0, "each entry of \(what)") }
    }

    mutating func unknown(_ key: YAMLNode, in place: String) {
        report(.warning, key, "unknown key '\(key.scalar?.text ?? "?")' in \(place) (ignored)")
    }

    mutating func read(_ root: YAMLNode?, into manifest: inout PluginManifest) {
        guard let root else {
            diagnostics.append(TemplateDiagnostic(file: file, line: 1, column: 1, severity: .error, message: "the manifest is empty"))
            return
        }
        var sawProvider = false
        for entry in entries(root, "a plugin manifest") {
            switch entry.key.scalar?.text {
            case "provider":
                sawProvider = true
                readProvider(entry.value, into: &manifest.provider)
            case "services":
                guard let items = entry.value.sequenceItems else {
                    report(.error, entry.value, "services must be a list")
                    continue
                }
                manifest.services = items.map { readService($0) }
            case "platforms":
                for platform in entries(entry.value, "platforms") {
                    var value = PluginManifest.Platform()
                    for field in entries(platform.value, "a platform") {
                        switch field.key.scalar?.text {
                        case "executable": value.executable = string(field.value, "executable")
                        case "dependencies": value.dependencies = strings(field.value, "dependencies")
                        default: unknown(field.key, in: "a platform")
                        }
                    }
                    manifest.platforms[string(platform.key, "a platform name")] = value
                }
            case "resources":
                readResources(entry.value, prefix: "", into: &manifest.resources)
            default:
                unknown(entry.key, in: "the manifest")
            }
        }
        if !sawProvider { report(.error, root, "the manifest has no provider") }
        if manifest.provider.name.isEmpty, sawProvider { report(.error, root, "provider.name is required: it names the plugin's flavor") }
    }

    mutating func readProvider(_ node: YAMLNode, into provider: inout PluginManifest.Provider) {
        for entry in entries(node, "provider") {
            let key = entry.key.scalar?.text ?? ""
            switch key {
            case "name":
                provider.name = string(entry.value, "provider.name")
                provider.nameLocation = SourceLocation(file: file, line: entry.value.mark.line, column: entry.value.mark.column)
                if !provider.name.isEmpty, !PlainName.isValid(provider.name) {
                    report(.error, entry.value, PlainName.problem(provider.name, "provider.name"))
                }
            case "display_name": provider.displayName = string(entry.value, key)
            case "version": provider.version = string(entry.value, key)
            case "author": provider.author = string(entry.value, key)
            case "description": provider.description = string(entry.value, key)
            case "homepage": provider.homepage = string(entry.value, key)
            case "engine_host": provider.engineHost = string(entry.value, key)
            case "type":
                provider.type = string(entry.value, key)
                if provider.type != "local" && provider.type != "remote" {
                    report(.error, entry.value, "provider.type must be local or remote, not '\(provider.type)'")
                }
            default: unknown(entry.key, in: "provider")
            }
        }
    }

    mutating func readService(_ node: YAMLNode) -> PluginManifest.Service {
        var service = PluginManifest.Service()
        var configRefNode: YAMLNode? = nil
        for entry in entries(node, "a service") {
            let key = entry.key.scalar?.text ?? ""
            switch key {
            case "service_name": service.serviceName = string(entry.value, key)
            case "task_type": service.taskType = string(entry.value, key)
            case "protocol": service.protocol = string(entry.value, key)
            case "expose_protocol": service.exposeProtocol = string(entry.value, key)
            case "endpoint": service.endpoint = string(entry.value, key)
            case "auth_type": service.authType = string(entry.value, key)
            case "auth_fields": service.authFields = strings(entry.value, key)
            case "default_model": service.defaultModel = string(entry.value, key)
            case "support_models": service.supportModels = strings(entry.value, key)
            case "config_ref":
                service.configRef = string(entry.value, key)
                configRefNode = entry.value
            case "timeout":
                if entry.value.scalar?.isNull == true { continue }
                if let value = entry.value.scalar?.intValue {
                    service.timeout = value
                } else {
                    report(.error, entry.value, "timeout must be an integer number of seconds")
                }
            case "middlewares": service.middlewares = strings(entry.value, key)
            case "capabilities":
                for capability in entries(entry.value, "capabilities") {
                    switch capability.key.scalar?.text {
                    case "support_streaming": service.supportsStreaming = bool(capability.value, "support_streaming")
                    case "support_bidirectional": service.supportsBidirectional = bool(capability.value, "support_bidirectional")
                    default: unknown(capability.key, in: "capabilities")
                    }
                }
            case "special_url": service.specialURL = string(entry.value, key)
            case "extra_url": service.extraURL = string(entry.value, key)
            case "extra_header":
                let text = string(entry.value, key)
                if text.trimmingWhitespace().isEmpty { continue }
                if case .object(let object)? = try? JSONValue(parsing: text),
                    object.members.allSatisfy({ if case .string = $0.value { return true } else { return false } })
                {
                    for member in object.members { if case .string(let value) = member.value { service.extraHeaders[member.key] = value } }
                } else {
                    report(.error, entry.value, "extra_header must be a string holding a JSON object of strings")
                }
            default: unknown(entry.key, in: "a service")
            }
        }
        if service.serviceName.isEmpty { report(.error, node, "a service needs a service_name") }
        if !service.serviceName.isEmpty, !PlainName.isValid(service.serviceName) {
            report(.error, node, PlainName.problem(service.serviceName, "service_name"))
        }
        let place = service.serviceName.isEmpty ? "a service" : "service \(service.serviceName)"
        if service.configRef.isEmpty {
            report(.error, configRefNode ?? node, "\(place) needs a config_ref (FLAVOR:SERVICE, e.g. ollama:chat)")
        } else if service.configRef.split(separator: ":", omittingEmptySubsequences: false).count != 2
            || service.configRef.hasPrefix(":") || service.configRef.hasSuffix(":")
        {
            report(.error, configRefNode ?? node, "config_ref '\(service.configRef)' of \(place) must be FLAVOR:SERVICE")
        } else if !service.configRef.split(separator: ":").allSatisfy({ PlainName.isValid(String($0)) }) {
            report(
                .error, configRefNode ?? node,
                "config_ref '\(service.configRef)' of \(place): flavor and service must be plain names "
                    + "(letters, digits, '.', '_' and '-'); a flavor is found in the catalog or in the plugin's templates/ folder")
        }
        return service
    }

    mutating func readResources(_ node: YAMLNode, prefix: String, into resources: inout [String: String]) {
        for entry in entries(node, "resources") {
            let key = prefix + (entry.key.scalar?.text ?? "")
            if entry.value.mappingEntries != nil {
                readResources(entry.value, prefix: key + ".", into: &resources)
            } else if let scalar = entry.value.scalar {
                resources[key] = scalar.text
            } else {
                report(.error, entry.value, "resource \(key) must be a path or a mapping of paths")
            }
        }
    }
}
