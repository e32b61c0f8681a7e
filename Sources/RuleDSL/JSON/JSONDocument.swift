/// The kind of one JSON value.
public enum JSONKind: UInt8, Sendable {
    case null
    case boolean
    case number
    case string
    case array
    case object
}

/// One value of a ``JSONDocument``'s structural index: 20 bytes, no pointers.
///
/// Values are stored in document order (a container before its children);
/// `next` is the index just past the container's last descendant, so the
/// children of a container are found by hopping from `index + 1` by `next`.
/// In an object the children alternate key, value.
@usableFromInline
struct IndexEntry: Sendable {
    /// First byte of the value (the quote of a string, the bracket of a container).
    @usableFromInline var start: UInt32
    /// One past the last byte of the value.
    @usableFromInline var end: UInt32
    /// Index of the entry after this value and all its descendants.
    @usableFromInline var next: UInt32
    /// Number of elements of an array or members of an object.
    @usableFromInline var count: UInt32
    @usableFromInline var kind: JSONKind
    @usableFromInline var flags: UInt8

    @usableFromInline static let isTrue: UInt8 = 1
    @usableFromInline static let hasEscapes: UInt8 = 2
    @usableFromInline static let isInteger: UInt8 = 4
    @usableFromInline static let isCompact: UInt8 = 8
    /// A string holding U+2028, U+2029 or U+0085 unescaped.
    @usableFromInline static let hasLineSeparator: UInt8 = 16
}

/// A JSON document read once into a compact structural index.
///
/// Reading validates the whole text (RFC 8259, strict) in one pass and records,
/// for each value, its kind and byte range; containers know their children.
/// Nothing is decoded until asked for: strings and numbers are decoded by
/// ``string(at:)`` and ``double(at:)`` when a caller needs them, and a value
/// that is carried over unchanged can be copied as its original bytes
/// (``rawBytes(at:)``).
///
/// A document is immutable and can be shared by any number of threads.
/// Values are addressed by ``JSONDocument/Index``; the root is ``root``.
///
/// Duplicate keys: all members are kept in order; lookup by key
/// (``member(of:key:)``) returns the last one, as JavaScript's `JSON.parse` does.
public final class JSONDocument: Sendable {
    /// Position of a value in the document's index.
    public typealias Index = Int

    /// The UTF-8 text the document was read from.
    public let bytes: [UInt8]
    @usableFromInline let entries: IndexStorage

    /// The top-level value.
    public var root: Index { 0 }

    init(bytes: [UInt8], entries: IndexStorage) {
        self.bytes = bytes
        self.entries = entries
    }

    deinit {
        entries.deallocate()
    }

    /// Reads `bytes` as one JSON text.
    ///
    /// - Throws: ``JSONReadError`` naming the problem and its line, column and
    ///   byte offset: a syntax error, invalid UTF-8, a control character in a
    ///   string, a lone surrogate escape, nesting deeper than
    ///   `options.maximumDepth`, or input larger than 4 GiB.
    public convenience init(bytes: [UInt8], options: JSONReadOptions = JSONReadOptions()) throws(JSONReadError) {
        let entries = try JSONReader.index(bytes, options: options)
        self.init(bytes: bytes, entries: entries)
    }

    /// Reads the UTF-8 encoding of `text` as one JSON text.
    ///
    /// - Throws: ``JSONReadError`` as ``init(bytes:options:)``.
    public convenience init(text: String, options: JSONReadOptions = JSONReadOptions()) throws(JSONReadError) {
        try self.init(bytes: Array(text.utf8), options: options)
    }

    /// Number of values in the document (every key counts as one).
    public var valueCount: Int { entries.count }

    /// The kind of the value at `index`.
    @inlinable public func kind(at index: Index) -> JSONKind { entries[index].kind }

    /// The truth value of a boolean (false for any other kind).
    @inlinable public func bool(at index: Index) -> Bool {
        entries[index].flags & IndexEntry.isTrue != 0
    }

    /// Number of elements of an array or members of an object; 0 otherwise.
    @inlinable public func count(at index: Index) -> Int { Int(entries[index].count) }

