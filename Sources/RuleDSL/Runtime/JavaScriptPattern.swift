/// Regular expressions read as JavaScript reads them (without its `u`
/// flag), rewritten for ICU, the engine behind NSRegularExpression: in
/// JavaScript `\w`, `\d` and `\b` are ASCII (`/\w/` does not match "é"),
/// while ICU's are Unicode. Everything else passes as written.
enum JavaScriptPattern {
    private static let word = "A-Za-z0-9_"
    private static let boundary = "(?:(?<=[\(word)])(?![\(word)])|(?<![\(word)])(?=[\(word)]))"
    private static let nonBoundary = "(?:(?<=[\(word)])(?=[\(word)])|(?<![\(word)])(?![\(word)]))"

    /// `pattern` with JavaScript's ASCII classes and word boundaries spelled out.
    static func icuPattern(_ pattern: String) -> String {
        var output = ""
        var inClass = false
        var characters = pattern.makeIterator()
        while let character = characters.next() {
            guard character == "\\", let escaped = characters.next() else {
                if character == "[" && !inClass { inClass = true } else if character == "]" && inClass { inClass = false }
                output.append(character)
                continue
            }
            output += replacement(for: escaped, inClass: inClass) ?? "\\\(escaped)"
        }
        return output
    }

    /// The ICU spelling of `\escaped`, or nil to keep it.
    private static func replacement(for escaped: Character, inClass: Bool) -> String? {
        switch escaped {
        case "w": return inClass ? word : "[\(word)]"
        case "W": return "[^\(word)]"
        case "d": return inClass ? "0-9" : "[0-9]"
        case "D": return "[^0-9]"
        // Inside a class `\b` is a backspace in both.
        case "b": return inClass ? nil : boundary
        case "B": return inClass ? nil : nonBoundary
        default: return nil
        }
    }
}
