import RuleDSL

/// HTTP header fields: names compare case-insensitively, a name may have
/// several values, and the order fields were added in is kept.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    /// The fields in order, with names as they were given.
    public private(set) var fields: [(name: String, value: String)]

    /// Creates headers from fields in order.
    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// Creates headers from a dictionary (one value per name, in key order).
    public init(_ dictionary: [String: String]) {
        self.fields = dictionary.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The first value of `name`, or nil when absent.
    public subscript(name: String) -> String? {
        fields.first(where: { Self.sameName($0.name, name) })?.value
    }

    /// Every value of `name`, in order.
    public func values(of name: String) -> [String] {
        fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    /// Whether a field named `name` is present.
    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Adds a field, keeping any existing values of the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    /// Replaces every value of `name` by `value` (at the place of the first one).
    public mutating func set(_ name: String, _ value: String) {
        if let first = fields.firstIndex(where: { Self.sameName($0.name, name) }) {
            // Already so (the usual Content-Type of a JSON body): no change, and
            // no copy of fields shared with another value.
            if fields[first].value == value,
                !fields[(first + 1)...].contains(where: { Self.sameName($0.name, name) })
            {
                return
            }
            fields[first].value = value
            var index = fields.count - 1
            while index > first {
                if Self.sameName(fields[index].name, name) { fields.remove(at: index) }
                index -= 1
            }
        } else {
            fields.append((name, value))
        }
    }

    /// Removes every field named `name`.
    public mutating func remove(_ name: String) {
        // Checked first: removing from fields shared with another copy would
        // copy them even when nothing matches (every chunk of a stream).
        guard fields.contains(where: { Self.sameName($0.name, name) }) else { return }
        fields.removeAll { Self.sameName($0.name, name) }
    }

    /// Removes every field.
    public mutating func removeAll() { fields.removeAll() }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { sameName($0.name, $1.name) && $0.value == $1.value }
    }

    /// Whether two header names are the same, ignoring ASCII case.
    public static func sameName(_ left: String, _ right: String) -> Bool {
        left == right || equalIgnoringASCIICase(left.utf8, right.utf8)
    }

    /// Whether a header name is the same as the UTF-8 name `right`, ignoring
    /// ASCII case: equal bytes are compared at once, and only names that
    /// differ are compared byte by byte.
    static func sameName(_ left: String, utf8 right: UnsafeBufferPointer<UInt8>) -> Bool {
        left.utf8Equals(right) || equalIgnoringASCIICase(left.utf8, right)
    }

    private static func equalIgnoringASCIICase(_ left: some Collection<UInt8>, _ right: some Collection<UInt8>) -> Bool {
        left.count == right.count && zip(left, right).allSatisfy { lowercaseASCII($0) == lowercaseASCII($1) }
    }

    /// Whether a field is named `name` (UTF-8).
    func contains(utf8Name name: UnsafeBufferPointer<UInt8>) -> Bool {
        fields.contains { Self.sameName($0.name, utf8: name) }
    }

    /// Whether `name` (UTF-8) has exactly one field, and its value is `value`
    /// (UTF-8): what setting it would leave as it is.
    func hasOnly(utf8Name name: UnsafeBufferPointer<UInt8>, utf8Value value: UnsafeBufferPointer<UInt8>) -> Bool {
        var found = false
        for field in fields where Self.sameName(field.name, utf8: name) {
            guard !found, field.value.utf8Equals(value) else { return false }
            found = true
        }
        return found
    }

    private static func lowercaseASCII(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
