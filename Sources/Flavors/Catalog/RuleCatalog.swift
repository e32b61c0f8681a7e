import ConversionRules
import Foundation
import RuleDSL

/// A rule named by a `config_ref`: one service of one flavor, compiled.
public struct CompiledRule: Sendable {
    /// The rule's six pipelines (with prologue and epilogue).
    public let rules: ServiceRules
    public let metadata: ServiceMetadata
    /// The template the rule came from.
    public let template: FlavorTemplate

    public var flavor: String { rules.flavor }
    public var service: String { rules.service }
    public var configRef: String { rules.name }
}

/// Why a rule or template could not be had from the catalog.
public enum CatalogError: Error, Sendable, CustomStringConvertible {
    /// A config_ref that is not `FLAVOR:SERVICE`.
    case malformedConfigRef(String)
    case unknownFlavor(String)
    case unknownService(flavor: String, service: String)
    /// A template that failed to load, with its diagnostics.
    case templateFailed(TemplateLoadError)
    /// A directory or file that cannot be read.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .malformedConfigRef(let text): return "config_ref '\(text)' must be FLAVOR:SERVICE, e.g. ollama:chat"
        case .unknownFlavor(let flavor): return "no flavor '\(flavor)' (neither built in nor in an added directory)"
        case .unknownService(let flavor, let service): return "flavor \(flavor) has no service \(service)"
        case .templateFailed(let error): return error.description
        case .unreadable(let path, let reason): return "\(path): \(reason)"
        }
    }
}

/// The catalog of compiled rules: the built-in templates, plus directories
/// of templates a caller adds (a template there replaces the built-in flavor
/// of the same name). Lookups are by `config_ref` or flavor name.
///
/// Thread-safe: lookups see a consistent snapshot, and reloading a directory
/// swaps the new rules in atomically; a template that fails to reload keeps
/// its previous version in service.
public final class RuleCatalog: @unchecked Sendable {
    private struct Snapshot {
        var builtins: [String: FlavorTemplate] = [:]
        /// Added directories in order, with the templates loaded from each.
        var directories: [(path: String, templates: [String: FlavorTemplate])] = []
        /// Plugin flavors by provider name.
        var plugins: [String: FlavorTemplate] = [:]

        func flavor(_ name: String) -> FlavorTemplate? {
            for directory in directories.reversed() {
                if let template = directory.templates[name] { return template }
            }
            return plugins[name] ?? builtins[name]
        }
    }

    private let lock = NSLock()
    private var snapshot = Snapshot()

    /// How every template's expressions are planned.
    public let plannerOptions: PlannerOptions

    /// A catalog of the built-in templates.
    /// - Throws: ``CatalogError/templateFailed(_:)`` if a built-in template does not load (a defect of the library).
    public convenience init() throws(CatalogError) {
        try self.init(plannerOptions: PlannerOptions())
    }

    /// A catalog of the built-in templates whose expressions, and those of
    /// the templates added later, are planned as `plannerOptions` say
    /// (`PlannerOptions(shortcuts: false)` runs every rule on the general
    /// evaluation, to check the shortcuts against it).
    /// - Throws: ``CatalogError/templateFailed(_:)`` if a built-in template does not load (a defect of the library).
    public init(plannerOptions: PlannerOptions) throws(CatalogError) {
        self.plannerOptions = plannerOptions
        for name in BuiltinTemplates.flavorNames {
            let template: FlavorTemplate
            do throws(TemplateLoadError) {
                template = try TemplateLoader.load(
                    text: BuiltinTemplates.text(of: name)!,
                    file: "builtin:\(name).yaml", expectedName: name, plannerOptions: plannerOptions)
            } catch {
                throw .templateFailed(error)
            }
            guard template.serviceErrors.isEmpty else {
                throw .templateFailed(TemplateLoadError(diagnostics: template.serviceErrors))
            }
            snapshot.builtins[name] = template
        }
    }

