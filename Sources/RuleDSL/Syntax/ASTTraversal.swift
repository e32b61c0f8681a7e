extension RuleExpression.Node {
    /// Calls `body` with every direct child: the operands of the node's kind,
    /// then (unless excluded) its predicates and group-by pairs.
    func forEachChild(includingStages: Bool = true, _ body: (RuleExpression.Node) -> Void) {
        switch kind {
        case .string, .number, .bool, .null, .regex, .name, .variable, .wildcard, .descendants, .parent:
            break
        case .path(let steps, _): steps.forEach(body)
        case .negate(let operand): body(operand)
        case .array(let items), .block(let items): items.forEach(body)
        case .object(let pairs):
            pairs.forEach {
                body($0.0)
                body($0.1)
            }
        case .binary(_, let left, let right), .elvis(let left, let right), .coalesce(let left, let right),
            .apply(let left, let right):
            body(left)
            body(right)
        case .condition(let test, let then, let otherwise):
            body(test)
            body(then)
            otherwise.map(body)
        case .bind(_, let value): body(value)
        case .call(let function, let arguments):
            body(function)
            arguments.forEach { $0.map(body) }
        case .lambda(let definition): body(definition.body)
        case .transform(let pattern, let update, let delete):
            body(pattern)
            body(update)
            delete.map(body)
        case .sort(let terms): terms.forEach { body($0.expression) }
        }
        guard includingStages else { return }
        for stage in stages {
            if case .predicate(let predicate) = stage { body(predicate) }
        }
        group?.forEach {
            body($0.0)
            body($0.1)
        }
    }

    /// A copy whose children are replaced by `transform` of them. With
    /// `includingKind` false only predicates and group-by pairs are mapped.
    func mapChildren(includingKind: Bool = true, _ transform: (RuleExpression.Node) -> RuleExpression.Node) -> RuleExpression.Node {
        let newKind = includingKind ? mappedKind(transform) : kind
        let newStages = stages.map { stage -> Stage in
            if case .predicate(let predicate) = stage { return .predicate(transform(predicate)) }
            return stage
        }
        let newGroup = group?.map { (transform($0.0), transform($0.1)) }
        return RuleExpression.Node(
            newKind, position: position, stages: newStages, focus: focus, group: newGroup,
            ancestorSlot: ancestorSlot)
    }

    private func mappedKind(_ transform: (RuleExpression.Node) -> RuleExpression.Node) -> Kind {
        switch kind {
        case .string, .number, .bool, .null, .regex, .name, .variable, .wildcard, .descendants, .parent:
            return kind
        case .path(let steps, let keep): return .path(steps.map(transform), keepSingletonArray: keep)
        case .negate(let operand): return .negate(transform(operand))
        case .array(let items): return .array(items.map(transform))
        case .block(let items): return .block(items.map(transform))
        case .object(let pairs): return .object(pairs.map { (transform($0.0), transform($0.1)) })
        case .binary(let op, let left, let right): return .binary(op, transform(left), transform(right))
        case .elvis(let left, let right): return .elvis(transform(left), transform(right))
        case .coalesce(let left, let right): return .coalesce(transform(left), transform(right))
        case .apply(let left, let right): return .apply(transform(left), transform(right))
        case .condition(let test, let then, let otherwise):
            return .condition(transform(test), transform(then), otherwise.map(transform))
        case .bind(let name, let value): return .bind(name, transform(value))
        case .call(let function, let arguments): return .call(transform(function), arguments.map { $0.map(transform) })
        case .lambda(let definition):
            return .lambda(
                LambdaDefinition(
                    parameters: definition.parameters, signature: definition.signature,
                    body: transform(definition.body), isThunk: definition.isThunk))
        case .transform(let pattern, let update, let delete):
            return .transform(pattern: transform(pattern), update: transform(update), delete: delete.map(transform))
        case .sort(let terms):
            return .sort(terms.map { SortTerm(expression: transform($0.expression), descending: $0.descending) })
        }
    }
}