    /// The byte range of the value at `index` in ``bytes``.
    @inlinable public func byteRange(at index: Index) -> Range<Int> {
        Int(entries[index].start)..<Int(entries[index].end)
    }

    /// Whether the value's text can be written out as its original bytes:
    /// it has no whitespace outside strings, and no string in it holds an
    /// unescaped U+2028, U+2029 or U+0085, which written JSON escapes
    /// (clients that split lines on them would break a payload apart).
    @inlinable public func isCompact(at index: Index) -> Bool {
        let entry = entries[index]
        switch entry.kind {
        case .array, .object: return entry.flags & IndexEntry.isCompact != 0
        case .string: return entry.flags & IndexEntry.hasLineSeparator == 0
        default: return true
        }
    }

    /// The original bytes of the value at `index`.
    @inlinable public func rawBytes(at index: Index) -> ArraySlice<UInt8> {
        bytes[byteRange(at: index)]
    }

    /// The index just past the value at `index` and everything inside it.
    @inlinable public func indexAfter(_ index: Index) -> Index { Int(entries[index].next) }

    /// The elements of an array, or the values of an object's members, in order.
    public func children(of index: Index) -> JSONChildren {
        JSONChildren(document: self, container: index)
    }

    /// The element at `position` of an array, or nil when out of range or not an array.
    public func element(of index: Index, at position: Int) -> Index? {
        guard kind(at: index) == .array, position >= 0, position < count(at: index) else { return nil }
        var child = index + 1
        for _ in 0..<position { child = indexAfter(child) }
        return child
    }

    /// The members of an object as (key index, value index) pairs, in document order.
    public func members(of index: Index) -> [(key: Index, value: Index)] {
        guard kind(at: index) == .object else { return [] }
        var result: [(key: Index, value: Index)] = []
        result.reserveCapacity(count(at: index))
        var key = index + 1
        for _ in 0..<count(at: index) {
            let value = key + 1
            result.append((key, value))
            key = indexAfter(value)
        }
        return result
    }

    /// The value of the object member named `key`; the last one when the key
    /// occurs more than once. Nil when absent or when `index` is not an object.
    /// Other members are not decoded.
    public func member(of index: Index, key: String) -> Index? {
        var key = key
        return key.withUTF8 { member(of: index, keyBytes: $0) }
    }

    /// The value of the object member whose key is `keyBytes` (UTF-8); the last
    /// one when the key occurs more than once.
    public func member(of index: Index, keyBytes: UnsafeBufferPointer<UInt8>) -> Index? {
        var found: Index? = nil
        forEachMemberKey(of: index) { keyIndex, plainKey in
            guard let plainKey else {
                if keyEquals(keyIndex, keyBytes) { found = keyIndex + 1 }
                return
            }
            if Self.sameBytes(plainKey, keyBytes) { found = keyIndex + 1 }
        }
        return found
    }

    /// For each of `names` (UTF-8), the index of the value of the object's
    /// member of that name (the last one when a key repeats), or -1: one pass
    /// over the members for any number of names. `lengthMask` has bit n set
    /// when a name is n bytes long (bit 63 for 63 and more), so that keys of
    /// other lengths are passed over without comparing bytes.
    func findMembers(
        of index: Index, named names: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>,
        lengthMask: UInt64, into found: UnsafeMutableBufferPointer<Int>
    ) {
        for position in 0..<names.count { found[position] = -1 }
        forEachMemberKey(of: index) { keyIndex, plainKey in
            guard let plainKey else {
                for position in 0..<names.count where keyEquals(keyIndex, names[position]) { found[position] = keyIndex + 1 }
                return
            }
            guard lengthMask & (1 << UInt64(min(plainKey.count, 63))) != 0 else { return }
            for position in 0..<names.count where Self.sameBytes(plainKey, names[position]) { found[position] = keyIndex + 1 }
        }
    }