    private func current() -> Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return snapshot
    }

    /// The flavor names in the catalog, sorted.
    public var flavorNames: [String] {
        let state = current()
        return Set(state.builtins.keys).union(state.directories.flatMap { $0.templates.keys }).union(state.plugins.keys).sorted()
    }

    /// The template of `flavor`: from the latest added directory that has it, else built in.
    public func template(_ flavor: String) -> FlavorTemplate? {
        current().flavor(flavor)
    }

    /// The rules of `flavor`.
    /// - Throws: ``CatalogError/unknownFlavor(_:)``.
    public func flavor(_ name: String) throws(CatalogError) -> FlavorRules {
        guard let template = template(name) else { throw .unknownFlavor(name) }
        return template.rules
    }

    /// The compiled rule a `config_ref` names.
    /// - Throws: ``CatalogError`` for a malformed reference, an unknown flavor or service.
    public func rule(_ configRef: String) throws(CatalogError) -> CompiledRule {
        let (flavorName, serviceName) = try Self.split(configRef)
        guard let template = template(flavorName) else { throw .unknownFlavor(flavorName) }
        return try Self.rule(in: template, service: serviceName)
    }

    static func rule(in template: FlavorTemplate, service: String) throws(CatalogError) -> CompiledRule {
        guard let rules = template.rules.services[service] else {
            throw .unknownService(flavor: template.name, service: service)
        }
        return CompiledRule(rules: rules, metadata: template.metadata[service] ?? ServiceMetadata(), template: template)
    }

    /// Splits `FLAVOR:SERVICE`.
    static func split(_ configRef: String) throws(CatalogError) -> (String, String) {
        let parts = configRef.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw .malformedConfigRef(configRef) }
        return (String(parts[0]), String(parts[1]))
    }

    /// Loads a plugin directory: its manifest, and for each service the rule
    /// its `config_ref` names: a flavor of the catalog first (built in or
    /// added), else the plugin's own `templates/FLAVOR.yaml`.
    /// The plugin becomes a flavor named after its provider, which must not
    /// be the name of a flavor the catalog already has (a plugin named
    /// `openai` would silently replace the built-in one). Reloading the same
    /// plugin directory replaces its earlier version.
    /// - Throws: ``CatalogError`` naming the manifest problem, the provider
    ///   name taken by another flavor, or the service whose config_ref
    ///   cannot be resolved.
    @discardableResult
    public func addPlugin(directory: String) throws(CatalogError) -> PluginManifest {
        let manifest = try PluginManifest.load(directory: directory)
        let name = manifest.provider.name
        let state = current()
        let takenByAnotherPlugin = state.plugins[name].map { $0.file != manifest.file } ?? false
        if state.builtins[name] != nil || state.directories.contains(where: { $0.templates[name] != nil }) || takenByAnotherPlugin {
            let place = manifest.provider.nameLocation.map { "\($0)" } ?? manifest.file
            throw .unreadable(
                path: place,
                reason: "provider name '\(name)' is already the name of a flavor in the catalog; "
                    + "a plugin may not replace it: give the provider a name of its own")
        }
        var services: [String: ServiceRules] = [:]
        var metadata: [String: ServiceMetadata] = [:]
        var localTemplates: [String: FlavorTemplate] = [:]
        for service in manifest.services {
            let (flavorName, serviceName) = try Self.split(service.configRef)
            var template = self.template(flavorName) ?? localTemplates[flavorName]
            if template == nil {
                let path = (directory as NSString).appendingPathComponent("templates/\(flavorName).yaml")
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw .unreadable(
                        path: manifest.file,
                        reason:
                            "service \(service.serviceName): config_ref \(service.configRef) names flavor \(flavorName), which is neither in the catalog nor in \(path)"
                    )
                }
                do throws(TemplateLoadError) {
                    template = try TemplateLoader.load(text: text, file: path, plannerOptions: plannerOptions)
                } catch {
                    throw .templateFailed(error)
                }
                localTemplates[flavorName] = template
            }
            guard let rules = template!.rules.services[serviceName] else {
                if template!.failedServices.contains(serviceName) {
                    throw .templateFailed(TemplateLoadError(diagnostics: template!.serviceErrors))
                }
                throw .unreadable(
                    path: manifest.file,
                    reason: "service \(service.serviceName): config_ref \(service.configRef): flavor \(flavorName) has no service \(serviceName)")
            }
            services[service.serviceName] = rules.named(flavor: manifest.provider.name, service: service.serviceName)
            var serviceMetadata = ServiceMetadata()
            serviceMetadata.url = manifest.provider.type == "local" ? manifest.provider.engineHost + service.endpoint : ""
            serviceMetadata.endpoints =
                service.endpoint.isEmpty ? [] : ["\(service.exposeProtocol.uppercased() == "WEBSOCKET" ? "GET" : "POST") \(service.endpoint)"]
            serviceMetadata.authType = service.authType
            serviceMetadata.defaultModel = service.defaultModel
            serviceMetadata.supportModels = service.supportModels
            serviceMetadata.protocol = service.protocol
            serviceMetadata.exposeProtocol = service.exposeProtocol
            serviceMetadata.taskType = service.taskType
            metadata[service.serviceName] = serviceMetadata
        }
        let flavor = FlavorTemplate(
            name: manifest.provider.name, version: manifest.provider.version, file: manifest.file,
            rules: FlavorRules(name: manifest.provider.name, services: services), metadata: metadata,
            warnings: manifest.warnings)
        lock.lock()
        snapshot.plugins[manifest.provider.name] = flavor
        lock.unlock()
        return manifest
    }

    /// Adds (or reloads) a directory of templates (`*.yaml`, `*.yml`); its
    /// flavors replace built-in ones of the same name. Every template is
    /// loaded before any is swapped in. A template whose file fails keeps
    /// its previous version in service; a service that fails keeps its
    /// previous version while the template's other services are updated.
    /// - Returns: the diagnostics of every file (warnings and errors): an
    ///   error means that a file or a service did not load (the rest did).
    /// - Throws: ``CatalogError/unreadable(path:reason:)`` when the directory cannot be listed.
    @discardableResult
    public func addDirectory(_ path: String) throws(CatalogError) -> [TemplateDiagnostic] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            throw .unreadable(path: path, reason: "cannot list the directory")
        }
        let previous = current().directories.first { $0.path == path }?.templates ?? [:]
        var loaded: [String: FlavorTemplate] = [:]
        var diagnostics: [TemplateDiagnostic] = []
        for name in names {
            let file = (path as NSString).appendingPathComponent(name)
            let flavorName = (name as NSString).deletingPathExtension
            let text: String
            switch TemplateText.read(file) {
            case .text(let read):
                text = read
            case .unreadable:
                diagnostics.append(TemplateDiagnostic(file: file, line: 1, column: 1, severity: .error, message: "cannot read the file"))
                if let old = previous[flavorName] { loaded[flavorName] = old }
                continue
            case .notUTF8(let diagnostic):
                diagnostics.append(diagnostic)
                if let old = previous[flavorName] { loaded[flavorName] = old }
                continue
            }
            do throws(TemplateLoadError) {
                let template = try TemplateLoader.load(text: text, file: file, expectedName: flavorName, plannerOptions: plannerOptions)
                loaded[template.name] = template.keepingFailedServices(from: previous[template.name])
                diagnostics += template.diagnostics
            } catch {
                diagnostics += error.diagnostics
                if let old = previous[flavorName] { loaded[flavorName] = old }
            }
        }
        lock.lock()
        if let index = snapshot.directories.firstIndex(where: { $0.path == path }) {
            snapshot.directories[index].templates = loaded
        } else {
            snapshot.directories.append((path, loaded))
        }
        lock.unlock()
        return diagnostics
    }
}
