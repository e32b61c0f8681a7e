#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Options for reading JSON text.
public struct JSONReadOptions: Sendable {
    /// The deepest nesting of arrays and objects accepted; deeper input is an
    /// error (never a stack overflow: the reader does not recurse).
    public var maximumDepth: Int

    /// Creates options; the default depth limit is 1,000 levels.
    public init(maximumDepth: Int = 1_000) {
        self.maximumDepth = maximumDepth
    }
}

/// The validating one-pass reader that builds a document's structural index.
///
/// It does not recurse: open containers are kept on an explicit stack, so
/// deep input fails with a depth error instead of exhausting the call stack.
struct JSONReader {
    private let input: UnsafeBufferPointer<UInt8>
    private let options: JSONReadOptions
    private var position = 0
    private var entries: IndexBuilder
    /// Whitespace bytes skipped so far; a container is compact when this did
    /// not change between its opening and closing bracket.
    private var whitespaceSkipped = 0
    /// Strings read so far that hold U+2028, U+2029 or U+0085 unescaped: a
    /// container holding one cannot be copied as its bytes.
    private var lineSeparatorStrings = 0

    private struct OpenContainer {
        var entry: Int
        var whitespaceAtOpen: Int
        var lineSeparatorsAtOpen: Int
        var isObject: Bool
    }
    /// The open containers: the first levels in memory on the caller's stack
    /// (no allocation for typical documents), deeper ones in `deepStack`.
    private let shallowStack: UnsafeMutableBufferPointer<OpenContainer>
    private var deepStack: [OpenContainer] = []
    private var depth = 0

    private static let shallowDepth = 32

    private init(
        input: UnsafeBufferPointer<UInt8>, options: JSONReadOptions,
        shallowStack: UnsafeMutableBufferPointer<OpenContainer>
    ) {
        self.input = input
        self.options = options
        // About one value per eight bytes of typical JSON; the buffer grows if needed.
        self.entries = IndexBuilder(capacity: input.count / 8)
        self.shallowStack = shallowStack
    }

