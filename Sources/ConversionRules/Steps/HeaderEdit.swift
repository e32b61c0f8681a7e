/// A `header` step: clear all, delete, set, add, in that order.
public struct HeaderEdit: Sendable {
    public var clearAll: Bool
    public var delete: [String]
    public var set: [(name: String, value: String)]
    public var add: [(name: String, value: String)]

    public init(
        clearAll: Bool = false, delete: [String] = [], set: [(name: String, value: String)] = [],
        add: [(name: String, value: String)] = []
    ) {
        self.clearAll = clearAll
        self.delete = delete
        self.set = set
        self.add = add
    }

    /// The headers after the edits.
    public func apply(to headers: HTTPHeaders) -> HTTPHeaders {
        var result = headers
        CompiledHeaderEdit(self).apply(to: &result)
        return result
    }
}