    /// Calls `body` with each member key of the object at `index` (nothing
    /// for another kind): its index, and its text between the quotes, or nil
    /// when the key has escapes and must be decoded to compare. The hot loop
    /// of every field lookup: entries and text are read through raw pointers.
    @inline(__always)
    private func forEachMemberKey(of index: Index, _ body: (_ keyIndex: Index, _ plainKey: UnsafeBufferPointer<UInt8>?) -> Void) {
        guard kind(at: index) == .object else { return }
        let entryPointer = entries.pointer
        bytes.withUnsafeBufferPointer { text in
            guard let base = text.baseAddress else { return }
            var keyIndex = index + 1
            for _ in 0..<Int(entryPointer[index].count) {
                let entry = entryPointer[keyIndex]
                if entry.flags & IndexEntry.hasEscapes != 0 {
                    body(keyIndex, nil)
                } else {
                    body(keyIndex, UnsafeBufferPointer(start: base + Int(entry.start) + 1, count: Int(entry.end - entry.start) - 2))
                }
                keyIndex = Int(entryPointer[keyIndex + 1].next)
            }
        }
    }

    /// Whether two byte runs are equal; most keys differ in length or first byte.
    @inline(__always)
    private static func sameBytes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        guard left.count == right.count else { return false }
        guard left.count > 0 else { return true }
        return left[0] == right[0] && memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0
    }

    /// Whether the string at `index` decodes to exactly `other` (UTF-8).
    public func keyEquals(_ index: Index, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        let entry = entries[index]
        if entry.flags & IndexEntry.hasEscapes != 0 {
            var decoded = string(at: index)
            return decoded.withUTF8 { $0.elementsEqual(other) }
        }
        let length = Int(entry.end - entry.start) - 2
        guard length == other.count else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            guard length > 0 else { return true }
            return memcmp(buffer.baseAddress! + Int(entry.start) + 1, other.baseAddress!, length) == 0
        }
    }

    /// Whether the string at `index` contains escape sequences.
    @inlinable public func stringHasEscapes(at index: Index) -> Bool {
        entries[index].flags & IndexEntry.hasEscapes != 0
    }

    /// The decoded text of the string at `index` (a key or a value).
    public func string(at index: Index) -> String {
        let entry = entries[index]
        let contentStart = Int(entry.start) + 1
        let contentEnd = Int(entry.end) - 1
        return bytes.withUnsafeBufferPointer { buffer in
            let content = UnsafeBufferPointer(rebasing: buffer[contentStart..<contentEnd])
            if entry.flags & IndexEntry.hasEscapes == 0 {
                return String(decoding: content, as: UTF8.self)
            }
            return JSONStringDecoding.unescape(content)
        }
    }

    /// Whether the number at `index` is written without fraction or exponent.
    @inlinable public func isIntegerLiteral(at index: Index) -> Bool {
        entries[index].flags & IndexEntry.isInteger != 0
    }

    /// The number at `index` as a double (the nearest one; ±infinity when out of range).
    public func double(at index: Index) -> Double {
        let range = byteRange(at: index)
        return bytes.withUnsafeBufferPointer {
            JSONNumberParsing.double(UnsafeBufferPointer(rebasing: $0[range]))
        }
    }

    /// The number at `index` as a 64-bit integer, when it is an integer literal
    /// that fits; nil otherwise.
    public func int64(at index: Index) -> Int64? {
        guard isIntegerLiteral(at: index) else { return nil }
        let range = byteRange(at: index)
        return bytes.withUnsafeBufferPointer {
            JSONNumberParsing.int64(UnsafeBufferPointer(rebasing: $0[range]))
        }
    }

    /// The text of the number at `index`, exactly as written.
    public func numberText(at index: Index) -> String {
        String(decoding: rawBytes(at: index), as: UTF8.self)
    }
}

/// The child values of a container in a ``JSONDocument``: an array's elements
/// or an object's member values.
public struct JSONChildren: Sequence {
    let document: JSONDocument
    let container: JSONDocument.Index

    /// Iterates the children in document order.
    public struct Iterator: IteratorProtocol {
        let document: JSONDocument
        var current: Int
        var remaining: Int
        let isObject: Bool

        public mutating func next() -> JSONDocument.Index? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            let value = isObject ? current + 1 : current
            current = document.indexAfter(value)
            return value
        }
    }

    public func makeIterator() -> Iterator {
        let kind = document.kind(at: container)
        let isContainer = kind == .array || kind == .object
        return Iterator(
            document: document, current: container + 1,
            remaining: isContainer ? document.count(at: container) : 0,
            isObject: kind == .object)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
