import ArgumentParser
import Flavors
import Foundation

/// `rulecheck lint FILE...`: loads templates and prints every problem.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check templates (and plugin manifests): print every problem as file:line:column: error|warning: message.",
        discussion: "Exit status 0 when no file has an error (warnings allowed), 1 otherwise, 2 when a file cannot be read."
    )

    @Argument(help: "Template files (.yaml) or plugin manifests (plugin.yaml, plugin.json); 'builtin' checks the built-in templates.")
    var files: [String]

    func run() throws {
        var errors = 0
        var unreadable = false
        for file in files {
            let diagnostics: [TemplateDiagnostic]
            if file == "builtin" {
                diagnostics = BuiltinTemplates.flavorNames.flatMap { name in
                    Self.lint(text: BuiltinTemplates.text(of: name)!, file: "builtin:\(name).yaml", expectedName: name)
                }
            } else if case .notUTF8(let diagnostic) = TemplateText.read(file) {
                diagnostics = [diagnostic]
            } else if case .text(let text) = TemplateText.read(file) {
                let base = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
                if base == "plugin" {
                    diagnostics = PluginManifest.lint(text: text, file: file)
                } else {
                    diagnostics = Self.lint(text: text, file: file, expectedName: base)
                }
            } else {
                printError("\(file): cannot read the file")
                unreadable = true
                continue
            }
            for diagnostic in diagnostics {
                print(diagnostic.description)
                if diagnostic.severity == .error { errors += 1 }
            }
        }
        if unreadable { throw ExitCode(2) }
        if errors > 0 { throw ExitCode(1) }
    }

    static func lint(text: String, file: String, expectedName: String?) -> [TemplateDiagnostic] {
        do {
            return try TemplateLoader.load(text: text, file: file, expectedName: expectedName).diagnostics
        } catch {
            return error.diagnostics
        }
    }
}

/// `rulecheck list`: every rule in the catalog.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every rule in the catalog with its conversions and metadata."
    )

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let catalog = try catalogOptions.loadCatalog().catalog
        for flavor in catalog.flavorNames {
            guard let template = catalog.template(flavor) else { continue }
            for service in template.rules.services.keys.sorted() {
                let rules = template.rules.services[service]!
                let metadata = template.metadata[service] ?? ServiceMetadata()
                let conversions = rules.definedConversions.map(\.rawValue).joined(separator: ", ")
                print("\(flavor):\(service)")
                print("  conversions: \(conversions.isEmpty ? "(none: identity)" : conversions)")
                if !metadata.taskType.isEmpty { print("  task type: \(metadata.taskType)") }
                if !metadata.defaultModel.isEmpty { print("  default model: \(metadata.defaultModel)") }
                if !metadata.endpoints.isEmpty { print("  endpoints: \(metadata.endpoints.joined(separator: ", "))") }
                if !metadata.url.isEmpty { print("  url: \(metadata.url)") }
            }
        }
    }
}

/// The rule `name` of the catalog; an unknown rule exits with status 2.
func compiledRule(_ catalog: RuleCatalog, _ name: String) throws -> CompiledRule {
    do {
        return try catalog.rule(name)
    } catch {
        printError("\(error)")
        throw ExitCode(2)
    }
}
