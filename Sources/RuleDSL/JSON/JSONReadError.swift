/// An error found while reading JSON text: what is wrong and where.
///
/// `offset` is the byte offset of the offending byte (0-based); `line` and
/// `column` are 1-based, the column counted in bytes from the line start.
public struct JSONReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in words a user can act on.
    public let message: String
    /// Byte offset of the problem in the input (0-based).
    public let offset: Int
    /// Line of the problem (1-based).
    public let line: Int
    /// Column of the problem, in bytes from the start of its line (1-based).
    public let column: Int

    /// Creates an error at `offset` in `bytes`, computing line and column.
    init(_ message: String, offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        self.message = message
        self.offset = offset
        var line = 1
        var lineStart = 0
        var index = 0
        let limit = min(offset, bytes.count)
        while index < limit {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        self.line = line
        self.column = offset - lineStart + 1
    }

    public var description: String {
        "\(message) at line \(line), column \(column) (byte \(offset))"
    }
}
