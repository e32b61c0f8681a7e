/// Function calls, partial application, `~>` chains, lambdas with tail calls,
/// and regular expressions called as functions.
extension Evaluation {
    /// A call of a built-in function resolved at compile time, with no placeholders.
    func callBuiltin(
        _ builtin: NativeFunction, _ argumentNodes: Operands, _ input: Value?, _ frame: Frame,
        position: Int
    ) throws(JSONataError) -> Value? {
        if let unary = builtin.unary, argumentNodes.count == 1 {
            return unary(try evaluate(argumentNodes[0], input, frame))
        }
        var arguments: [Value?] = []
        arguments.reserveCapacity(argumentNodes.count)
        for index in 0..<argumentNodes.count {
            arguments.append(try evaluate(argumentNodes[index], input, frame))
        }
        return try applyNative(builtin, arguments, context: input, position: position, scope: builtin.readsCallerScope ? frame : nil)
    }

    func call(
        _ functionNode: Node, _ argumentNodes: [Node?], _ input: Value?, _ frame: Frame,
        position: Int
    ) throws(JSONataError) -> Value? {
        let function = try callee(functionNode, input, frame, partial: argumentNodes.contains { $0 == nil })
        if argumentNodes.contains(where: { $0 == nil }) {
            var parts: [PartialArgument] = []
            for argumentNode in argumentNodes {
                guard let argumentNode else {
                    parts.append(.placeholder)
                    continue
                }
                parts.append(.bound(try evaluate(argumentNode, input, frame)))
            }
            return .function(FunctionValue(.partial(function, parts)))
        }
        var arguments: [Value?] = []
        arguments.reserveCapacity(argumentNodes.count)
        for argumentNode in argumentNodes {
            arguments.append(try evaluate(argumentNode!, input, frame))
        }
        if case .native(let native) = function.implementation, native.readsCallerScope {
            return try applyNative(native, arguments, context: input, position: position, scope: frame)
        }
        return try apply(function, arguments, context: input, position: position)
    }

    /// The function a call names. T1005/T1007 when a field name was meant as `$name`.
    private func callee(_ node: Node, _ input: Value?, _ frame: Frame, partial: Bool) throws(JSONataError) -> FunctionValue {
        let value = try evaluate(node, input, frame)
        if case .function(let function)? = value { return function }
        var hint: String? = nil
        if case .name(let name, _) = node.kind { hint = name }
        if case .path(let steps, _) = node.kind, steps.count == 1, case .name(let name, _) = steps[0].kind { hint = name }
        if let hint, FunctionLibrary.functions[hint] != nil {
            throw JSONataError(partial ? .partialNonFunctionHint : .invokeNonFunctionHint, position: node.position, token: hint)
        }
        throw JSONataError(partial ? .partialNonFunction : .invokeNonFunction, position: node.position)
    }

    /// Calls `function` with `arguments`. Calls in tail position of a lambda
    /// loop here instead of nesting, so tail-recursive functions run in
    /// constant depth.
    func apply(_ function: FunctionValue, _ arguments: [Value?], context: Value?, position: Int) throws(JSONataError) -> Value? {
        var function = function
        var arguments = arguments
        var context = context
        while true {
            guard case .lambda(let definition, let closure, let capturedInput) = function.implementation else {
                return try applyOther(function, arguments, context: context, position: position)
            }
            if let signature = definition.signature {
                arguments = try signature.validate(arguments, context: context, position: position, functionName: "lambda")
            }
            let scope = Frame(parent: closure, isFunctionScope: true)
            for (index, parameter) in definition.parameters.enumerated() {
                scope.bind(parameter, index < arguments.count ? arguments[index] : nil)
            }
            switch try evaluateTail(definition.body, capturedInput, scope) {
            case .value(let value):
                return value
            case .call(let next, let nextArguments, let nextContext):
                function = next
                arguments = nextArguments
                context = nextContext
            }
        }
    }

    /// The outcome of a lambda body: a value, or a call in tail position
    /// still to be made (by the caller's loop, in constant depth).
    enum TailOutcome {
        case value(Value?)
        case call(FunctionValue, [Value?], context: Value?)
    }

    /// Evaluates `node` in tail position: a call there is returned, not made.
    /// Conditions pass tail position to their branches and blocks to their last expression.
    private func evaluateTail(_ node: Node, _ input: Value?, _ frame: Frame) throws(JSONataError) -> TailOutcome {
        guard node.stages.isEmpty, node.group == nil, node.focus == nil else {
            return .value(try evaluate(node, input, frame))
        }
        switch node.kind {
        case .call(let calleeNode, let argumentNodes) where !argumentNodes.contains(where: { $0 == nil }):
            try enter(node)
            defer { leave() }
            let next = try callee(calleeNode, input, frame, partial: false)
            var nextArguments: [Value?] = []
            for argumentNode in argumentNodes { nextArguments.append(try evaluate(argumentNode!, input, frame)) }
            switch next.implementation {
            case .lambda:
                return .call(next, nextArguments, context: input)
            case .native(let native) where native.readsCallerScope:
                return .value(collapse(try applyNative(native, nextArguments, context: input, position: node.position, scope: frame)))
            default:
                return .value(collapse(try apply(next, nextArguments, context: input, position: node.position)))
            }
        case .condition(let test, let then, let otherwise):
            try enter(node)
            defer { leave() }
            if Self.truthy(try evaluate(test, input, frame)) { return try evaluateTail(then, input, frame) }
            guard let otherwise else { return .value(nil) }
            return try evaluateTail(otherwise, input, frame)
        case .block(let expressions) where !expressions.isEmpty:
            try enter(node)
            defer { leave() }
            let scope = Frame(parent: frame)
            for expression in expressions.dropLast() { _ = try evaluate(expression, input, scope) }
            return try evaluateTail(expressions[expressions.count - 1], input, scope)
        default:
            return .value(try evaluate(node, input, frame))
        }
    }

