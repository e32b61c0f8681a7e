/// A `header` step: clear all, delete, set, add, in that order.
public struct HeaderEdit: Sendable {
    public var clearAll: Bool
    public var delete: [String]
    public var set: [(name: String, value: String)]
    public var add: [(name: String, value: String)]

    public init(clearAll: Bool = false, delete: [String] = [], set: [(name: String, value: String)] = [],
                add: [(name: String, value: String)] = []) {
        self.clearAll = clearAll
        self.delete = delete
        self.set = set
        self.add = add
    }

    /// The headers after the edits.
    public func apply(to headers: HTTPHeaders) -> HTTPHeaders {
        var result = clearAll ? HTTPHeaders() : headers
        for name in delete { result.remove(name) }
        for field in set { result.set(field.name, field.value) }
        for field in add { result.add(field.name, field.value) }
        return result
    }
}
