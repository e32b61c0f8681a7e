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
        NativeFunction("spread", "<x-:a<o>>") { _, arguments throws(JSONataError) in
            guard let value = arguments[argument: 0] else { return nil }
            var results: [Value] = []
            for item in value.isArray ? value.asList : [value] {
                guard let members = item.objectMembers else {
                    results.append(item)
                    continue
                }
                for member in members {
                    var single = ObjectValue()
                    single[member.key] = member.value
                    results.append(.object(single))
                }
            }
            return .array(results, .sequence)
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
            guard case .bool(let condition)? = arguments[argument: 0]?.decodedScalar else {
                throw call.error(.argumentMismatch, token: "1")
            }
            if !condition { throw call.error(.assertionFailed, token: arguments[argument: 1].string ?? "") }
            return nil
        },
    ]
}
