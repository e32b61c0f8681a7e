/// Resolves the parent operator `%`.
///
/// `%` means the input of the step that produced the current context item.
/// The resolver finds that step, gives it a slot name (the step then binds its
/// input item to the slot for every item it produces, which makes the path
/// evaluate as a stream of tuples), and turns the `%` into a read of the slot.
enum ParentResolver {
    typealias Node = RuleExpression.Node

    /// What the current context item is: the output of step `stepIndex` of a
    /// path, or (with `stepIndex` -1) the input of that path, whose own
    /// context is `outer`.
    private final class Ancestry {
        let path: ObjectIdentifier
        let steps: [Node]
        let stepIndex: Int
        let outer: Ancestry?

        init(path: ObjectIdentifier, steps: [Node], stepIndex: Int, outer: Ancestry?) {
            self.path = path
            self.steps = steps
            self.stepIndex = stepIndex
            self.outer = outer
        }
    }

    /// Whether a step navigates into its input, so that its output has a parent.
    private static func navigates(_ step: Node) -> Bool {
        switch step.kind {
        case .name, .wildcard, .descendants, .parent, .sort, .block: return true
        default: return false
        }
    }

    private struct StepKey: Hashable {
        let path: ObjectIdentifier
        let stepIndex: Int
    }

    private final class Resolution {
        var slotsByStep: [StepKey: String] = [:]
        var slotsByParent: [ObjectIdentifier: String] = [:]
        /// For a `%` step: what its output is (the target step's input).
        var targets: [ObjectIdentifier: Ancestry] = [:]
    }

    /// Returns `root` with every `%` resolved.
    /// - Throws: S0217 when a `%` has no step to refer to.
    static func resolve(_ root: Node) throws(JSONataError) -> Node {
        guard containsParent(root) else { return root }
        let resolution = Resolution()
        try walk(root, context: nil, resolution)
        return rebuild(root, resolution)
    }

    private static func containsParent(_ node: Node) -> Bool {
        if case .parent = node.kind { return true }
        var found = false
        node.forEachChild { if !found && containsParent($0) { found = true } }
        return found
    }

    /// Records the slot for the parent of `context`, and returns the ancestry
    /// of that parent.
    private static func parent(of context: Ancestry?, at position: Int, _ resolution: Resolution) throws(JSONataError) -> (String, Ancestry) {
        guard let context else { throw JSONataError(.parentNotDerivable, position: position) }
        if context.stepIndex < 0 {
            return try parent(of: context.outer, at: position, resolution)
        }
        guard navigates(context.steps[context.stepIndex]) else {
            throw JSONataError(.parentNotDerivable, position: position)
        }
        let key = StepKey(path: context.path, stepIndex: context.stepIndex)
        let slot = resolution.slotsByStep[key] ?? "%\(resolution.slotsByStep.count)"
        resolution.slotsByStep[key] = slot
        return (slot, Ancestry(path: context.path, steps: context.steps, stepIndex: context.stepIndex - 1, outer: context.outer))
    }

    private static func walk(_ node: Node, context: Ancestry?, _ resolution: Resolution) throws(JSONataError) {
        switch node.kind {
        case .parent:
            let (slot, target) = try parent(of: context, at: node.position, resolution)
            resolution.slotsByParent[ObjectIdentifier(node)] = slot
            resolution.targets[ObjectIdentifier(node)] = target
        case .path(let steps, _):
            let pathID = ObjectIdentifier(node)
            var stepContext = context
            for (index, step) in steps.enumerated() {
                try walkStep(step, context: stepContext, resolution)
                let output: Ancestry
                if case .parent = step.kind, let target = resolution.targets[ObjectIdentifier(step)] {
                    output = target
                } else if case .block(let expressions) = step.kind, let last = expressions.last,
                          case .path(let inner, _) = last.kind {
                    // A block ending in a path: its items are that path's output.
                    output = Ancestry(path: ObjectIdentifier(last), steps: inner, stepIndex: inner.count - 1, outer: stepContext)
                } else {
                    output = Ancestry(path: pathID, steps: steps, stepIndex: index, outer: context)
                }
                for stage in step.stages {
                    if case .predicate(let predicate) = stage { try walk(predicate, context: output, resolution) }
                }
                stepContext = output
            }
            if let group = node.group {
                for (key, value) in group {
                    try walk(key, context: stepContext, resolution)
                    try walk(value, context: stepContext, resolution)
                }
            }
        default:
            try walkStep(node, context: context, resolution)
            for stage in node.stages {
                if case .predicate(let predicate) = stage { try walk(predicate, context: context, resolution) }
            }
        }
    }

    /// Walks a node's own expression (not its predicates) in `context`.
    private static func walkStep(_ node: Node, context: Ancestry?, _ resolution: Resolution) throws(JSONataError) {
        if case .parent = node.kind {
            let (slot, target) = try parent(of: context, at: node.position, resolution)
            resolution.slotsByParent[ObjectIdentifier(node)] = slot
            resolution.targets[ObjectIdentifier(node)] = target
            return
        }
        if case .path = node.kind {
            try walk(node, context: context, resolution)
            return
        }
        if case .call(let callee, let arguments) = node.kind, case .parent = callee.kind {
            // `%(...)` calls the parent, which is no function: an error when evaluated (T1006).
            for argument in arguments.compactMap({ $0 }) { try walk(argument, context: context, resolution) }
            return
        }
        var failure: JSONataError? = nil
        node.forEachChild(includingStages: false) { child in
            guard failure == nil else { return }
            do throws(JSONataError) { try walk(child, context: context, resolution) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private static func rebuild(_ node: Node, _ resolution: Resolution) -> Node {
        if case .parent = node.kind, let slot = resolution.slotsByParent[ObjectIdentifier(node)] {
            return node.with(kind: .parent(slot: slot)).mapChildren { rebuild($0, resolution) }
        }
        if case .path(let steps, let keep) = node.kind {
            let pathID = ObjectIdentifier(node)
            let newSteps = steps.enumerated().map { index, step -> Node in
                let rebuilt = rebuild(step, resolution)
                guard let slot = resolution.slotsByStep[StepKey(path: pathID, stepIndex: index)] else { return rebuilt }
                return rebuilt.with(ancestorSlot: .some(slot))
            }
            return node.with(kind: .path(newSteps, keepSingletonArray: keep)).mapChildren(
                includingKind: false) { rebuild($0, resolution) }
        }
        return node.mapChildren { rebuild($0, resolution) }
    }
}
