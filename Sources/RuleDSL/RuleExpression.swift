/// A compiled expression of the rule language (JSONata).
///
/// Compile once, evaluate many times: an `Expression` is immutable and
/// `Sendable`, so any number of threads may evaluate it at once. Everything
/// that varies per call (the input, variable bindings, limits) is passed to
/// ``evaluate(_:bindings:limits:)``.
public struct RuleExpression: Sendable {
    /// The compiled form, one shared reference: copying an expression (into
    /// pipeline steps, per call) retains one object.
    private let program: Program

    /// What compiling produced; immutable. Unchecked Sendable: the raw
    /// memory it holds is written once by the initializer, then only read.
    private final class Program: @unchecked Sendable {
        let source: String
        let root: Node
        /// Whether the expression binds the name of a built-in function (with
        /// `:=`, as a parameter or with `@`/`#`): then calls look names up.
        let rebindsBuiltins: Bool
        /// Whether the expression reads `$$` (the root input): only then does
        /// an evaluation keep the input for it.
        let readsRootInput: Bool
        /// The built-in functions the expression calls by name (resolved at
        /// compile time): a caller's binding of one of these names turns the
        /// resolution off for that evaluation. In memory the program owns
        /// (an array would be retained by every evaluation, on all threads).
        let calledBuiltinNames: UnsafeBufferPointer<String>
        /// Bit n set when a called built-in's name is n bytes long (bit 63
        /// for longer names): a caller's variable of another length is not
        /// compared with the names.
        let calledBuiltinNameLengths: UInt64

        /// The root, for evaluations: unretained (this program holds it), so
        /// that threads evaluating the same expression do not contend for
        /// its count.
        let unretainedRoot: Unmanaged<Node>

        init(source: String, root: Node) {
            self.source = source
            self.root = root
            self.unretainedRoot = Unmanaged.passUnretained(root)
            self.rebindsBuiltins = RuleExpression.boundNames(root).contains { FunctionLibrary.functions[$0] != nil }
            self.readsRootInput = RuleExpression.readsRootInput(root)
            let called = RuleExpression.calledBuiltinNames(root)
            self.calledBuiltinNames = .ownedCopy(of: called)
            self.calledBuiltinNameLengths = called.reduce(0) { $0 | RuleExpression.lengthBit($1) }
        }

        deinit {
            calledBuiltinNames.freeOwnedCopy()
        }
    }

    /// The expression's text.
    public var source: String { program.source }
    var root: Node { program.root }

    /// Compiles `source`: parses and checks it, then plans its evaluation
    /// with every shortcut on.
    /// - Throws: ``JSONataError`` with an S0xxx code and the position of the problem.
    public init(_ source: String) throws(JSONataError) {
        try self.init(source, options: PlannerOptions())
    }

    /// Compiles `source`: parses and checks it, then plans its evaluation
    /// as `options` allow.
    /// - Throws: ``JSONataError`` with an S0xxx code and the position of the problem.
    public init(_ source: String, options: PlannerOptions) throws(JSONataError) {
        program = Program(source: source, root: Planner(options: options).plan(try Parser.parse(source)))
    }

    /// The names of the built-in functions that call nodes resolved.
    private static func calledBuiltinNames(_ node: Node) -> [String] {
        var names: Set<String> = []
        func visit(_ node: Node) {
            if let builtin = node.builtin?.takeUnretainedValue() { names.insert(builtin.name) }
            node.forEachChild(visit)
        }
        visit(node)
        return names.sorted()
    }

    /// Whether calls may use the built-in functions resolved at compile time:
    /// neither the expression nor `bindings` gives their names other values.
    private func builtinsResolved(with bindings: [String: Value]) -> Bool {
        if program.rebindsBuiltins { return false }
        let called = program.calledBuiltinNames
        if bindings.isEmpty || called.isEmpty { return true }
        if bindings.count < called.count {
            // Lengths first: a caller's names rarely are a built-in's, and
            // most differ in length (`==` on short strings costs more).
            let lengths = program.calledBuiltinNameLengths
            return !bindings.keys.contains { name in
                lengths & Self.lengthBit(name) != 0 && called.contains { $0 == name }
            }
        }
        return !called.contains { bindings[$0] != nil }
    }

    /// The bit of a name's length in UTF-8 bytes, the last bit for 63 and more.
    private static func lengthBit(_ name: String) -> UInt64 {
        1 << UInt64(min(name.utf8.count, 63))
    }

    /// Whether `$$` occurs anywhere in the expression.
    private static func readsRootInput(_ node: Node) -> Bool {
        if case .variable("$") = node.kind { return true }
        var found = false
        node.forEachChild { child in found = found || readsRootInput(child) }
        return found
    }

