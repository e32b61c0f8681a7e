/// Aggregation and boolean functions.
extension FunctionLibrary {
    static let aggregationFunctions: [NativeFunction] = [
        NativeFunction("sum", "<a<n>:n>") { _, arguments throws(JSONataError) in
            guard let elements = arguments[argument: 0]?.arrayElements else { return nil }
            return .number(elements.reduce(0) { $0 + ($1.numberValue ?? 0) })
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
        NativeFunction("average", "<a<n>:n>") { _, arguments throws(JSONataError) in
            guard let numbers = arguments[argument: 0]?.arrayElements?.compactMap({ $0.numberValue }), !numbers.isEmpty else { return nil }
            return .number(numbers.reduce(0, +) / Double(numbers.count))
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
}
