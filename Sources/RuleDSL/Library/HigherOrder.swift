/// Higher-order functions: `$map`, `$filter`, `$single`, `$reduce`.
extension FunctionLibrary {
    /// The arguments a callback receives: value, index, array, as many as it declares.
    private static func callbackArguments(_ function: FunctionValue, _ value: Value, _ index: Int, _ array: Value) -> [Value?] {
        Array([value, .number(Double(index)), array].prefix(max(1, function.arity)))
    }

    static let higherOrderFunctions: [NativeFunction] = [
        NativeFunction("map", "<af>") { call, arguments throws(JSONataError) in
            guard let array = arguments[argument: 0], case .function(let function)? = arguments[argument: 1] else { return nil }
            var results: [Value] = []
            for (index, element) in array.asList.enumerated() {
                if let result = try call.call(function, callbackArguments(function, element, index, array)) {
                    results.append(result)
                }
            }
            return .array(results, .sequence)
        },
        NativeFunction("filter", "<af>") { call, arguments throws(JSONataError) in
            guard let array = arguments[argument: 0], case .function(let function)? = arguments[argument: 1] else { return nil }
            var results: [Value] = []
            for (index, element) in array.asList.enumerated()
            where Evaluation.truthy(try call.call(function, callbackArguments(function, element, index, array))) {
                results.append(element)
            }
            return .array(results, .sequence)
        },
        NativeFunction("single", "<af?>") { call, arguments throws(JSONataError) in
            guard let array = arguments[argument: 0] else { return nil }
            var found: Value? = nil
            for (index, element) in array.asList.enumerated() {
                var matches = true
                if case .function(let function)? = arguments[argument: 1] {
                    matches = Evaluation.truthy(try call.call(function, callbackArguments(function, element, index, array)))
                }
                guard matches else { continue }
                if found != nil { throw call.error(.singleMoreThanOne) }
                found = element
            }
            guard let found else { throw call.error(.singleNone) }
            return found
        },
        NativeFunction("reduce", "<afj?:j>") { call, arguments throws(JSONataError) in
            guard let array = arguments[argument: 0], case .function(let function)? = arguments[argument: 1] else { return nil }
            guard function.arity >= 2 || function.arity == 0 else { throw call.error(.reduceFunctionArity) }
            var elements = array.asList
            var accumulator: Value?
            var index = 0
            // An initial value that is undefined counts as none given.
            if let initial = arguments[argument: 2] {
                accumulator = initial
            } else if !elements.isEmpty {
                accumulator = elements.removeFirst()
                index = 1
            }
            for element in elements {
                let callArguments = Array([accumulator, element, .number(Double(index)), array].prefix(max(2, function.arity)))
                accumulator = try call.call(function, callArguments)
                if let accumulator { try call.checkNesting(accumulator) }
                index += 1
            }
            return accumulator
        },
    ]
}
