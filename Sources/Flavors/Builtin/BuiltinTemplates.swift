/// The built-in flavor templates, compiled into the library from
/// Resources/templates at build time: nothing is read from disk at run time.
public enum BuiltinTemplates {
    /// The flavor names of the built-in templates, sorted.
    public static var flavorNames: [String] {
        BuiltinTemplateTexts.byName.keys.sorted()
    }

    /// The YAML text of the built-in template of `flavor`, or nil when there is none.
    public static func text(of flavor: String) -> String? {
        BuiltinTemplateTexts.byName[flavor]
    }
}
