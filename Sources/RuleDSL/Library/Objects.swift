/// Object functions, and `$type`, `$error`, `$assert`.
extension FunctionLibrary {
    static let objectFunctions: [NativeFunction] = [
        NativeFunction("keys", "<x-:a<s>>") { call, arguments throws(JSONataError) in
            guard let value = arguments[argument: 0] else { return nil }
            var keys: [String] = []
            var seen: Set<String> = []
            for item in value.isArray ? value.asList : [value] {
                try call.tick()
                for member in item.objectMembers ?? [] where seen.insert(member.key).inserted { keys.append(member.key) }
            }
            return .array(keys.map { .string($0) }, .sequence)
        },
        NativeFunction("lookup", "<x-s:x>") { _, arguments throws(JSONataError) in
            guard let value = arguments[argument: 0], let key = arguments[argument: 1].string else { return nil }
            if value.isArray {
                var results: [Value] = []
                for item in value.asList {
                    guard let found = item.member(key) else { continue }
                    if found.isArray { results.append(contentsOf: found.asList) } else { results.append(found) }
                }
                return .array(results, .sequence)
            }
            return value.member(key)
        },
        // An object becomes a sequence of one-field objects; an array, as in
        // JSONata, the array of its elements spread and flattened at every
        // depth, kept an array even with one element or none (`$spread([{}])`
        // is `[]`); an empty array, undefined.
        NativeFunction("spread", "<x-:a<o>>") { _, arguments throws(JSONataError) in
            guard let value = arguments[argument: 0] else { return nil }
            var results: [Value] = []
            guard value.isArray else {
                guard value.isObject else { return value }
                spread(value, into: &results)
                return .array(results, .sequence)
            }
            guard value.flattenedCount > 0 else { return nil }
            spread(value, into: &results)
            return .array(results, [])
        },
        NativeFunction("merge", "<a<o>:o>") { _, arguments throws(JSONataError) in
            guard let elements = arguments[argument: 0]?.arrayElements else { return nil }
            var result = ObjectValue()
            for element in elements {
                for member in element.objectMembers ?? [] { result[member.key] = member.value }
            }
            return .object(result)
        },
        NativeFunction("each", "<o-f:a>") { call, arguments throws(JSONataError) in
            guard let members = arguments[argument: 0]?.objectMembers,
                case .function(let function)? = arguments[argument: 1]
            else { return nil }
            var results: [Value] = []
            for member in members {
                let callArguments = Array([member.value, .string(member.key), arguments[argument: 0]].prefix(max(1, function.arity)))
                if let result = try call.call(function, callArguments) { results.append(result) }
            }
            return .array(results, .sequence)
        },
        NativeFunction("sift", "<o-f?:o>") { call, arguments throws(JSONataError) in
            guard let members = arguments[argument: 0]?.objectMembers,
                case .function(let function)? = arguments[argument: 1]
            else { return nil }
            var result = ObjectValue()
            for member in members {
                let callArguments = Array([member.value, .string(member.key), arguments[argument: 0]].prefix(max(1, function.arity)))
                if Evaluation.truthy(try call.call(function, callArguments)) { result[member.key] = member.value }
            }
            return result.count == 0 ? nil : .object(result)
        },
        NativeFunction(unary: "type", "<x:s>") { value in
            value.map { .string($0.typeName) }
        },
        NativeFunction("error", "<s?:x>") { call, arguments throws(JSONataError) in
            throw call.error(.userError, token: arguments[argument: 0].string ?? "")
        },
        NativeFunction("assert", "<bs?:x>") { call, arguments throws(JSONataError) in
            switch arguments[argument: 0]?.decodedScalar {
            case .bool(true)?: return nil
            // An undefined condition fails the assertion, as a false one does.
            case .bool(false)?, nil: throw call.error(.assertionFailed, token: arguments[argument: 1].string ?? "")
            default: throw call.error(.argumentMismatch, token: "1")
            }
        },
    ]

    private static func spread(_ value: Value, into results: inout [Value]) {
        if let elements = value.arrayElements {
            for element in elements { spread(element, into: &results) }
        } else if let members = value.objectMembers {
            for member in members {
                var single = ObjectValue()
                single[member.key] = member.value
                results.append(.object(single))
            }
        } else {
            results.append(value)
        }
    }
}
