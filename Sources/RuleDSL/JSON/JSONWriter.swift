/// An error writing JSON: a value JSON cannot represent.
public enum JSONWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// NaN or an infinity, which JSON has no spelling for.
    case nonFiniteNumber(Double)

    public var description: String {
        switch self {
        case .nonFiniteNumber(let value):
            return "cannot write \(value) as JSON: numbers must be finite"
        }
    }
}

/// Writes compact JSON text (UTF-8) into a byte buffer.
///
/// Strings are escaped as JavaScript's `JSON.stringify` escapes them: `"`,
/// `\`, and control characters (as `\b \f \n \r \t` or `\u00xx`), and
/// besides U+2028, U+2029 and U+0085 as `\u2028`, `\u2029` and `\u0085`:
/// clients that split a stream's lines on them (Python's `str.splitlines`)
/// would otherwise cut a payload in two. Strings and containers carried over
/// from an input document get the same escapes; their bytes are still
/// copied as they are when they hold none (the reader notes which do).
/// Everything else is written as UTF-8. Numbers are spelled by
/// ``JSONNumberFormatting``. The caller writes the punctuation of
/// containers (`[`, `,`, `:` ...) with ``appendByte(_:)``.
public struct JSONWriter {
    /// The bytes written so far.
    public var bytes: [UInt8]
    /// Whether U+2028, U+2029 and U+0085 are escaped (the default); off,
    /// the writer spells strings exactly as `JSON.stringify` does, as
    /// JSONata's `$string` must.
    public let escapesLineSeparators: Bool

    /// Creates a writer, reserving `capacity` bytes.
    public init(capacity: Int = 256, escapesLineSeparators: Bool = true) {
        bytes = []
        self.escapesLineSeparators = escapesLineSeparators
        // Reserving nothing would still allocate an empty buffer.
        if capacity > 0 { bytes.reserveCapacity(capacity) }
    }

    /// Whether the UTF-8 sequence starting with `lead`, `second`, `third`
    /// (0 past a two-byte sequence) is U+2028, U+2029 or U+0085.
    @inline(__always)
    static func isLineSeparator(_ lead: UInt8, _ second: UInt8, _ third: UInt8) -> Bool {
        (lead == 0xC2 && second == 0x85) || (lead == 0xE2 && second == 0x80 && third | 1 == 0xA9)
    }

