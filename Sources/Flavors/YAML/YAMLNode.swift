/// A position in a YAML file: 1-based line and column (columns count characters).
public struct YAMLMark: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// How a scalar was written in the file.
public enum YAMLScalarStyle: Sendable, Hashable {
    case plain
    case singleQuoted
    case doubleQuoted
    /// A literal block scalar (`|`).
    case literal
    /// A folded block scalar (`>`).
    case folded
}

/// A scalar node: its text exactly as YAML resolves it, how it was written,
/// and where. Typing (bool, int, null) is the reader's choice, by YAML 1.1 rules.
public struct YAMLScalar: Sendable, Hashable {
    /// The scalar's value text (block scalars with their line breaks).
    public let text: String
    public let style: YAMLScalarStyle
    /// Where the scalar starts (at its quote or block indicator, if any).
    public let mark: YAMLMark
    /// Where each line of the text starts in the file, for mapping positions
    /// inside the text back to the file.
    let segments: [YAMLTextSegment]

    /// The file position of the UTF-8 byte `offset` inside ``text``.
    public func position(ofUTF8Offset offset: Int) -> YAMLMark {
        guard let segment = lastSegment(startingAtOrBefore: offset) else {
            let quoteWidth = (style == .singleQuoted || style == .doubleQuoted) ? 1 : 0
            return YAMLMark(line: mark.line, column: mark.column + quoteWidth + offset)
        }
        return YAMLMark(line: segment.line, column: segment.column + offset - segment.textOffset)
    }

    /// The last segment that starts at or before `offset`, by binary search
    /// (segments are in text order; a long block scalar has one a line).
    private func lastSegment(startingAtOrBefore offset: Int) -> YAMLTextSegment? {
        var low = 0
        var high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].textOffset <= offset { low = middle + 1 } else { high = middle }
        }
        return low > 0 ? segments[low - 1] : nil
    }

    /// Whether the scalar is untagged plain text that YAML 1.1 reads as null
    /// (`~`, `null`, `Null`, `NULL` or nothing).
    public var isNull: Bool {
        style == .plain && ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// The scalar as a YAML 1.1 boolean, when it is plain and spells one
    /// (`true/false`, `yes/no`, `on/off`, `y/n` in their usual cases).
    public var boolValue: Bool? {
        guard style == .plain else { return nil }
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N": return false
        default: return nil
        }
    }

    /// The scalar as a YAML 1.1 integer, when it is plain and spells one:
    /// decimal, `0x` hexadecimal, `0b` binary or leading-zero octal, with an
    /// optional sign and `_` separators.
    public var intValue: Int? {
        guard style == .plain else { return nil }
        var body = Substring(text.filter { $0 != "_" })
        var negative = false
        if let sign = body.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        let magnitude: Int?
        if body.hasPrefix("0x") {
            magnitude = Int(body.dropFirst(2), radix: 16)
        } else if body.hasPrefix("0b") {
            magnitude = Int(body.dropFirst(2), radix: 2)
        } else if body.count > 1 && body.hasPrefix("0") {
            magnitude = Int(body.dropFirst(), radix: 8)
        } else {
            magnitude = body.allSatisfy { $0.isASCII } ? Int(body) : nil
        }
        return magnitude.map { negative ? -$0 : $0 }
    }
}

/// One line of a scalar's text: where it starts in the text and in the file.
struct YAMLTextSegment: Sendable, Hashable {
    let textOffset: Int
    let line: Int
    let column: Int
}

/// A YAML node with its position. Aliases are resolved: an alias becomes a
/// copy of the node its anchor names.
public indirect enum YAMLNode: Sendable, Hashable {
    case scalar(YAMLScalar)
    case sequence([YAMLNode], mark: YAMLMark)
    case mapping([YAMLMappingEntry], mark: YAMLMark)

    /// Where the node starts in the file.
    public var mark: YAMLMark {
        switch self {
        case .scalar(let scalar): return scalar.mark
        case .sequence(_, let mark), .mapping(_, let mark): return mark
        }
    }

    /// The scalar, when the node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }

    /// The entries, when the node is a mapping.
    public var mappingEntries: [YAMLMappingEntry]? {
        if case .mapping(let entries, _) = self { return entries }
        return nil
    }

    /// The items, when the node is a sequence.
    public var sequenceItems: [YAMLNode]? {
        if case .sequence(let items, _) = self { return items }
        return nil
    }

    /// The value of the mapping entry whose key is the scalar `key`.
    public subscript(key: String) -> YAMLNode? {
        mappingEntries?.first(where: { $0.key.scalar?.text == key })?.value
    }

    /// A short name of the node's kind for messages ("a mapping", ...).
    public var kindDescription: String {
        switch self {
        case .scalar: return "a scalar"
        case .sequence: return "a sequence"
        case .mapping: return "a mapping"
        }
    }
}

/// One key-value pair of a mapping, in file order.
public struct YAMLMappingEntry: Sendable, Hashable {
    public let key: YAMLNode
    public let value: YAMLNode
}
