import Foundation
import PackagePlugin

/// Turns the built-in flavor templates (Resources/templates/*.yaml) into Swift
/// source compiled into the Flavors module, so that a program linking the
/// library finds them without any files on disk.
@main
struct EmbedTemplates: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let templates = context.package.directoryURL.appending(path: "Resources/templates")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: templates.path)) ?? []
        let inputs = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { templates.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltinTemplateTexts.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) built-in templates",
                executable: try context.tool(named: "TemplateEmbedder").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
