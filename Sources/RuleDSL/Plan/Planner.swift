/// The plan stage: turns the checked tree (parsed, with every `%` resolved)
/// into the tree evaluation runs, choosing each node's shortcuts once
/// (see ``NodeShortcuts``) as ``PlannerOptions`` allow.
///
/// The tree is rebuilt bottom-up: a node's shortcuts depend on its children's
/// (a path of names is a name chain when every step is one; an object
/// constructor's field batch reads its values' chains). Without shortcuts
/// the checked tree is returned as it is.
struct Planner {
    typealias Node = RuleExpression.Node

    let options: PlannerOptions

    /// The planned tree of `root`.
    func plan(_ root: Node) -> Node {
        guard options.shortcuts else { return root }
        return planned(root)
    }

    private func planned(_ node: Node) -> Node {
        let children = node.mapChildren(planned)
        return Node(
            children.kind, position: children.position, stages: children.stages, focus: children.focus,
            group: children.group, ancestorSlot: children.ancestorSlot, shortcuts: Self.shortcuts(of: children))
    }

    /// The shortcuts of a node whose children are planned.
    private static func shortcuts(of node: Node) -> NodeShortcuts {
        let kind = node.kind
        let stages = node.stages
        var shortcuts = NodeShortcuts()
        let plain = node.focus == nil && node.group == nil && node.ancestorSlot == nil
        shortcuts.isPlain = plain && stages.isEmpty && !node.isTuplePath
        if case .call(let callee, _) = kind, case .variable(let name) = callee.kind, callee.stages.isEmpty {
            shortcuts.builtin = FunctionLibrary.functions[name].map(Unmanaged.passUnretained)
        }
        shortcuts.literal = plain && stages.isEmpty ? literal(of: kind) : nil
        shortcuts.nameChain = plain ? nameChainParts(of: kind, stages: stages).map(NameChain.init) : nil
        if case .object(let pairs) = kind, let keys = distinctLiteralKeys(pairs) {
            shortcuts.literalKeys = LiteralKeys(keys)
            shortcuts.fieldBatch = FieldBatch(values: pairs.map(\.1))
        }
        shortcuts.operands = operandNodes(of: kind, literalKeys: shortcuts.literalKeys != nil).map(Operands.init)
        shortcuts.route = shortcuts.operands == nil ? .general : route(of: kind, hasBuiltin: shortcuts.builtin != nil)
        if case .variable(let name) = kind, plain, stages.isEmpty {
            shortcuts.variableName = name
        }
        return shortcuts
    }

    /// The children visited on every evaluation: operands of operators,
    /// `?:` and `??`; test and branches of a condition; the arguments of a
    /// call without placeholders; the values of a literal-key object.
    private static func operandNodes(of kind: Node.Kind, literalKeys: Bool) -> [Node]? {
        switch kind {
        case .binary(_, let left, let right), .elvis(let left, let right), .coalesce(let left, let right):
            return [left, right]
        case .condition(let test, let then, let otherwise):
            return [test, then] + (otherwise.map { [$0] } ?? [])
        case .call(_, let arguments) where !arguments.contains { $0 == nil }:
            return arguments.map { $0! }
        case .object(let pairs) where literalKeys:
            return pairs.map(\.1)
        default:
            return nil
        }
    }

    /// The route of a node that has operands.
    private static func route(of kind: Node.Kind, hasBuiltin: Bool) -> Route {
        switch kind {
        case .binary(let op, _, _): return .binary(op)
        case .condition: return .condition
        case .elvis: return .elvis
        case .coalesce: return .coalesce
        case .object: return .literalObject
        case .call where hasBuiltin: return .builtinCall
        default: return .general
        }
    }

    /// The steps of a plain name path, or nil when the node is none.
    private static func nameChainParts(of kind: Node.Kind, stages: [Stage]) -> [(name: String, utf8: [UInt8], index: Int?)]? {
        switch kind {
        case .name(let name, let utf8):
            let predicate = literalIndexPredicate(stages)
            guard predicate.isPlain else { return nil }
            return [(name, utf8, predicate.index)]
        case .path(let steps, let keepSingletonArray):
            guard !keepSingletonArray, stages.isEmpty else { return nil }
            var chain: [(name: String, utf8: [UInt8], index: Int?)] = []
            for step in steps {
                // A step with a chain of its own is a plain name step.
                guard step.nameChain != nil, let parts = nameChainParts(of: step.kind, stages: step.stages) else { return nil }
                chain += parts
            }
            return chain
        default:
            return nil
        }
    }

    private static func literal(of kind: Node.Kind) -> Literal? {
        switch kind {
        case .string(let text): return .string(text)
        case .number(let number): return .number(number)
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        default: return nil
        }
    }

    /// Whether a name step's stages keep it plain: none, or one predicate
    /// that is a literal number (whose index, rounded down as a predicate
    /// rounds it, is returned).
    private static func literalIndexPredicate(_ stages: [Stage]) -> (isPlain: Bool, index: Int?) {
        if stages.isEmpty { return (true, nil) }
        guard stages.count == 1, case .predicate(let predicate) = stages[0],
            case .number(let number) = predicate.kind, predicate.stages.isEmpty, predicate.group == nil,
            let index = Int(exactly: number.rounded(.down))
        else { return (false, nil) }
        return (true, index)
    }

    private static func distinctLiteralKeys(_ pairs: [(Node, Node)]) -> [String]? {
        var keys: [String] = []
        for (key, _) in pairs {
            guard case .string(let literal) = key.kind, key.stages.isEmpty, key.group == nil,
                !keys.contains(literal)
            else { return nil }
            keys.append(literal)
        }
        return keys
    }
}
