/// How a 64-bit Swift string marks its small (inline) form: bit 61 of its
/// second word. Equal small strings have equal bits (their bytes, zero
/// padding, and a count and ASCII flag that follow from the bytes), which
/// ``ObjectValue`` uses to compare keys; `holds` verifies the layout once.
enum SmallStringLayout {
    static func isSmall(_ bits: (UInt64, UInt64)) -> Bool { bits.1 & (1 << 61) != 0 }

    static let holds: Bool = {
        guard MemoryLayout<String>.size == 16 else { return false }
        let short = String(decoding: Array("model".utf8), as: UTF8.self)
        let alsoShort = String("model".reversed().reversed())
        let long = String(repeating: "x", count: 40)
        let shortBits = unsafeBitCast(short, to: (UInt64, UInt64).self)
        return isSmall(shortBits) && shortBits == unsafeBitCast(alsoShort, to: (UInt64, UInt64).self)
            && !isSmall(unsafeBitCast(long, to: (UInt64, UInt64).self))
    }()
}

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
        let wanted = WantedKey(key)
        return entries.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            for position in buffer.indices where wanted.matches(MemberKey(base + position)) { return position }
            return nil
        }
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
                let memberKey = MemberKey(base + member)
                for position in 0..<keys.count where found[position] < 0 && keys[position].matches(memberKey) {
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

    /// A member's key as its bits, read in place: copying the key would
    /// count a reference for each member passed over.
    struct MemberKey {
        let member: UnsafePointer<ObjectMember>
        let bits: (UInt64, UInt64)
        let isSmall: Bool
        private static let keyOffset = MemoryLayout<ObjectMember>.offset(of: \.key)!

        @inline(__always)
        init(_ member: UnsafePointer<ObjectMember>) {
            self.member = member
            bits = (UnsafeRawPointer(member) + Self.keyOffset).load(as: (UInt64, UInt64).self)
            isSmall = SmallStringLayout.isSmall(bits)
        }
    }

    /// A key to find, prepared once for comparing with member keys in place.
    struct WantedKey {
        let key: String
        private let bits: (UInt64, UInt64)
        private let isSmall: Bool

        init(_ key: String) {
            self.key = key
            bits = unsafeBitCast(key, to: (UInt64, UInt64).self)
            isSmall = SmallStringLayout.holds && SmallStringLayout.isSmall(bits)
        }

        /// Whether `member` has this key: equal bits, or else (unless both
        /// are small strings, whose bits would have been equal) equal bytes.
        @inline(__always)
        func matches(_ member: MemberKey) -> Bool {
            if member.bits == bits { return true }
            if isSmall, member.isSmall { return false }
            return ObjectValue.sameBytes(member.member.pointee.key, key)
        }
    }

    /// Whether two keys have the same UTF-8 bytes. JSONata compares keys by
    /// their code units (as document lookups do); `==` would also match
    /// canonically equivalent spellings, and costs more.
    ///
    /// ``position(of:)`` first tries what most keys allow: Swift stores
    /// strings of up to 15 UTF-8 bytes inline ("small"), where equal text is
    /// equal bits, so two small keys compare as two machine words
    /// (``SmallStringLayout`` checks that representation once).
    static func sameBytes(_ left: String, _ right: String) -> Bool {
        guard left.utf8.count == right.utf8.count else { return false }
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
