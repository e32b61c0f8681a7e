/// A YAML file that cannot be read: what is wrong, and where.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, as the caller named it (may be empty for in-memory text).
    public let file: String
    public let mark: YAMLMark
    public let message: String

    public init(file: String, mark: YAMLMark, message: String) {
        self.file = file
        self.mark = mark
        self.message = message
    }

    /// `file:line:column: error: message`, the form compilers and editors read.
    public var description: String {
        "\(file.isEmpty ? "<yaml>" : file):\(mark.line):\(mark.column): error: \(message)"
    }
}
