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
/// `\`, and control characters (as `\b \f \n \r \t` or `\u00xx`); everything
/// else, U+2028 and U+2029 included, is written as UTF-8. Numbers are spelled
/// by ``JSONNumberFormatting``. The caller writes the punctuation of
/// containers (`[`, `,`, `:` ...) with ``appendByte(_:)``.
public struct JSONWriter {
    /// The bytes written so far.
    public var bytes: [UInt8]

    /// Creates a writer, reserving `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        // Reserving nothing would still allocate an empty buffer.
        if capacity > 0 { bytes.reserveCapacity(capacity) }
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
            guard text.count <= 120, !Self.needsEscaping(text) else {
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
        if !Self.needsEscaping(text) {
            // The usual string: quoted as it is, in one copy.
            bytes.reserveCapacity(bytes.count + text.count + 2)
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: text)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<text.count {
            let byte = text[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index])) }
            runStart = index + 1
            appendEscape(byte)
        }
        if runStart < text.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether `text` has a byte that JSON escapes (`"`, `\`, a control
    /// character), eight bytes at a time.
    private static func needsEscaping(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return false }
        var position = 0
        while text.count - position >= 8 {
            if ByteWords.escapedInJSON(ByteWords.load(base, at: position)) != 0 { return true }
            position += 8
        }
        while position < text.count {
            let byte = text[position]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
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

    /// Appends the value at `index` of `document`: its original bytes when they
    /// are compact, otherwise the value re-written compactly (strings and
    /// numbers still keep their original spelling).
    public mutating func appendValue(of document: JSONDocument, at index: JSONDocument.Index) {
        if document.isCompact(at: index) {
            document.bytes.withUnsafeBufferPointer { buffer in
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[document.byteRange(at: index)]))
            }
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
