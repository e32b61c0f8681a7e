/// A JSON number as plain data: an exact integer, a double, or, for numbers
/// beyond both (more than 64-bit integers, beyond double range), the text it
/// was written as.
///
/// Two numbers are equal when their values as doubles are equal (`1 == 1.0`).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// How the number is held.
    public enum Storage: Sendable {
        case integer(Int64)
        case double(Double)
        /// Valid JSON number text kept as written.
        case text(String)
    }

    /// The number's representation.
    public let storage: Storage

    /// An exact integer.
    public init(_ value: Int64) { storage = .integer(value) }
    /// A double.
    public init(_ value: Double) { storage = .double(value) }
    /// Number text kept as written; it must be valid JSON number syntax.
    public init(text: String) { storage = .text(text) }

    /// The value as the nearest double.
    public var doubleValue: Double {
        switch storage {
        case .integer(let value): return Double(value)
        case .double(let value): return value
        case .text(let text):
            var text = text
            return text.withUTF8 { JSONNumberParsing.double($0) }
        }
    }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if case .integer(let left) = lhs.storage, case .integer(let right) = rhs.storage { return left == right }
        return lhs.doubleValue == rhs.doubleValue
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(doubleValue) }

    public var description: String {
        switch storage {
        case .integer(let value): return String(value)
        case .double(let value): return value.isFinite ? JSONNumberFormatting.javaScriptString(value) : "\(value)"
        case .text(let text): return text
        }
    }
}

/// An object's members in order, as plain data. Lookup by key returns the
/// last member of that name.
public struct JSONObject: Sendable, Hashable {
    /// The members in order.
    public var members: [(key: String, value: JSONValue)]

    /// Creates an object from members in order.
    public init(_ members: [(key: String, value: JSONValue)] = []) { self.members = members }

    /// The value of the last member named `key`.
    public subscript(key: String) -> JSONValue? {
        members.last(where: { $0.key == key })?.value
    }

    /// Objects are equal when they have the same keys with equal values,
    /// whatever the order (for a duplicated key, its last value counts).
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        let left = lhs.lastValues
        let right = rhs.lastValues
        guard left.count == right.count else { return false }
        for (key, value) in left where right[key] != value { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(lastValues.count)
    }

    private var lastValues: [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for member in members { result[member.key] = member.value }
        return result
    }
}

/// A JSON value as plain Swift data, for tests, tools and callers that build
/// documents by hand. The conversion path itself works on ``JSONDocument``.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Reads JSON text into plain values.
    /// - Throws: ``JSONReadError`` when the text is not valid JSON.
    public init(parsing bytes: [UInt8], options: JSONReadOptions = JSONReadOptions()) throws(JSONReadError) {
        let document = try JSONDocument(bytes: bytes, options: options)
        self = document.value(at: document.root)
    }

    /// Reads the UTF-8 encoding of `text` into plain values.
    /// - Throws: ``JSONReadError`` when the text is not valid JSON.
    public init(parsing text: String) throws(JSONReadError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// The value as JSON text: compact, or indented by two spaces when
    /// `pretty` is true.
    /// - Throws: ``JSONWriteError`` for a NaN or infinite number.
    public func serialized(pretty: Bool = false) throws(JSONWriteError) -> [UInt8] {
        var writer = JSONWriter()
        try write(to: &writer, indent: pretty ? 0 : nil)
        return writer.bytes
    }

    /// The value as JSON text in a string; see ``serialized(pretty:)``.
    /// - Throws: ``JSONWriteError`` for a NaN or infinite number.
    public func jsonText(pretty: Bool = false) throws(JSONWriteError) -> String {
        String(decoding: try serialized(pretty: pretty), as: UTF8.self)
    }

    /// Writes the value; `indent` is the current depth for pretty output, nil for compact.
    public func write(to writer: inout JSONWriter, indent: Int?) throws(JSONWriteError) {
        switch self {
        case .null: writer.appendNull()
        case .bool(let value): writer.appendBool(value)
        case .string(let value): writer.appendString(value)
        case .number(let number):
            switch number.storage {
            case .integer(let value): writer.appendInteger(value)
            case .double(let value): try writer.appendNumber(value)
            case .text(let text): writer.bytes.append(contentsOf: text.utf8)
            }
        case .array(let elements):
            try writeContainer(elements, open: "[", close: "]", to: &writer, indent: indent) { element, writer, inner throws(JSONWriteError) in
                try element.write(to: &writer, indent: inner)
            }
        case .object(let object):
            try writeContainer(object.members, open: "{", close: "}", to: &writer, indent: indent) { member, writer, inner throws(JSONWriteError) in
                writer.appendString(member.key)
                writer.appendByte(UInt8(ascii: ":"))
                if inner != nil { writer.appendByte(UInt8(ascii: " ")) }
                try member.value.write(to: &writer, indent: inner)
            }
        }
    }

    private func writeContainer<Element>(
        _ elements: [Element], open: Unicode.Scalar, close: Unicode.Scalar,
        to writer: inout JSONWriter, indent: Int?,
        writeElement: (Element, inout JSONWriter, Int?) throws(JSONWriteError) -> Void
    ) throws(JSONWriteError) {
        writer.appendByte(UInt8(ascii: open))
        guard !elements.isEmpty else {
            writer.appendByte(UInt8(ascii: close))
            return
        }
        let inner = indent.map { $0 + 1 }
        for (position, element) in elements.enumerated() {
            if position > 0 { writer.appendByte(UInt8(ascii: ",")) }
            if let inner { appendNewline(to: &writer, depth: inner) }
            try writeElement(element, &writer, inner)
        }
        if let indent { appendNewline(to: &writer, depth: indent) }
        writer.appendByte(UInt8(ascii: close))
    }

    private func appendNewline(to writer: inout JSONWriter, depth: Int) {
        writer.appendByte(UInt8(ascii: "\n"))
        writer.bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
    }
}

extension JSONDocument {
    /// The value at `index` as plain Swift values. Integers that fit in 64
    /// bits stay exact, other numbers become doubles unless they are beyond
    /// double range or beyond 64-bit integers, which keep their text.
    public func value(at index: Index) -> JSONValue {
        switch kind(at: index) {
        case .null: return .null
        case .boolean: return .bool(bool(at: index))
        case .string: return .string(string(at: index))
        case .number: return .number(number(at: index))
        case .array: return .array(children(of: index).map { value(at: $0) })
        case .object:
            return .object(JSONObject(members(of: index).map { (string(at: $0.key), value(at: $0.value)) }))
        }
    }

    /// The number at `index` as a ``JSONNumber``.
    public func number(at index: Index) -> JSONNumber {
        if let integer = int64(at: index) { return JSONNumber(integer) }
        let double = double(at: index)
        if isIntegerLiteral(at: index) || !double.isFinite { return JSONNumber(text: numberText(at: index)) }
        return JSONNumber(double)
    }
}
