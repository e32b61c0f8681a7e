/// Aggregation and boolean functions.
extension FunctionLibrary {
    static let aggregationFunctions: [NativeFunction] = [
        NativeFunction("sum", "<a<n>:n>") { call, arguments throws(JSONataError) in
            guard let elements = arguments[argument: 0]?.arrayElements else { return nil }
            return try finite(elements.reduce(0) { $0 + ($1.numberValue ?? 0) }, call)
        },
        NativeFunction("count", "<a:n>") { _, arguments throws(JSONataError) in
            .number(Double(arguments[argument: 0]?.arrayElements?.count ?? 0))
        },
        NativeFunction("max", "<a<n>:n>") { _, arguments throws(JSONataError) in
            guard let numbers = arguments[argument: 0]?.arrayElements?.compactMap({ $0.numberValue }), !numbers.isEmpty else { return nil }
            return .number(numbers.max()!)
        },
        NativeFunction("min", "<a<n>:n>") { _, arguments throws(JSONataError) in
            guard let numbers = arguments[argument: 0]?.arrayElements?.compactMap({ $0.numberValue }), !numbers.isEmpty else { return nil }
            return .number(numbers.min()!)
        },
        NativeFunction("average", "<a<n>:n>") { call, arguments throws(JSONataError) in
            guard let numbers = arguments[argument: 0]?.arrayElements?.compactMap({ $0.numberValue }), !numbers.isEmpty else { return nil }
            return try finite(numbers.reduce(0, +) / Double(numbers.count), call)
        },
        NativeFunction(unary: "boolean", "<x-:b>") { value in
            value.map { .bool(Evaluation.truthy($0)) }
        },
        NativeFunction(unary: "not", "<x-:b>") { value in
            value.map { .bool(!Evaluation.truthy($0)) }
        },
        NativeFunction(unary: "exists", "<x:b>") { value in
            .bool(value != nil)
        },
    ]

    /// `value` as a number, or D1001 when the sum ran past the largest double.
    private static func finite(_ value: Double, _ call: NativeCall) throws(JSONataError) -> Value {
        guard value.isFinite else { throw call.error(.numberOverflow, token: JSONNumberFormatting.javaScriptString(value)) }
        return .number(value)
    }
}
