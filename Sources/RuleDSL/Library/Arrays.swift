/// Array functions.
extension FunctionLibrary {
    static let arrayFunctions: [NativeFunction] = [
        NativeFunction("append", "<xx:a>") { call, arguments throws(JSONataError) in
            guard let first = arguments[argument: 0] else { return arguments[argument: 1] }
            guard let second = arguments[argument: 1] else { return first }
            let (firstItems, secondItems) = (first.asList, second.asList)
            try call.checkSize(firstItems.count + secondItems.count)
            return .array(firstItems + secondItems, [])
        },
        NativeFunction("reverse", "<a:a>") { _, arguments throws(JSONataError) in
            arguments[argument: 0]?.arrayElements.map { .array($0.reversed(), []) }
        },
        NativeFunction("shuffle", "<a:a>") { _, arguments throws(JSONataError) in
            arguments[argument: 0]?.arrayElements.map { .array($0.shuffled(), []) }
        },
        NativeFunction("distinct", "<x:x>") { call, arguments throws(JSONataError) in
            guard let value = arguments[argument: 0] else { return nil }
            guard let elements = value.arrayElements else { return value }
            var result: [Value] = []
            for element in elements {
                // Quadratic in the worst case (values compare deeply): each element is a step.
                try call.tick()
                if !result.contains(where: { Evaluation.deepEqual($0, element) }) { result.append(element) }
            }
            return .array(result, [])
        },
        NativeFunction("sort", "<af?:a>") { call, arguments throws(JSONataError) in
            guard let elements = arguments[argument: 0]?.arrayElements else { return nil }
            // One element is never compared: it is neither checked nor passed to the comparator.
            guard elements.count > 1 else { return .array(elements, []) }
            if case .function(let comparator)? = arguments[argument: 1] {
                // The comparator says whether its first argument goes after its
                // second, read as JavaScript reads a condition: any array or
                // object, even an empty one, is true.
                let sorted = try elements.mergeSorted { (earlier, later) throws(JSONataError) -> Bool in
                    switch try call.call(comparator, [later, earlier])?.decodedScalar {
                    case nil, .null?, .bool(false)?, .number(0)?, .string("")?: return false
                    case .number(let number)?: return !number.isNaN
                    default: return true
                    }
                }
                return .array(sorted, [])
            }
            let scalars = elements.map { $0.decodedScalar }
            if scalars.allSatisfy({ if case .number = $0 { return true } else { return false } }) {
                return .array(scalars.mergeSorted { ($0.numberValue ?? 0) < ($1.numberValue ?? 0) }, [])
            }
            if scalars.allSatisfy({ if case .string = $0 { return true } else { return false } }) {
                return .array(scalars.mergeSorted { Evaluation.compareStrings($0.stringValue ?? "", $1.stringValue ?? "") < 0 }, [])
            }
            throw call.error(.sortNeedsComparator)
        },
        NativeFunction("zip", "<a+>") { _, arguments throws(JSONataError) in
            let lists = arguments.map { $0?.asList ?? [] }
            let length = lists.map(\.count).min() ?? 0
            return .array((0..<length).map { index in .array(lists.map { $0[index] }, []) }, [])
        },
    ]
}
