import CYAML

/// Reads one YAML document into a ``YAMLNode`` tree with positions, using
/// libyaml's event API.
///
/// Anchors and aliases resolve, and so do YAML 1.1 merge keys (`<<`). These
/// are errors, with line and column: a syntax error (an unclosed quote, a tab
/// in indentation, ...), a duplicate key in a mapping, an alias to an unknown
/// anchor, more than one document in the file, nesting deeper than
/// ``maximumNesting`` levels, and aliases that expand to more than
/// ``maximumExpandedNodes`` nodes (each bounds the work of whoever walks
/// the tree, and the recursion that releases it).
public enum YAMLReader {
    /// The deepest nesting of sequences and mappings a document may have,
    /// counted through aliases (templates need fewer than ten).
    public static let maximumNesting = 1_000
    /// The most nodes a document may have once every alias is expanded: an
    /// alias costs what it names, so that a few lines of aliases to aliases
    /// cannot stand for billions of nodes.
    public static let maximumExpandedNodes = 1_000_000

    /// Reads `text`; `file` names it in errors.
    /// - Throws: ``YAMLError``.
    public static func read(_ text: String, file: String = "") throws(YAMLError) -> YAMLNode? {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(YAMLError) in
            var builder = YAMLTreeBuilder(file: file, source: buffer)
            return try builder.run()
        }
    }
}

/// Builds the node tree from libyaml events. Containers under construction
/// are kept on a stack, so nesting never recurses.
private struct YAMLTreeBuilder {
    let file: String
    let source: UnsafeBufferPointer<UInt8>
    let lineStarts: [Int]

    /// A sequence or mapping under construction. Mutated in place on the
    /// stack: a copy taken out and put back would copy its members on
    /// every append, which made long mappings quadratic.
    private struct OpenNode {
        let isMapping: Bool
        let mark: YAMLMark
        let anchor: String?
        var items: [YAMLNode] = []
        var entries: [YAMLMappingEntry] = []
        /// A scalar key's first line, found in constant time, so that a
        /// mapping of many keys is checked for duplicates in one pass.
        var keyLines: [String: Int] = [:]
        var merged: [YAMLMappingEntry] = []
        var pendingKey: YAMLNode?
    }
    /// How deep a finished node is and how many nodes it stands for.
    private struct Measure {
        var depth = 0
        var nodes = 1
    }
    private var stack: [OpenNode] = []
    /// For each open container, the measure of what it holds so far.
    private var openMeasures: [Measure] = []
    private var anchors: [String: (node: YAMLNode, measure: Measure)] = [:]
    private var root: YAMLNode?
    private var documents = 0

    init(file: String, source: UnsafeBufferPointer<UInt8>) {
        self.file = file
        self.source = source
        var starts = [0]
        for (offset, byte) in source.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        self.lineStarts = starts
    }

    private func error(_ message: String, _ mark: YAMLMark) -> YAMLError {
        YAMLError(file: file, mark: mark, message: message)
    }

    private static func mark(_ mark: yaml_mark_t) -> YAMLMark {
        YAMLMark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    mutating func run() throws(YAMLError) -> YAMLNode? {
        try checkTabIndentation()
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw error("cannot initialise the YAML parser", YAMLMark(line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, source.baseAddress ?? UnsafePointer(bitPattern: 1)!, source.count)
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                throw parserError(parser)
            }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { return root }
            try handle(event)
        }
    }