    /// Appends bytes that are already JSON text (a pre-encoded member key).
    @inline(__always)
    mutating func appendEncoded(_ text: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: text) }

    /// Appends one byte of punctuation.
    @inlinable public mutating func appendByte(_ byte: UInt8) { bytes.append(byte) }

    /// Appends `null`.
    public mutating func appendNull() { bytes.append(contentsOf: "null".utf8) }

    /// Appends `true` or `false`.
    public mutating func appendBool(_ value: Bool) {
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    /// Appends an integer exactly.
    public mutating func appendInteger(_ value: Int64) {
        JSONNumberFormatting.appendInteger(value, to: &bytes)
    }

    /// Appends a double in its shortest round-trip JavaScript spelling.
    /// - Throws: ``JSONWriteError/nonFiniteNumber(_:)`` for NaN and infinities.
    public mutating func appendNumber(_ value: Double) throws(JSONWriteError) {
        guard value.isFinite else { throw .nonFiniteNumber(value) }
        JSONNumberFormatting.appendJavaScript(value, to: &bytes)
    }

    /// Appends a string, quoted and escaped.
    public mutating func appendString(_ value: String) {
        var value = value
        value.withUTF8 { appendString(utf8: $0) }
    }

    /// Appends an object member's key with its punctuation: `,` unless it is
    /// the first member, then the quoted, escaped key and `:`.
    public mutating func appendMemberKey(_ key: String, first: Bool) {
        var key = key
        key.withUTF8 { text in
            // The usual key, short and plain, is assembled on the stack and
            // appended in one copy (each append to the array checks it).
            guard text.count <= 120, !needsEscaping(text) else {
                if !first { appendByte(UInt8(ascii: ",")) }
                appendString(utf8: text)
                appendByte(UInt8(ascii: ":"))
                return
            }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count + 4) { scratch in
                var length = 0
                if !first {
                    scratch[0] = UInt8(ascii: ",")
                    length = 1
                }
                scratch[length] = UInt8(ascii: "\"")
                if let source = text.baseAddress, text.count > 0 {
                    (scratch.baseAddress! + length + 1).update(from: source, count: text.count)
                }
                length += text.count + 1
                scratch[length] = UInt8(ascii: "\"")
                scratch[length + 1] = UInt8(ascii: ":")
                length += 2
                bytes.append(contentsOf: UnsafeBufferPointer(start: scratch.baseAddress, count: length))
            }
        }
    }

    /// Appends UTF-8 text as a quoted, escaped JSON string.
    public mutating func appendString(utf8 text: UnsafeBufferPointer<UInt8>) {
        if !needsEscaping(text) {
            // The usual string: quoted as it is, in one copy.
            bytes.reserveCapacity(bytes.count + text.count + 2)
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: text)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        while index < text.count {
            let byte = text[index]
            let escapedLength: Int
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                escapedLength = 1
            } else if byte >= 0xC2, let length = lineSeparatorLength(in: text, at: index) {
                escapedLength = length
            } else {
                index += 1
                continue
            }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index])) }
            if escapedLength == 1 { appendEscape(byte) } else { appendLineSeparatorEscape(text[index + escapedLength - 1]) }
            index += escapedLength
            runStart = index
        }
        if runStart < text.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The length of the line separator at `index` of `text` when one
    /// starts there and this writer escapes them.
    @inline(__always)
    private func lineSeparatorLength(in text: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        guard escapesLineSeparators, text.count - index >= 2 else { return nil }
        let third = text.count - index >= 3 ? text[index + 2] : 0
        guard Self.isLineSeparator(text[index], text[index + 1], third) else { return nil }
        return text[index] == 0xC2 ? 2 : 3
    }

    /// Appends `\u0085`, `\u2028` or `\u2029`, told apart by the last byte
    /// of the sequence (0x85, 0xA8, 0xA9).
    private mutating func appendLineSeparatorEscape(_ last: UInt8) {
        switch last {
        case 0x85: bytes.append(contentsOf: "\\u0085".utf8)
        case 0xA8: bytes.append(contentsOf: "\\u2028".utf8)
        default: bytes.append(contentsOf: "\\u2029".utf8)
        }
    }

    /// Whether `text` has a byte that the writer escapes (`"`, `\`, a
    /// control character) or the lead byte of a line separator, eight bytes
    /// at a time. Other text with those lead bytes (U+0080 to U+00BF, U+2000
    /// to U+2FFF) takes the byte-by-byte path, which writes it unchanged.
    private func needsEscaping(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return false }
        var position = 0
        while text.count - position >= 8 {
            let word = ByteWords.load(base, at: position)
            var marks = ByteWords.escapedInJSON(word)
            if escapesLineSeparators { marks |= ByteWords.equal(word, to: 0xC2) | ByteWords.equal(word, to: 0xE2) }
            if marks != 0 { return true }
            position += 8
        }
        while position < text.count {
            let byte = text[position]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
            if escapesLineSeparators, byte == 0xC2 || byte == 0xE2 { return true }
            position += 1
        }
        return false
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hexDigits = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: "u00".utf8)
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0xF)])
        }
    }

    /// Appends a string's JSON text as it was read, its line separators
    /// escaped (everything else in it is escaped already).
    private mutating func appendEscapingLineSeparators(_ text: ArraySlice<UInt8>) {
        var index = text.startIndex
        var runStart = index
        while index < text.endIndex {
            let third = text.endIndex - index >= 3 ? text[index + 2] : 0
            guard text.endIndex - index >= 2, Self.isLineSeparator(text[index], text[index + 1], third) else {
                index += 1
                continue
            }
            bytes.append(contentsOf: text[runStart..<index])
            let length = text[index] == 0xC2 ? 2 : 3
            appendLineSeparatorEscape(text[index + length - 1])
            index += length
            runStart = index
        }
        bytes.append(contentsOf: text[runStart...])
    }

    /// Appends the value at `index` of `document`: its original bytes when they
    /// are compact, otherwise the value re-written compactly (strings and
    /// numbers still keep their original spelling, but for the escapes of
    /// line separators).
    public mutating func appendValue(of document: JSONDocument, at index: JSONDocument.Index) {
        if document.isCompact(at: index) || (!escapesLineSeparators && document.kind(at: index) == .string) {
            document.bytes.withUnsafeBufferPointer { buffer in
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[document.byteRange(at: index)]))
            }
            return
        }
        if document.kind(at: index) == .string {
            appendEscapingLineSeparators(document.rawBytes(at: index))
            return
        }
        let isObject = document.kind(at: index) == .object
        bytes.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
        var child = index + 1
        for position in 0..<document.count(at: index) {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            if isObject {
                appendValue(of: document, at: child)
                bytes.append(UInt8(ascii: ":"))
                child += 1
            }
            appendValue(of: document, at: child)
            child = document.indexAfter(child)
        }
        bytes.append(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
    }
}
