#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How an array value came to be, which decides how paths treat it.
public struct ArrayFlags: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A result sequence of a path: flattened into enclosing results, and a
    /// sequence of one item stands for that item.
    public static let sequence = ArrayFlags(rawValue: 1)
    /// A sequence that stays an array even with one item (`path[]`).
    public static let keepSingleton = ArrayFlags(rawValue: 2)
    /// Built by an array constructor `[...]`: not flattened by a path step.
    public static let constructed = ArrayFlags(rawValue: 4)
    /// The sequence of one that wraps an array input, so that a path
    /// navigates the array as a whole; `$` and `$$` see the array itself.
    public static let outerWrapper = ArrayFlags(rawValue: 8)
}

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
    public var key: String
    public var value: Value

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
    private var index: [String: Int]? = nil
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
        if let index { return index[key] }
        let keyBits = unsafeBitCast(key, to: (UInt64, UInt64).self)
        let keyIsSmall = SmallStringLayout.holds && SmallStringLayout.isSmall(keyBits)
        let keyOffset = MemoryLayout<ObjectMember>.offset(of: \.key)!
        return entries.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            for position in buffer.indices {
                // The member key's bits, read in place: copying the key would
                // count a reference for each member passed over.
                let memberBits = (UnsafeRawPointer(base + position) + keyOffset).load(as: (UInt64, UInt64).self)
                if memberBits == keyBits { return position }
                if keyIsSmall, SmallStringLayout.isSmall(memberBits) { continue }
                if Self.sameBytes(buffer[position].key, key) { return position }
            }
            return nil
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
        let count = left.utf8.count
        guard count == right.utf8.count else { return false }
        let compared = left.utf8.withContiguousStorageIfAvailable { leftBytes in
            right.utf8.withContiguousStorageIfAvailable { rightBytes in
                count == 0 || memcmp(leftBytes.baseAddress!, rightBytes.baseAddress!, count) == 0
            }
        }
        // Strings bridged from elsewhere may have no contiguous UTF-8.
        return (compared ?? nil) ?? left.utf8.elementsEqual(right.utf8)
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
                    entries.append(ObjectMember(key: key, value: newValue))
                    if index != nil {
                        index![key] = entries.count - 1
                    } else if entries.count >= Self.indexThreshold {
                        index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
                    }
                }
            } else if let existing = position(of: key) {
                entries.remove(at: existing)
                if index != nil {
                    index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
                }
            }
        }
    }

    /// Appends a member whose key the caller knows is not present yet; the
    /// key and value are taken over, not copied.
    mutating func appendNew(_ key: consuming String, _ value: consuming Value) {
        if index != nil { index![copy key] = entries.count }
        entries.append(ObjectMember(key: consume key, value: consume value))
        if index == nil, entries.count >= Self.indexThreshold {
            index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
        }
    }
}

/// A value during evaluation.
///
/// Values read from an input document stay where they are: `.node` refers to
/// a string, number, array or object inside a ``JSONDocument`` and is decoded
/// only when an operation needs its content; written out unchanged, it is
/// copied as its original bytes. Undefined (JSONata's "no value") is `nil`
/// of `Value?`.
public enum Value {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    /// A string, number, array or object inside an input document.
    case node(JSONDocument, JSONDocument.Index)
    case array([Value], ArrayFlags)
    case object(ObjectValue)
    case function(FunctionValue)

    /// The value of the document's `index`: null and booleans decoded, others by reference.
    @inlinable
    public static func fromDocument(_ document: JSONDocument, _ index: JSONDocument.Index) -> Value {
        switch document.kind(at: index) {
        case .null: return .null
        case .boolean: return .bool(document.bool(at: index))
        default: return .node(document, index)
        }
    }

    /// The value of a whole document.
    public init(document: JSONDocument) {
        self = Value.fromDocument(document, document.root)
    }

    /// An empty result sequence.
    static var emptySequence: Value { .array([], .sequence) }

    // MARK: - What kind of value