    private func parserError(_ parser: yaml_parser_t) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.context.map { String(cString: $0) + ": " } ?? ""
        return error(context + problem, Self.mark(parser.problem_mark))
    }

    /// libyaml reads a tab in block indentation as content in some places;
    /// YAML forbids it, and it is a common mistake in hand-written templates.
    private func checkTabIndentation() throws(YAMLError) {
        var lineNumber = 1
        var inIndentation = true
        for byte in source {
            if byte == UInt8(ascii: "\n") {
                lineNumber += 1
                inIndentation = true
                continue
            }
            guard inIndentation else { continue }
            if byte == UInt8(ascii: "\t") {
                throw error(
                    "tab character in indentation; indent with spaces",
                    YAMLMark(line: lineNumber, column: 1))
            }
            if byte != UInt8(ascii: " ") { inIndentation = false }
        }
    }

    private mutating func handle(_ event: yaml_event_t) throws(YAMLError) {
        let mark = Self.mark(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw error("more than one YAML document in the file; a template is one document", mark)
            }
        case YAML_SCALAR_EVENT:
            let scalarData = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalarData.value, count: scalarData.length), as: UTF8.self)
            let style = Self.style(scalarData.style)
            let scalar = YAMLScalar(
                text: text, style: style, mark: mark,
                segments: segments(for: text, style: style, start: event.start_mark, end: event.end_mark))
            try complete(.scalar(scalar), Measure(), anchor: Self.string(scalarData.anchor), at: mark)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let (node, measure) = anchors[name] else {
                throw error("alias *\(name) names no anchor defined before it", mark)
            }
            try complete(node, measure, anchor: nil, at: mark)
        case YAML_SEQUENCE_START_EVENT:
            try open(OpenNode(isMapping: false, mark: mark, anchor: Self.string(event.data.sequence_start.anchor)), at: mark)
        case YAML_MAPPING_START_EVENT:
            try open(OpenNode(isMapping: true, mark: mark, anchor: Self.string(event.data.mapping_start.anchor)), at: mark)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            var measure = openMeasures.removeLast()
            measure.depth += 1
            var finished = stack.removeLast()
            guard finished.isMapping else {
                try complete(.sequence(finished.items, mark: finished.mark), measure, anchor: finished.anchor, at: finished.mark)
                return
            }
            // Keys written in the mapping itself win over merged ones.
            var present = Set(finished.keyLines.keys)
            Self.append(finished.merged, to: &finished.entries, skippingKeysIn: &present)
            try complete(.mapping(finished.entries, mark: finished.mark), measure, anchor: finished.anchor, at: finished.mark)
        default:
            break
        }
    }

    /// Starts a container, unless it would nest deeper than the limit.
    private mutating func open(_ node: OpenNode, at mark: YAMLMark) throws(YAMLError) {
        guard stack.count < YAMLReader.maximumNesting else {
            throw error("nesting deeper than \(YAMLReader.maximumNesting) levels", mark)
        }
        stack.append(node)
        openMeasures.append(Measure(depth: 0, nodes: 1))
    }

    /// Adds a finished node to the container being built, or makes it the root.
    private mutating func complete(_ node: YAMLNode, _ measure: Measure, anchor: String?, at mark: YAMLMark) throws(YAMLError) {
        if let anchor { anchors[anchor] = (node, measure) }
        try account(measure, at: mark)
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return
        }
        guard let key = stack[top].pendingKey else {
            stack[top].pendingKey = node
            return
        }
        stack[top].pendingKey = nil
        if let keyScalar = key.scalar, keyScalar.style == .plain, keyScalar.text == "<<" {
            try merge(node, into: &stack[top].merged, at: key.mark)
        } else {
            try checkUnique(key, inMappingAt: top)
            stack[top].entries.append(YAMLMappingEntry(key: key, value: node))
        }
    }

    /// Adds a finished node's measure to its container's, failing when the
    /// container grows too deep or stands for too many nodes.
    private mutating func account(_ measure: Measure, at mark: YAMLMark) throws(YAMLError) {
        guard measure.depth <= YAMLReader.maximumNesting else {
            throw error("nesting deeper than \(YAMLReader.maximumNesting) levels (counted through aliases)", mark)
        }
        guard !openMeasures.isEmpty else { return }
        let container = openMeasures.count - 1
        openMeasures[container].depth = max(openMeasures[container].depth, measure.depth)
        openMeasures[container].nodes += measure.nodes
        guard openMeasures[container].nodes <= YAMLReader.maximumExpandedNodes else {
            throw error("more than \(YAMLReader.maximumExpandedNodes) nodes once aliases are expanded", mark)
        }
    }

    /// A scalar key is found by its text in constant time; other keys (rare
    /// in templates) are compared with every earlier one.
    private mutating func checkUnique(_ key: YAMLNode, inMappingAt index: Int) throws(YAMLError) {
        if let text = key.scalar?.text {
            if let line = stack[index].keyLines[text] {
                throw error("duplicate key '\(text)' (first at line \(line))", key.mark)
            }
            stack[index].keyLines[text] = key.mark.line
            return
        }
        if let duplicate = stack[index].entries.first(where: { $0.key == key }) {
            throw error("duplicate key (first at line \(duplicate.key.mark.line))", key.mark)
        }
    }

    /// A YAML 1.1 merge key: the entries of the merged mapping(s) that the
    /// mapping does not already have are added.
    private func merge(_ value: YAMLNode, into entries: inout [YAMLMappingEntry], at mark: YAMLMark) throws(YAMLError) {
        let sources: [YAMLNode]
        switch value {
        case .mapping: sources = [value]
        case .sequence(let items, _): sources = items
        case .scalar: throw error("a merge key '<<' needs a mapping or a sequence of mappings", mark)
        }
        var present = Set(entries.compactMap { $0.key.scalar?.text })
        for source in sources {
            guard let merged = source.mappingEntries else {
                throw error("a merge key '<<' needs a mapping or a sequence of mappings", source.mark)
            }
            Self.append(merged, to: &entries, skippingKeysIn: &present)
        }
    }

    /// Appends the entries whose scalar key is not yet in `present` (adding
    /// it there): the one rule of merge keys, that a key already there wins.
    private static func append(
        _ candidates: [YAMLMappingEntry], to entries: inout [YAMLMappingEntry], skippingKeysIn present: inout Set<String>
    ) {
        for entry in candidates {
            if let text = entry.key.scalar?.text, !present.insert(text).inserted { continue }
            entries.append(entry)
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }

    // MARK: - Positions inside multi-line scalars

    /// For a scalar spread over several lines, where each of its lines starts
    /// in the text and in the file. Each source line's content is found in the
    /// text in order; a line that cannot be found (an escape changed it) ends
    /// the map, and later offsets use the last line found.
    private func segments(for text: String, style: YAMLScalarStyle, start: yaml_mark_t, end: yaml_mark_t) -> [YAMLTextSegment] {
        let startLine = Int(start.line)
        let endLine = min(Int(end.line), lineStarts.count - 1)
        guard endLine > startLine else { return [] }
        let isBlock = style == .literal || style == .folded
        let textBytes = Array(text.utf8)
        var cursor = 0
        var result: [YAMLTextSegment] = []
        let blockIndent = isBlock ? blockIndentation(afterLine: startLine, through: endLine) : 0
        for line in startLine...endLine {
            var lineBytes = sourceLine(line)
            var column = 0
            if line == startLine {
                if isBlock { continue }
                column = Int(start.column) + (style == .plain ? 0 : 1)
            } else if isBlock {
                column = min(blockIndent, lineBytes.count)
            } else {
                while column < lineBytes.count, lineBytes[column] == UInt8(ascii: " ") || lineBytes[column] == UInt8(ascii: "\t") {
                    column += 1
                }
            }
            guard column <= lineBytes.count else { continue }
            lineBytes = Array(lineBytes[column...])
            if !isBlock {
                while let last = lineBytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { lineBytes.removeLast() }
                if line == endLine, style != .plain, !lineBytes.isEmpty { lineBytes.removeLast() }
            }
            guard !lineBytes.isEmpty else { continue }
            guard let found = find(lineBytes, in: textBytes, from: cursor) else { break }
            result.append(YAMLTextSegment(textOffset: found, line: line + 1, column: column + 1))
            cursor = found + lineBytes.count
        }
        return result
    }

    private func sourceLine(_ line: Int) -> [UInt8] {
        let start = lineStarts[line]
        var end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : source.count
        if end > start, source[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return Array(source[start..<max(start, end)])
    }

    /// The indentation of a block scalar: that of its first non-blank line.
    private func blockIndentation(afterLine header: Int, through last: Int) -> Int {
        guard header + 1 <= last else { return 0 }
        for line in (header + 1)...last {
            let bytes = sourceLine(line)
            if let first = bytes.firstIndex(where: { $0 != UInt8(ascii: " ") }) { return first }
        }
        return 0
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
