/// A position in a template file.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// Where an expression's text came from, so that a position inside the
/// expression can be reported in the file: the file, and where each line of
/// the expression starts in it.
public struct ExpressionOrigin: Sendable {
    /// One line of the expression: its first character's offset in the
    /// expression, and that character's line and column in the file.
    public struct LineStart: Sendable {
        public let characterOffset: Int
        public let line: Int
        public let column: Int

        public init(characterOffset: Int, line: Int, column: Int) {
            self.characterOffset = characterOffset
            self.line = line
            self.column = column
        }
    }

    public let file: String
    public let lineStarts: [LineStart]

    public init(file: String, lineStarts: [LineStart]) {
        self.file = file
        self.lineStarts = lineStarts
    }

    /// The file position of the expression's character `offset`.
    public func location(ofCharacterOffset offset: Int) -> SourceLocation {
        guard let start = lineStarts.last(where: { $0.characterOffset <= offset }) ?? lineStarts.first else {
            return SourceLocation(file: file, line: 1, column: 1)
        }
        return SourceLocation(file: file, line: start.line, column: start.column + max(0, offset - start.characterOffset))
    }
}
