import Flavors

/// Any text as a template and as a plugin manifest: diagnostics or a
/// template, never a crash, a hang or unbounded memory.
enum TemplateTarget {
    static func run(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        if let template = try? TemplateLoader.load(text: text, file: "fuzz.yaml") {
            for diagnostic in template.diagnostics where diagnostic.line < 1 || diagnostic.column < 1 {
                fail("a diagnostic without a position: \(diagnostic)")
            }
        }
        _ = PluginManifest.lint(text: text, file: "plugin.yaml")
    }
}
