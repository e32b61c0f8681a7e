/// Binary operators of the language.
enum BinaryOperator: String, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case concatenate = "&"
    case and = "and"
    case or = "or"
    case `in` = "in"
    case range = ".."
}

/// One term of a sort step: an expression and its direction.
struct SortTerm: Sendable {
    let expression: RuleExpression.Node
    let descending: Bool
}

/// Something applied to a step's result, in written order: a predicate
/// (`[expr]`) or an index binding (`#$i`).
enum Stage: Sendable {
    case predicate(RuleExpression.Node)
    case indexBinding(String)
}

/// A lambda's definition: parameters, optional signature, body.
struct LambdaDefinition: Sendable {
    let parameters: [String]
    let signature: Signature?
    let body: RuleExpression.Node
    /// Whether the body is a function call in tail position (for tail-call evaluation).
    let isThunk: Bool
}

extension RuleExpression {
    /// One node of a compiled expression. Immutable and shared by every
    /// evaluation. Steps of a path carry their annotations (predicates, focus
    /// and index bindings, group-by) with them.
    final class Node: Sendable {
        indirect enum Kind: Sendable {
            case string(String)
            case number(Double)
            case bool(Bool)
            case null
            case regex(RegexPattern)
            /// A field name step, with its UTF-8 bytes for lookup in documents.
            case name(String, utf8: [UInt8])
            /// `$name`; the empty name is the context `$`, "$" is the root `$$`.
            case variable(String)
            case wildcard
            case descendants
            /// `%`: the input of the step `level` steps up, resolved by name.
            case parent(slot: String)
            case path([Node], keepSingletonArray: Bool)
            case negate(Node)
            case array([Node])
            case object([(Node, Node)])
            case binary(BinaryOperator, Node, Node)
            case condition(Node, Node, Node?)
            /// `a ?: b`: a if it is truthy, else b.
            case elvis(Node, Node)
            /// `a ?? b`: a if it is defined, else b.
            case coalesce(Node, Node)
            case block([Node])
            case bind(String, Node)
            /// A call; nil arguments are `?` placeholders of a partial application.
            case call(Node, [Node?])
            case lambda(LambdaDefinition)
            /// `lhs ~> rhs`.
            case apply(Node, Node)
            case transform(pattern: Node, update: Node, delete: Node?)
            case sort([SortTerm])
        }

        // The fields evaluation reads on every visit come first, so that
        // they share the object's first cache lines (stored properties are
        // laid out in declaration order; a node's first touch is often a
        // cache miss). The planner chooses them (see ``Planner``); a node
        // the parser builds has none, and evaluation then takes the general
        // path by the node's kind.
        /// Whether the node has no predicates, bindings or grouping: its value
        /// is its kind's value (the common case, evaluated without checks).
        let isPlain: Bool
        /// The node's short evaluation path (see ``Route``).
        let route: Route
        /// For a field name or a path of field names (`a`, `a.b.c`) with no
        /// predicates, bindings or grouping anywhere: the names, so that
        /// evaluation can walk objects directly instead of building result
        /// sequences (the common shape of conversion rules).
        let nameChain: NameChain?
        /// The children evaluation visits on every call, unretained (see ``Operands``).
        let operands: Operands?
        /// For a string, number, boolean or null literal with nothing after it:
        /// the literal, which evaluation returns without further work.
        let literal: Literal?
        /// For a call of `$name` where name is a built-in function: that
        /// function, so that evaluation need not look the name up (unless the
        /// expression or the caller binds the name to something else).
        /// Unmanaged: the library's functions live as long as the process, and
        /// every thread calling them would otherwise count references to the
        /// same objects.
        let builtin: Unmanaged<NativeFunction>?
        /// For `$name` with nothing after it: the name, which evaluation
        /// looks up without reading the kind (whose indirect payload, shared
        /// by every thread evaluating the expression, would be retained).
        let variableName: String?
        /// For an object constructor whose keys are all distinct string
        /// literals: the keys, so that evaluation need not evaluate them or
        /// check them for duplicates.
        let literalKeys: LiteralKeys?
        /// For an object constructor with literal keys whose values are field
        /// paths: the plan for finding their first fields in one pass.
        let fieldBatch: FieldBatch?
        let kind: Kind
        /// Character offset of the node's token in the expression.
        let position: Int
        /// Predicates and index bindings after the node, in written order.
        let stages: [Stage]
        /// `@$name` after a step.
        let focus: String?
        /// `{key: value, ...}` after the node: group the result into an object.
        let group: [(Node, Node)]?
        /// A name of the tuple slot this step's input is bound to, when a `%`
        /// later in the path refers to it.
        let ancestorSlot: String?
        /// Whether the node needs tuple evaluation (it binds variables per item);
        /// computed once, as evaluation asks for every node.
        let bindsPerItem: Bool
        /// Whether the node is a path with a step that binds per item.
        let isTuplePath: Bool
        /// Whether the node is a block whose value is a path that binds per
        /// item: as a step of a path, it passes that path's bindings on
        /// (so that `%` and `@` variables reach later steps).
        let yieldsTuples: Bool

        /// A node as the parser builds it: no shortcuts, so that evaluation
        /// takes the general path by its kind, until the planner chooses them.
        init(
            _ kind: Kind, position: Int, stages: [Stage] = [], focus: String? = nil,
            group: [(Node, Node)]? = nil, ancestorSlot: String? = nil,
            shortcuts: NodeShortcuts = NodeShortcuts()
        ) {
            self.kind = kind
            self.position = position
            self.stages = stages
            self.focus = focus
            self.group = group
            self.ancestorSlot = ancestorSlot
            let binds =
                focus != nil || ancestorSlot != nil
                || stages.contains { if case .indexBinding = $0 { return true } else { return false } }
            self.bindsPerItem = binds
            if case .path(let steps, _) = kind {
                self.isTuplePath = steps.contains { $0.bindsPerItem || $0.yieldsTuples }
            } else {
                self.isTuplePath = binds
            }
            if case .block(let expressions) = kind, let last = expressions.last, case .path = last.kind,
                last.isTuplePath, last.stages.isEmpty, last.group == nil
            {
                self.yieldsTuples = true
            } else {
                self.yieldsTuples = false
            }
            self.isPlain = shortcuts.isPlain
            self.route = shortcuts.route
            self.nameChain = shortcuts.nameChain
            self.operands = shortcuts.operands
            self.literal = shortcuts.literal
            self.builtin = shortcuts.builtin
            self.variableName = shortcuts.variableName
            self.literalKeys = shortcuts.literalKeys
            self.fieldBatch = shortcuts.fieldBatch
        }

        deinit {
            nameChain?.deallocate()
            operands?.deallocate()
            fieldBatch?.deallocate()
            literalKeys?.deallocate()
        }

        /// A copy with other annotations.
        func with(
            stages: [Stage]? = nil, focus: String?? = nil, group: [(Node, Node)]?? = nil,
            ancestorSlot: String?? = nil, kind: Kind? = nil
        ) -> Node {
            Node(
                kind ?? self.kind, position: position, stages: stages ?? self.stages,
                focus: focus ?? self.focus, group: group ?? self.group, ancestorSlot: ancestorSlot ?? self.ancestorSlot)
        }

    }
}
