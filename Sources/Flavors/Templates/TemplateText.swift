import Foundation

/// Reads a template or manifest file as UTF-8 text, telling a file that
/// cannot be read from one that is not UTF-8 (which gets a diagnostic at
/// the first bad byte).
public enum TemplateText {
    /// What reading a file gave.
    public enum Outcome: Sendable {
        /// The file's text.
        case text(String)
        /// The file does not exist or cannot be read.
        case unreadable
        /// The file is not UTF-8: a diagnostic naming the first bad byte.
        case notUTF8(TemplateDiagnostic)
    }

    /// Reads `path`.
    public static func read(_ path: String) -> Outcome {
        guard let data = FileManager.default.contents(atPath: path) else { return .unreadable }
        let bytes = [UInt8](data)
        if let text = String(validating: bytes, as: UTF8.self) { return .text(text) }
        return .notUTF8(diagnostic(forInvalidUTF8: bytes, file: path))
    }

    /// The error for bytes that are not UTF-8, at the line and column of the
    /// first byte that is not part of a valid sequence.
    static func diagnostic(forInvalidUTF8 bytes: [UInt8], file: String) -> TemplateDiagnostic {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        var line = 1
        var column = 1
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput, .error:
                break decoding
            }
        }
        return TemplateDiagnostic(
            file: file, line: line, column: column, severity: .error,
            message: "the file is not UTF-8 text: invalid byte 0x\(String(bytes[min(offset, bytes.count - 1)], radix: 16)) at byte offset \(offset)")
    }
}
