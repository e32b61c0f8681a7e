/// A problem found while loading a template or plugin manifest, with its place in the file.
public struct TemplateDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error
        case warning
    }

    public let file: String
    public let line: Int
    public let column: Int
    public let severity: Severity
    public let message: String

    public init(file: String, line: Int, column: Int, severity: Severity, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    /// An error for a file that is not valid YAML.
    init(_ error: YAMLError, file: String) {
        self.init(file: file, line: error.mark.line, column: error.mark.column, severity: .error, message: error.message)
    }

    /// `file:line:column: error|warning: message`, the form editors read.
    public var description: String { "\(file):\(line):\(column): \(severity.rawValue): \(message)" }
}

/// Loading failed: the errors (and warnings) of the file, all of them.
public struct TemplateLoadError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [TemplateDiagnostic]

    public init(diagnostics: [TemplateDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
