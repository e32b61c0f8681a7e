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

    /// Whether a step navigates into its input, so that its output has a
    /// parent. Descendants (`**`) come from many depths, and a sort reorders
    /// what came before: JSONata gives neither a parent.
    private static func navigates(_ step: Node) -> Bool {
        switch step.kind {
        case .name, .wildcard, .parent, .block: return true
        default: return false
        }
    }

    private struct StepKey: Hashable {
        let path: ObjectIdentifier
        let stepIndex: Int
    }

    private final class Resolution {
        /// Inside how many predicates and function bodies the walk is: there
        /// a `%` that climbs past the outermost step is undefined when
        /// evaluated, as in JSONata, rather than an error.
        var lenientDepth = 0
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
        guard let context else { return try underivable(at: position, resolution) }
        if context.stepIndex < 0 {
            return try parent(of: context.outer, at: position, resolution)
        }
        guard navigates(context.steps[context.stepIndex]) else {
            throw JSONataError(.parentNotDerivable, position: position)
        }
        let key = StepKey(path: context.path, stepIndex: context.stepIndex)
        let slot = resolution.slotsByStep[key] ?? "%\(resolution.slotsByStep.count)"
        resolution.slotsByStep[key] = slot
        let target = output(
            ofStep: context.stepIndex - 1, path: context.path, steps: context.steps,
            outer: context.outer, skippingFocus: context.steps[context.stepIndex].focus != nil, resolution)
        return (slot, target)
    }

    /// A slot that no step binds, so that the `%` reads undefined.
    private static let unboundSlot = "%undefined"

    /// A `%` that climbs past the outermost step: S0217, or inside a
    /// predicate or a function body an undefined value. (After a step that
    /// does not navigate, `$.%`, it is S0217 everywhere.)
    private static func underivable(at position: Int, _ resolution: Resolution) throws(JSONataError) -> (String, Ancestry) {
        guard resolution.lenientDepth > 0 else { throw JSONataError(.parentNotDerivable, position: position) }
        return (unboundSlot, Ancestry(path: ObjectIdentifier(resolution), steps: [], stepIndex: -1, outer: nil))
    }

    /// What the output items of step `index` of a path are. A block ending
    /// in a path yields that path's items; a `%` step yields its target. A
    /// focus step (`@$v`) keeps its input as the context, so when
    /// `skippingFocus` its output is its input's. JSONata resolves a `%`
    /// after a focus step to that step's input; the next `%` goes on from
    /// the step that produced that input when the resolved step was itself a
    /// focus step, else from the step just before (parent.json cases 26, 27).
    private static func output(
        ofStep index: Int, path: ObjectIdentifier, steps: [Node], outer: Ancestry?,
        skippingFocus: Bool, _ resolution: Resolution
    ) -> Ancestry {
        guard index >= 0 else { return Ancestry(path: path, steps: steps, stepIndex: -1, outer: outer) }
        let step = steps[index]
        if case .parent = step.kind, let target = resolution.targets[ObjectIdentifier(step)] {
            return target
        }
        if skippingFocus, step.focus != nil {
            return output(ofStep: index - 1, path: path, steps: steps, outer: outer, skippingFocus: true, resolution)
        }
        if case .block(let expressions) = step.kind, let last = expressions.last, case .path(let inner, _) = last.kind {
            let input = output(ofStep: index - 1, path: path, steps: steps, outer: outer, skippingFocus: false, resolution)
            return Ancestry(path: ObjectIdentifier(last), steps: inner, stepIndex: inner.count - 1, outer: input)
        }
        return Ancestry(path: path, steps: steps, stepIndex: index, outer: outer)
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
                let output = output(
                    ofStep: index, path: pathID, steps: steps, outer: context,
                    skippingFocus: false, resolution)
                for stage in step.stages {
                    if case .predicate(let predicate) = stage { try walkLeniently(predicate, context: output, resolution) }
                }
                stepContext = output
            }
            try walkGroup(node.group, resolution)
        default:
            try walkStep(node, context: context, resolution)
            for stage in node.stages {
                if case .predicate(let predicate) = stage { try walkLeniently(predicate, context: context, resolution) }
            }
            try walkGroup(node.group, resolution)
        }
    }

    /// As in JSONata, a group-by's keys and values see no parent of the
    /// items they group: a `%` there that is not inside a path of its own
    /// (`{k: %.x}`, not `{k: price.%.x}`) is undefined.
    private static func walkGroup(_ group: [(Node, Node)]?, _ resolution: Resolution) throws(JSONataError) {
        guard let group else { return }
        for (key, value) in group {
            try walkLeniently(key, context: nil, resolution)
            try walkLeniently(value, context: nil, resolution)
        }
    }

    private static func walkLeniently(_ node: Node, context: Ancestry?, _ resolution: Resolution) throws(JSONataError) {
        resolution.lenientDepth += 1
        defer { resolution.lenientDepth -= 1 }
        try walk(node, context: context, resolution)
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
        // A transform (`|pattern|update|`) is a function too.
        let isFunctionBody: Bool
        switch node.kind {
        case .lambda, .transform: isFunctionBody = true
        default: isFunctionBody = false
        }
        if isFunctionBody { resolution.lenientDepth += 1 }
        defer { if isFunctionBody { resolution.lenientDepth -= 1 } }
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
                includingKind: false
            ) { rebuild($0, resolution) }
        }
        return node.mapChildren { rebuild($0, resolution) }
    }
}
