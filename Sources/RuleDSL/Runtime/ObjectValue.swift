/// One member of a built object.
///
/// A struct rather than a tuple: arrays of tuples are destroyed element by
/// element through their type metadata, which showed in profiles as a
/// large share of releasing the objects a conversion builds.
public struct ObjectMember {
    /// The member's key.
    public var key: String
    /// The member's value.
    public var value: Value

    /// A member of `key` with `value`.
    public init(key: String, value: Value) {
        self.key = key
        self.value = value
    }
}

/// An object's members in insertion order, with lookup by key.
///
/// Small objects (the usual case) are a plain list searched in order, which
/// costs less than hashing; from 16 members on, an index by key is kept too.
public struct ObjectValue {
    /// The members in insertion order (each key once).
    public private(set) var entries: [ObjectMember] = []
    private var index: [ExactKey: Int]? = nil
    /// An identity given to the objects of a transform's copy, to find the
    /// objects its pattern matched; 0 elsewhere.
    var identity = 0

    private static let indexThreshold = 16

    public init() {}

    /// An empty object with room for `capacity` members.
    init(capacity: Int) {
        entries.reserveCapacity(capacity)
    }

    /// The keys in insertion order.
    public var keys: [String] { entries.map(\.key) }

    public var count: Int { entries.count }

    private func position(of key: String) -> Int? {
        if let index { return index[ExactKey(key)] }
        // Lengths first: most keys passed over differ in length.
        let count = key.utf8.count
        for position in entries.indices where entries[position].key.utf8.count == count {
            if Self.sameBytes(entries[position].key, key) { return position }
        }
        return nil
    }

    /// For each of `keys`, the position of the member with that key, or -1:
    /// one pass over the members for any number of keys.
    func findMembers(named keys: UnsafeBufferPointer<WantedKey>, into found: UnsafeMutableBufferPointer<Int>) {
        for position in 0..<keys.count { found[position] = -1 }
        if let index {
            for position in 0..<keys.count { found[position] = index[ExactKey(keys[position].key)] ?? -1 }
            return
        }
        entries.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for member in buffer.indices {
                for position in 0..<keys.count where found[position] < 0 && keys[position].matches(base + member) {
                    found[position] = member
                    break
                }
            }
        }
    }

    /// Where the members are stored: two objects with the same storage
    /// have the same members.
    var membersAddress: UnsafeRawPointer? {
        entries.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    /// A key to find, with its UTF-8 bytes, compared with member keys in
    /// place (copying a member's key would count a reference for each
    /// member passed over). The bytes are memory the key's holder keeps
    /// alive while the key is used.
    struct WantedKey {
        let key: String
        let bytes: UnsafeBufferPointer<UInt8>

        /// Whether `member` has this key, byte for byte (lengths first:
        /// most keys passed over differ in length).
        @inline(__always)
        func matches(_ member: UnsafePointer<ObjectMember>) -> Bool {
            member.pointee.key.utf8.count == bytes.count && ObjectValue.sameBytes(member.pointee.key, bytes)
        }
    }

    /// Whether two keys have the same UTF-8 bytes. JSONata compares keys by
    /// their code units (as document lookups do); `==` would also match
    /// canonically equivalent spellings, and costs more.
    ///
    /// Keys of up to 15 bytes (most keys; Swift keeps such strings inline)
    /// compare byte by byte, longer ones with memcmp over their contiguous
    /// UTF-8: asking a short string for contiguous storage costs more than
    /// the comparison.
    @inline(__always)
    static func sameBytes(_ key: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count <= 15 ? key.utf8.elementsEqual(bytes) : key.utf8Equals(bytes)
    }

    /// Whether two keys have the same UTF-8 bytes, compared as above.
    static func sameBytes(_ left: String, _ right: String) -> Bool {
        guard left.utf8.count == right.utf8.count else { return false }
        if left.utf8.count <= 15 { return left.utf8.elementsEqual(right.utf8) }
        // Strings bridged from elsewhere may have no contiguous UTF-8.
        return right.utf8.withContiguousStorageIfAvailable(left.utf8Equals) ?? left.utf8.elementsEqual(right.utf8)
    }

    /// The value of `key`; setting nil removes the member.
    public subscript(key: String) -> Value? {
        get {
            guard let position = position(of: key) else { return nil }
            return entries[position].value
        }
        set {
            if let newValue {
                if let existing = position(of: key) {
                    entries[existing].value = newValue
                } else {
                    appendNew(key, newValue)
                }
            } else if let existing = position(of: key) {
                entries.remove(at: existing)
                if index != nil { rebuildIndex() }
            }
        }
    }

    /// Appends a member whose key the caller knows is not present yet; the
    /// key and value are taken over, not copied.
    mutating func appendNew(_ key: consuming String, _ value: consuming Value) {
        if index != nil { index![ExactKey(copy key)] = entries.count }
        entries.append(ObjectMember(key: consume key, value: consume value))
        if index == nil, entries.count >= Self.indexThreshold { rebuildIndex() }
    }

    // Inlined: as a call from appendNew, it kept the optimizer from handing
    // callers' values over, and each member appended was copied first
    // (measured: one more reference count on a document per member).
    @inline(__always)
    private mutating func rebuildIndex() {
        index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { (ExactKey($1.key), $0) })
    }

    /// A key of the index: equal and hashed by its UTF-8 bytes, as the list
    /// search compares keys (String's own equality is canonical equivalence).
    private struct ExactKey: Hashable {
        let text: String
        init(_ text: String) { self.text = text }

        static func == (left: ExactKey, right: ExactKey) -> Bool { ObjectValue.sameBytes(left.text, right.text) }

        func hash(into hasher: inout Hasher) {
            let hashed: Void? = text.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            if hashed == nil {
                // Strings bridged from elsewhere may have no contiguous UTF-8.
                Array(text.utf8).withUnsafeBytes { hasher.combine(bytes: $0) }
            }
        }
    }
}