    /// The JSONata type name: "null", "boolean", "number", "string", "array", "object" or "function".
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .node(let document, let index):
            switch document.kind(at: index) {
            case .number: return "number"
            case .string: return "string"
            case .array: return "array"
            case .object: return "object"
            case .null: return "null"
            case .boolean: return "boolean"
            }
        case .array: return "array"
        case .object: return "object"
        case .function: return "function"
        }
    }

    var isArray: Bool {
        switch self {
        case .array: return true
        case .node(let document, let index): return document.kind(at: index) == .array
        default: return false
        }
    }

    var isObject: Bool {
        switch self {
        case .object: return true
        case .node(let document, let index): return document.kind(at: index) == .object
        default: return false
        }
    }

    var isSequence: Bool {
        if case .array(_, let flags) = self { return flags.contains(.sequence) }
        return false
    }

    var isFunction: Bool {
        if case .function = self { return true }
        return false
    }

    /// The number, when the value is one.
    var numberValue: Double? {
        switch self {
        case .number(let value): return value
        case .node(let document, let index) where document.kind(at: index) == .number:
            return document.double(at: index)
        default: return nil
        }
    }

    /// The string, when the value is one.
    var stringValue: String? {
        switch self {
        case .string(let value): return value
        case .node(let document, let index) where document.kind(at: index) == .string:
            return document.string(at: index)
        default: return nil
        }
    }

    /// The elements, when the value is an array.
    var arrayElements: [Value]? {
        switch self {
        case .array(let items, _): return items
        case .node(let document, let index) where document.kind(at: index) == .array:
            return document.children(of: index).map { Value.fromDocument(document, $0) }
        default: return nil
        }
    }

    /// The elements of an array, or the value itself as a one-element list.
    var asList: [Value] { arrayElements ?? [self] }

    /// The members in order, when the value is an object.
    var objectMembers: [ObjectMember]? {
        switch self {
        case .object(let object): return object.entries
        case .node(let document, let index) where document.kind(at: index) == .object:
            // Duplicate keys: the last value wins, at the place of the first.
            var seen: [String: Int] = [:]
            var result: [ObjectMember] = []
            for member in document.members(of: index) {
                let key = document.string(at: member.key)
                let value = Value.fromDocument(document, member.value)
                if let existing = seen[key] { result[existing].value = value } else {
                    seen[key] = result.count
                    result.append(ObjectMember(key: key, value: value))
                }
            }
            return result
        default: return nil
        }
    }

    /// The value as an object, decoded from a document when needed.
    var objectValue: ObjectValue? {
        if case .object(let object) = self { return object }
        guard let members = objectMembers else { return nil }
        var object = ObjectValue()
        for member in members { object[member.key] = member.value }
        return object
    }

    /// The value of member `key`, when the value is an object that has it.
    func member(_ key: String) -> Value? {
        switch self {
        case .object(let object): return object[key]
        case .node(let document, let index):
            return document.member(of: index, key: key).map { Value.fromDocument(document, $0) }
        default: return nil
        }
    }

    /// The value with a document string or number decoded; containers stay as they are.
    var decodedScalar: Value {
        guard case .node(let document, let index) = self else { return self }
        switch document.kind(at: index) {
        case .string: return .string(document.string(at: index))
        case .number: return .number(document.double(at: index))
        default: return self
        }
    }
}

// MARK: - Conversions

extension Value {
    /// A plain JSON value as an evaluation value.
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let number): self = .number(number.doubleValue)
        case .string(let value): self = .string(value)
        case .array(let items): self = .array(items.map(Value.init), [])
        case .object(let object):
            var result = ObjectValue()
            for member in object.members { result[member.key] = Value(member.value) }
            self = .object(result)
        }
    }

    /// The value as plain JSON, or nil for a function (which JSON cannot hold).
    /// Functions inside arrays are dropped and inside objects become "".
    public var jsonValue: JSONValue? {
        switch self {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .number(let value): return .number(JSONNumber(value))
        case .string(let value): return .string(value)
        case .node(let document, let index): return document.value(at: index)
        case .array(let items, _): return .array(items.compactMap { $0.jsonValue })
        case .object(let object):
            return .object(JSONObject(object.entries.map { ($0.key, $0.value.jsonValue ?? .string("")) }))
        case .function: return nil
        }
    }

    /// Writes the value as compact JSON. Document values are copied as their
    /// original bytes when compact. Functions are written as `""`, as
    /// JSONata's JSON output does.
    /// - Throws: ``JSONWriteError`` for a non-finite number.
    public func write(to writer: inout JSONWriter) throws(JSONWriteError) {
        switch self {
        case .null: writer.appendNull()
        case .bool(let value): writer.appendBool(value)
        case .number(let value): try writer.appendNumber(value)
        case .string(let value): writer.appendString(value)
        case .node(let document, let index): writer.appendValue(of: document, at: index)
        case .array(let items, _):
            writer.appendByte(UInt8(ascii: "["))
            var first = true
            // Through the buffer, in place: writing copies (and retains) no item.
            try items.withUnsafeBufferPointer { buffer throws(JSONWriteError) in
                for position in buffer.indices {
                    if case .function = buffer[position] { continue }
                    if !first { writer.appendByte(UInt8(ascii: ",")) }
                    first = false
                    try buffer[position].write(to: &writer)
                }
            }
            writer.appendByte(UInt8(ascii: "]"))
        case .object(let object):
            writer.appendByte(UInt8(ascii: "{"))
            try object.entries.withUnsafeBufferPointer { entries throws(JSONWriteError) in
                for position in entries.indices {
                    writer.appendMemberKey(entries[position].key, first: position == 0)
                    try entries[position].value.write(to: &writer)
                }
            }
            writer.appendByte(UInt8(ascii: "}"))
        case .function: writer.appendString("")
        }
    }
}