    /// Every variable name the expression binds.
    private static func boundNames(_ node: Node) -> Set<String> {
        var names: Set<String> = []
        func visit(_ node: Node) {
            switch node.kind {
            case .bind(let name, _): names.insert(name)
            case .lambda(let definition): names.formUnion(definition.parameters)
            default: break
            }
            if let focus = node.focus { names.insert(focus) }
            for stage in node.stages { if case .indexBinding(let name) = stage { names.insert(name) } }
            node.forEachChild(visit)
        }
        visit(node)
        return names
    }

    /// Evaluates the expression against `input` (nil for no input).
    ///
    /// - Parameters:
    ///   - input: the input document, `$` (nil for none).
    ///   - bindings: variables visible as `$name`.
    ///   - limits: depth, time and size limits.
    /// - Returns: the result, or nil when it is undefined.
    /// - Throws: ``JSONataError`` with a T or D code (or U1001/U1002 when a
    ///   limit is hit); D1001 when the result is a number beyond the doubles.
    public func evaluate(
        _ input: Value?, bindings: [String: Value] = [:],
        limits: EvaluationLimits = EvaluationLimits()
    ) throws(JSONataError) -> Value? {
        let evaluation = start(input, bindings: bindings, limits: limits)
        defer { evaluation.releaseClosures() }
        let result: Value?
        if Self.isArray(input) {
            result = Self.finalize(try evaluation.evaluate(program.unretainedRoot, Self.wrapped(input), evaluation))
        } else {
            result = Self.finalize(try evaluation.evaluate(program.unretainedRoot, input, evaluation))
        }
        // JSON has no spelling for an infinity or NaN (`1/0`, `1e308 * 10`).
        if case .number(let number)? = result, !number.isFinite {
            throw JSONataError(
                .numberOverflow, position: program.unretainedRoot.takeUnretainedValue().position,
                token: JSONNumberFormatting.javaScriptString(number))
        }
        return result
    }

    /// Evaluates the expression against `input` and appends the result to
    /// `writer` as JSON: the same text as writing what
    /// ``evaluate(_:bindings:limits:)`` returns, without building the
    /// result object when the expression is an object constructor with
    /// literal keys (what conversion rules mostly are).
    ///
    /// - Returns: false when the result is undefined (nothing is written).
    /// - Throws: ``ResultWriteError``: the evaluation failed, or the result
    ///   has no JSON spelling. What was written before then is left in `writer`.
    public func write(
        _ input: Value?, bindings: [String: Value] = [:], limits: EvaluationLimits = EvaluationLimits(),
        to writer: inout JSONWriter
    ) throws(ResultWriteError) -> Bool {
        let evaluation = start(input, bindings: bindings, limits: limits)
        defer { evaluation.releaseClosures() }
        return try program.unretainedRoot.withGuaranteedReference { root throws(ResultWriteError) in
            if Self.isArray(input) { return try evaluation.write(root, Self.wrapped(input), to: &writer) }
            return try evaluation.write(root, input, to: &writer)
        }
    }

    /// The state of one evaluation of `input`. The input itself is passed
    /// to the evaluation of the root as it is (a copy would count a
    /// reference on its document), or wrapped when it is an array.
    private func start(_ input: Value?, bindings: [String: Value], limits: EvaluationLimits) -> Evaluation {
        // Kept only for `$$`: holding it costs a count on the input's document.
        // (A function passed in through the bindings from another evaluation
        // reads `$$` of the evaluation that calls it, and finds none here.)
        let root = program.readsRootInput ? (Self.isArray(input) ? Self.wrapped(input) : input) : nil
        let evaluation = Evaluation(root: root, limits: limits, bindings: bindings)
        evaluation.builtinsResolved = builtinsResolved(with: bindings)
        return evaluation
    }

    private static func isArray(_ input: Value?) -> Bool { input?.isArray ?? false }

    /// An array input as the root sees it: wrapped in a sequence of one, so
    /// that a path navigates the array as one item (JSONata's outer wrapper).
    private static func wrapped(_ array: Value?) -> Value? {
        .array([array!], [.sequence, .outerWrapper])
    }

    /// Evaluates against a JSON document, navigated in place.
    /// - Throws: ``JSONataError`` as ``evaluate(_:bindings:limits:)``.
    public func evaluate(
        document: JSONDocument?, bindings: [String: Value] = [:],
        limits: EvaluationLimits = EvaluationLimits()
    ) throws(JSONataError) -> Value? {
        try evaluate(document.map { Value(document: $0) }, bindings: bindings, limits: limits)
    }

    /// A result sequence becomes a plain array.
    static func finalize(_ value: Value?) -> Value? {
        guard case .array(let items, let flags)? = value, flags.contains(.sequence) else { return value }
        return .array(items, [])
    }
}