    private func applyOther(_ function: FunctionValue, _ arguments: [Value?], context: Value?, position: Int) throws(JSONataError) -> Value? {
        switch function.implementation {
        case .native(let native):
            return try applyNative(native, arguments, context: context, position: position)
        case .partial(let inner, let bound):
            var remaining = arguments.makeIterator()
            let filled = bound.map { part -> Value? in
                switch part {
                case .bound(let value): return value
                case .placeholder: return remaining.next() ?? nil
                }
            }
            return try apply(inner, filled, context: context, position: position)
        case .regex(let pattern):
            guard let text = arguments.first??.stringValue else { return nil }
            return try matchObject(pattern, text, from: 0, position: position)
        case .composed(let first, let second):
            let intermediate = try apply(first, arguments, context: context, position: position)
            return try apply(second, [intermediate], context: context, position: position)
        case .transform(let pattern, let update, let delete, let frame):
            return try transform(arguments.first ?? nil, pattern, update, delete, frame)
        case .lambda:
            return try apply(function, arguments, context: context, position: position)
        }
    }

    /// Calls a built-in function after checking its signature; `scope` is
    /// the caller's frame, for a function that reads it.
    func applyNative(
        _ native: NativeFunction, _ arguments: [Value?], context: Value?, position: Int, scope: Frame? = nil
    ) throws(JSONataError) -> Value? {
        var call = NativeCall(evaluation: self, context: context, position: position, scope: scope)
        guard let signature = native.signature else { return try native.body(&call, arguments) }
        if signature.fitsDirectly(arguments) { return try native.body(&call, arguments) }
        let validated = try signature.validate(arguments, context: context, position: position, functionName: "$" + native.name)
        return try native.body(&call, validated)
    }

    /// What calling a regular expression gives: the first match at or after
    /// `start` as `{match, start, end, groups, next}`, or undefined.
    func matchObject(_ pattern: RegexPattern, _ text: String, from start: Int, position: Int) throws(JSONataError) -> Value? {
        let found = try pattern.matches(
            in: text, from: start, limit: 1, isPastDeadline: isPastDeadline, timeout: { Self.timeout(at: position) })
        guard let match = found.first else { return nil }
        var object = ObjectValue()
        object["match"] = .string(match.text)
        object["start"] = .number(Double(match.index))
        object["end"] = .number(Double(match.end))
        object["groups"] = .array(match.groups.map { .string($0) }, [])
        let nextStart = match.end > match.index ? match.end : match.end + 1
        object["next"] = .function(
            FunctionValue(
                .native(
                    NativeFunction("next", nil, arity: 0) { call, _ throws(JSONataError) in
                        try call.evaluation.matchObject(pattern, text, from: nextStart, position: call.position)
                    })))
        return .object(object)
    }

    /// `left ~> right`: calls `right` with `left` as its first argument, or
    /// composes two functions.
    func applyChain(_ left: Node, _ right: Node, _ input: Value?, _ frame: Frame, position: Int) throws(JSONataError) -> Value? {
        // `x ~> $f(...)[]`: the call takes x, and its result stays an array.
        if case .path(let steps, let keepSingleton) = right.kind, steps.count == 1, case .call = steps[0].kind,
            steps[0].stages.isEmpty, right.group == nil
        {
            let result = try applyChain(left, steps[0], input, frame, position: position)
            guard keepSingleton, let result else { return result }
            return .array(result.asList, [.sequence, .keepSingleton])
        }
        let value = try evaluate(left, input, frame)
        if case .function(let first)? = value {
            // Function ~> function: their composition.
            guard case .function(let second)? = try evaluate(right, input, frame) else {
                throw JSONataError(.applyNotFunction, position: position)
            }
            return .function(FunctionValue(.composed(first, second)))
        }
        if case .call(let functionNode, let argumentNodes) = right.kind, right.stages.isEmpty {
            // A call that names no function fails as the call would (T1006, T1008).
            let function = try callee(functionNode, input, frame, partial: argumentNodes.contains { $0 == nil })
            var parts: [PartialArgument] = [.bound(value)]
            for argumentNode in argumentNodes {
                guard let argumentNode else {
                    parts.append(.placeholder)
                    continue
                }
                parts.append(.bound(try evaluate(argumentNode, input, frame)))
            }
            if argumentNodes.contains(where: { $0 == nil }) {
                return .function(FunctionValue(.partial(function, parts)))
            }
            let arguments = parts.map { part -> Value? in
                if case .bound(let bound) = part { return bound }
                return nil
            }
            return try apply(function, arguments, context: input, position: position)
        }
        let functionValue = try evaluate(right, input, frame)
        guard case .function(let function)? = functionValue else {
            throw JSONataError(.applyNotFunction, position: position)
        }
        return try apply(function, [value], context: input, position: position)
    }
}
