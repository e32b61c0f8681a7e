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

    /// How many items the value adds to a sequence it is flattened into:
    /// an array's element count, 1 for anything else.
    var flattenedCount: Int {
        switch self {
        case .array(let items, _): return items.count
        case .node(let document, let index) where document.kind(at: index) == .array: return document.count(at: index)
        default: return 1
        }
    }

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
                if let existing = seen[key] {
                    result[existing].value = value
                } else {
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

    /// Whether `value` is the document value at `index` of `document`.
    @inline(__always)
    static func isNode(_ value: borrowing Value?, at index: JSONDocument.Index, of document: Unmanaged<JSONDocument>) -> Bool {
        switch value {
        case .node(let valueDocument, let valueIndex)?:
            return valueIndex == index && valueDocument === document.takeUnretainedValue()
        default:
            return false
        }
    }

    /// Whether `value` is a built object whose members are stored at `address`.
    @inline(__always)
    static func isObject(_ value: borrowing Value?, withMembersAt address: UnsafeRawPointer) -> Bool {
        switch value {
        case .object(let object)?: return object.membersAddress == address
        default: return false
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