    /// Validates `bytes` and returns its index entries.
    static func index(_ bytes: [UInt8], options: JSONReadOptions) throws(JSONReadError) -> IndexStorage {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in
            // The temporary allocation takes an untyped closure: the outcome is carried out beside it.
            var storage: IndexStorage? = nil
            var failure: JSONReadError? = nil
            withUnsafeTemporaryAllocation(of: OpenContainer.self, capacity: shallowDepth) { shallowStack in
                var reader = JSONReader(input: buffer, options: options, shallowStack: shallowStack)
                do throws(JSONReadError) {
                    try reader.readDocument()
                    storage = reader.entries.finish()
                } catch {
                    reader.entries.discard()
                    failure = error
                }
            }
            if let failure { throw failure }
            return storage!
        }
    }

    /// The innermost open container, if any.
    private var innermost: OpenContainer? {
        if depth == 0 { return nil }
        return depth <= shallowStack.count ? shallowStack[depth - 1] : deepStack[deepStack.count - 1]
    }

    private mutating func push(_ container: OpenContainer) {
        if depth < shallowStack.count {
            shallowStack[depth] = container
        } else {
            deepStack.append(container)
        }
        depth += 1
    }

    private mutating func pop() {
        depth -= 1
        if depth >= shallowStack.count { deepStack.removeLast() }
    }

    /// A byte offset or entry number as an index entry stores it: the input
    /// is checked to be under 4 GiB before reading, so every one fits (no
    /// overflow check on each value read).
    @inline(__always)
    private static func offset(_ value: Int) -> UInt32 { UInt32(truncatingIfNeeded: value) }

    private func fail(_ message: String, at offset: Int? = nil) -> JSONReadError {
        JSONReadError(message, offset: offset ?? position, in: input)
    }

    private mutating func readDocument() throws(JSONReadError) {
        guard input.count < Int(UInt32.max) else {
            throw fail("JSON text larger than 4 GiB is not supported", at: 0)
        }
        skipWhitespace()
        guard position < input.count else { throw fail("empty JSON text: expected a value") }
        try readValues()
        skipWhitespace()
        if position < input.count {
            throw fail("unexpected \(describeByte(at: position)) after the JSON value")
        }
    }

    /// Reads one value (with everything inside it) starting at `position`.
    private mutating func readValues() throws(JSONReadError) {
        while true {
            // Here a value must start; opening a container asks for its first child.
            while try readValueStart() {}
            // Close containers and move to the next value, as far as the input says.
            while true {
                guard let top = innermost else { return }
                skipWhitespace()
                guard position < input.count else {
                    throw fail("unexpected end of JSON text: \(top.isObject ? "object" : "array") is not closed")
                }
                let byte = input[position]
                if byte == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                    entries[top.entry].count += 1
                    if top.isObject {
                        try readKeyAndColon()
                    } else if try readNumberRun(in: top) {
                        continue
                    }
                    break
                }
                let closing = top.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                guard byte == closing else {
                    throw fail("expected ',' or '\(Character(Unicode.Scalar(closing)))' but found \(describeByte(at: position))")
                }
                position += 1
                entries[top.entry].count += 1
                close(top)
                pop()
            }
        }
    }

    private mutating func close(_ container: OpenContainer) {
        entries[container.entry].end = Self.offset(position)
        entries[container.entry].next = Self.offset(entries.count)
        if whitespaceSkipped == container.whitespaceAtOpen, lineSeparatorStrings == container.lineSeparatorsAtOpen {
            entries[container.entry].flags |= IndexEntry.isCompact
        }
    }

    /// Reads a scalar, or opens a container (closing it at once when empty).
    /// Returns true when a container was opened and its first child must follow.
    private mutating func readValueStart() throws(JSONReadError) -> Bool {
        guard position < input.count else { throw fail("unexpected end of JSON text: expected a value") }
        let byte = input[position]
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let isObject = byte == UInt8(ascii: "{")
            guard depth < options.maximumDepth else {
                throw fail("nesting deeper than \(options.maximumDepth) levels")
            }
            let container = OpenContainer(
                entry: entries.count, whitespaceAtOpen: whitespaceSkipped, lineSeparatorsAtOpen: lineSeparatorStrings, isObject: isObject)
            entries.append(
                IndexEntry(
                    start: Self.offset(position), end: 0, next: 0, count: 0,
                    kind: isObject ? .object : .array, flags: 0))
            position += 1
            skipWhitespace()
            let closing = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            if position < input.count, input[position] == closing {
                position += 1
                close(container)
                return false
            }
            push(container)
            if isObject {
                try readKeyAndColon()
            }
            return true
        case UInt8(ascii: "\""):
            try readString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try readNumber()
        case UInt8(ascii: "t"):
            try readLiteral("true", kind: .boolean, flags: IndexEntry.isTrue)
        case UInt8(ascii: "f"):
            try readLiteral("false", kind: .boolean, flags: 0)
        case UInt8(ascii: "n"):
            try readLiteral("null", kind: .null, flags: 0)
        default:
            throw fail("expected a value but found \(describeByte(at: position))")
        }
        return false
    }

    @inline(__always)
    private mutating func readKeyAndColon() throws(JSONReadError) {
        guard position < input.count else { throw fail("unexpected end of JSON text: expected an object key") }
        guard input[position] == UInt8(ascii: "\"") else {
            throw fail("expected a string as object key but found \(describeByte(at: position))")
        }
        try readString()
        skipWhitespace()
        guard position < input.count, input[position] == UInt8(ascii: ":") else {
            throw fail("expected ':' after object key but found \(describeByte(at: position))")
        }
        position += 1
        skipWhitespace()
    }

    @inline(__always)
    private mutating func readLiteral(_ word: StaticString, kind: JSONKind, flags: UInt8) throws(JSONReadError) {
        let start = position
        let length = word.utf8CodeUnitCount
        let wordBytes = UnsafeBufferPointer(start: word.utf8Start, count: length)
        guard input.count - position >= length,
            memcmp(input.baseAddress! + position, wordBytes.baseAddress!, length) == 0
        else {
            throw fail("invalid literal: expected '\(word)'")
        }
        position += length
        entries.append(
            IndexEntry(
                start: Self.offset(start), end: Self.offset(position), next: Self.offset(entries.count &+ 1),
                count: 0, kind: kind, flags: flags))
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        // Compact JSON has none: one test, and no bookkeeping.
        guard position < input.count, input[position] <= 0x20 else { return }
        let before = position
        while position < input.count {
            switch input[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default:
                whitespaceSkipped &+= position - before
                return
            }
        }
        whitespaceSkipped &+= position - before
    }

    private func isDigit(_ offset: Int) -> Bool {
        offset < input.count && input[offset] >= UInt8(ascii: "0") && input[offset] <= UInt8(ascii: "9")
    }

    @inline(__always)
    private mutating func readNumber() throws(JSONReadError) {
        let start = position
        var isInteger = true
        if input[position] == UInt8(ascii: "-") { position += 1 }
        guard isDigit(position) else { throw fail("expected a digit in number") }
        if input[position] == UInt8(ascii: "0") {
            position += 1
            if isDigit(position) { throw fail("leading zeros are not allowed in numbers") }
        } else {
            skipDigits()
        }
        if position < input.count, input[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard isDigit(position) else { throw fail("expected a digit after the decimal point") }
            skipDigits()
        }
        if position < input.count, input[position] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            if position < input.count, input[position] == UInt8(ascii: "+") || input[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard isDigit(position) else { throw fail("expected a digit in the exponent") }
            while isDigit(position) { position += 1 }
        }
        entries.append(
            IndexEntry(
                start: Self.offset(start), end: Self.offset(position), next: Self.offset(entries.count &+ 1),
                count: 0, kind: .number, flags: isInteger ? IndexEntry.isInteger : 0))
    }

    @inline(__always)
    private mutating func readString() throws(JSONReadError) {
        let start = position
        position += 1
        var flags: UInt8 = 0
        while true {
            // Fast path: eight bytes at a time while none of them is a quote,
            // a backslash, a control character or a non-ASCII byte.
            skipPlainASCII()
            while position < input.count {
                let byte = input[position]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
                position += 1
            }
            guard position < input.count else {
                throw fail("unterminated string", at: start)
            }
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                break
            }
            if byte == UInt8(ascii: "\\") {
                flags |= IndexEntry.hasEscapes
                try readEscape()
            } else if byte < 0x20 {
                throw fail("control character U+\(hex4(UInt32(byte))) must be escaped in a string")
            } else if try readMultiByteCharacter(), flags & IndexEntry.hasLineSeparator == 0 {
                flags |= IndexEntry.hasLineSeparator
                lineSeparatorStrings &+= 1
            }
        }
        entries.append(
            IndexEntry(
                start: Self.offset(start), end: Self.offset(position), next: Self.offset(entries.count &+ 1),
                count: 0, kind: .string, flags: flags))
    }

    /// Reads a run of numbers separated by bare commas inside an array (the
    /// thousands of elements of an embedding) without the general dispatch
    /// per value, counting each further element in the array's entry.
    /// Returns false, reading nothing, when no number starts here.
    @inline(__always)
    private mutating func readNumberRun(in array: OpenContainer) throws(JSONReadError) -> Bool {
        guard position < input.count, Self.startsNumber(input[position]) else { return false }
        try readNumber()
        while input.count - position >= 2, input[position] == UInt8(ascii: ","), Self.startsNumber(input[position + 1]) {
            position += 1
            entries[array.entry].count += 1
            try readNumber()
        }
        return true
    }

    private static func startsNumber(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    /// Moves past a run of ASCII digits, eight bytes at a time where the
    /// input allows (numbers of embeddings have a dozen digits each).
    @inline(__always)
    private mutating func skipDigits() {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highNibbles: UInt64 = ones &* 0xF0
        let digitNibble: UInt64 = ones &* 0x30
        let lowSeven: UInt64 = ones &* 0x7F
        if let base = input.baseAddress {
            while input.count - position >= 8 {
                let word = ByteWords.load(base, at: position)
                // A byte is a digit when its high nibble is 3 and stays 3 after adding 6
                // (0x30...0x39); such bytes become zero here. Adding 6 can carry only
                // out of bytes above 0xF9, which are not digits: the carry changes
                // bytes after the first non-digit, which are not counted.
                let nonDigits = ((word & highNibbles) ^ digitNibble) | (((word &+ ones &* 0x06) & highNibbles) ^ digitNibble)
                // The high bit of each byte of nonDigits that is not zero.
                let marks = (((nonDigits & lowSeven) &+ lowSeven) | nonDigits) & ~lowSeven
                if marks != 0 {
                    position += ByteWords.firstFlagged(marks)
                    return
                }
                position += 8
            }
        }
        while isDigit(position) { position += 1 }
    }

    /// Moves `position` past plain ASCII string content, eight bytes at a
    /// time, to the first byte that is a quote, a backslash, a control
    /// character or non-ASCII (or to the last few bytes of the input).
    @inline(__always)
    private mutating func skipPlainASCII() {
        guard let base = input.baseAddress else { return }
        // On a local: the loop keeps it in a register instead of storing
        // the reader's position at every step.
        var at = position
        let end = input.count
        while end &- at >= 8 {
            let word = ByteWords.load(base, at: at)
            let special = ByteWords.escapedInJSON(word) | ByteWords.nonASCII(word)
            if special != 0 {
                position = at &+ ByteWords.firstFlagged(special)
                return
            }
            at &+= 8
        }
        position = at
    }

    private mutating func readEscape() throws(JSONReadError) {
        let escapeStart = position
        position += 1
        guard position < input.count else { throw fail("unterminated string", at: escapeStart) }
        switch input[position] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 1
        case UInt8(ascii: "u"):
            position += 1
            let unit = try readHex4(escapeStart)
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard input.count - position >= 6,
                    input[position] == UInt8(ascii: "\\"), input[position + 1] == UInt8(ascii: "u")
                else {
                    throw fail("high surrogate \\u\(hex4(unit)) is not followed by a low surrogate", at: escapeStart)
                }
                let lowStart = position
                position += 2
                let low = try readHex4(lowStart)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw fail("high surrogate \\u\(hex4(unit)) is not followed by a low surrogate", at: escapeStart)
                }
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                throw fail("lone low surrogate \\u\(hex4(unit))", at: escapeStart)
            }
        default:
            throw fail("invalid escape sequence in string", at: escapeStart)
        }
    }

    private mutating func readHex4(_ escapeStart: Int) throws(JSONReadError) -> UInt32 {
        guard input.count - position >= 4 else { throw fail("incomplete \\u escape", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexValue(input[position]) else {
                throw fail("invalid hexadecimal digit in \\u escape", at: escapeStart)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// Validates one UTF-8 sequence of two to four bytes (Unicode table 3-7);
    /// returns whether it is U+2028, U+2029 or U+0085, which lines may be
    /// split on.
    private mutating func readMultiByteCharacter() throws(JSONReadError) -> Bool {
        let lead = input[position]
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondHigh = 0x9F
        case 0xF0:
            length = 4
            secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondHigh = 0x8F
        default: throw fail("invalid UTF-8 byte 0x\(String(lead, radix: 16, uppercase: true))")
        }
        guard input.count - position >= length else { throw fail("truncated UTF-8 sequence") }
        let second = input[position + 1]
        guard second >= secondLow && second <= secondHigh else { throw fail("invalid UTF-8 sequence") }
        for offset in 2..<max(2, length) where input[position + offset] & 0xC0 != 0x80 {
            throw fail("invalid UTF-8 sequence")
        }
        let isLineSeparator = JSONWriter.isLineSeparator(lead, second, length == 3 ? input[position + 2] : 0)
        position += length
        return isLineSeparator
    }

    private func describeByte(at offset: Int) -> String {
        guard offset < input.count else { return "end of text" }
        let byte = input[offset]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
}

@inline(__always)
func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
    default: return nil
    }
}

func hex4(_ value: UInt32) -> String {
    let text = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - text.count)) + text
}
