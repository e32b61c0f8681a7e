/// The names that flavors, services and plugin providers may have: a
/// letter or digit, then letters, digits, `.`, `_` or `-`. No separator of
/// paths or of `config_ref` (`/`, `:`), no blank, and never `.` or `..`, so
/// that a name used to find `templates/NAME.yaml` stays inside its folder.
public enum PlainName {
    /// Whether `name` is a plain name.
    ///
    /// ```swift
    /// PlainName.isValid("text-to-speech")   // true
    /// PlainName.isValid("../../outside/evil") // false
    /// ```
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isLetterOrDigit(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLetterOrDigit($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// Why `name` is not plain, for an error message about `what`.
    static func problem(_ name: String, _ what: String) -> String {
        "\(what) '\(name)' is not a plain name: use letters, digits, '.', '_' and '-', starting with a letter or digit"
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
