/// A function value: a lambda with its closure, a built-in function, a
/// partial application, or a regular expression (which matches when called).
public final class FunctionValue {
    enum Implementation {
        case lambda(LambdaDefinition, Frame, input: Value?)
        case native(NativeFunction)
        /// A partial application: some arguments bound, placeholders still to fill.
        case partial(FunctionValue, [PartialArgument])
        case regex(RegexPattern)
        /// A function built by the runtime (composition with `~>`).
        case composed(FunctionValue, FunctionValue)
        /// A transform expression `| pattern | update, delete |`, applied to its argument.
        case transform(pattern: RuleExpression.Node, update: RuleExpression.Node, delete: RuleExpression.Node?, Frame)
    }

    let implementation: Implementation

    init(_ implementation: Implementation) {
        self.implementation = implementation
    }

    /// The number of parameters the function declares.
    var arity: Int {
        switch implementation {
        case .lambda(let definition, _, _): return definition.parameters.count
        case .native(let native): return native.arity
        case .partial(_, let arguments):
            return arguments.filter { if case .placeholder = $0 { return true } else { return false } }.count
        case .regex: return 1
        case .composed, .transform: return 1
        }
    }
}

/// An argument of a partial application: bound, or `?` to be filled by the call.
enum PartialArgument {
    case bound(Value?)
    case placeholder
}

/// A built-in function: its name, signature and implementation.
final class NativeFunction: Sendable {
    typealias Body = @Sendable (_ call: inout NativeCall, _ arguments: [Value?]) throws(JSONataError) -> Value?

    typealias UnaryBody = @Sendable (_ argument: Value?) -> Value?

    let name: String
    let signature: Signature?
    let arity: Int
    let body: Body
    /// For a function of one argument of any type that needs nothing else
    /// (no context, no callbacks): the function of that argument, which a
    /// call with one argument uses without building an argument list.
    let unary: UnaryBody?
    /// Whether the function reads the variables in scope where it is
    /// called (`$eval`): a call passes its frame in ``NativeCall/scope``.
    let readsCallerScope: Bool

    init(_ name: String, _ signature: String?, arity: Int? = nil, readsCallerScope: Bool = false, _ body: @escaping Body) {
        self.name = name
        self.readsCallerScope = readsCallerScope
        // The library's signatures are fixed text: a malformed one is a programming error.
        self.signature = signature.map { try! Signature($0, position: 0) }
        // Callbacks receive as many arguments as the function requires
        // (value, index, array): optional parameters are not filled.
        self.arity = arity ?? self.signature?.parameters.filter { !$0.optional }.count ?? 0
        self.body = body
        self.unary = nil
    }

    /// A function of one parameter of type `x` (any value, undefined
    /// included), defined by what it makes of that value. Its signature
    /// accepts every single argument as it is, so a call with one argument
    /// may skip the argument list and the signature check.
    init(unary name: String, _ signature: String, _ body: @escaping UnaryBody) {
        self.name = name
        let parsed = try! Signature(signature, position: 0)
        precondition(
            parsed.parameters.count == 1 && parsed.parameters[0].types == .any && !parsed.parameters[0].variadic,
            "$\(name): a unary function takes one parameter of type x")
        self.signature = parsed
        self.arity = 1
        self.body = { _, arguments throws(JSONataError) in body(arguments.first ?? nil) }
        self.unary = body
        self.readsCallerScope = false
    }
}

/// What a built-in function receives besides its arguments: the evaluation
/// (to call function arguments back), the context value and the position of
/// the call in the expression.
struct NativeCall {
    let evaluation: Evaluation
    let context: Value?
    let position: Int
    /// For a function that reads the caller's scope, the frame of the call
    /// (nil when it is called as a value, by another function).
    var scope: Frame? = nil

    /// Calls `function` with `arguments`.
    func call(_ function: FunctionValue, _ arguments: [Value?]) throws(JSONataError) -> Value? {
        try evaluation.apply(function, arguments, context: context, position: position)
    }

    /// Counts one step of a built-in's own loop against the time limit.
    func tick() throws(JSONataError) {
        try evaluation.tick(position)
    }

    /// Fails with U1002 when a value of `size` would exceed the evaluation's size limit.
    func checkSize(_ size: Int) throws(JSONataError) {
        try evaluation.checkSize(size, position: position)
    }

    /// Fails with U1002 when `value` nests deeper than the evaluation's limit.
    func checkNesting(_ value: Value) throws(JSONataError) {
        let limit = evaluation.limits.maximumValueNesting
        guard value.nestsDeeper(than: limit) else { return }
        throw error(.valueTooLarge, token: "nested more than \(limit) levels deep")
    }

    /// An error of `code` at the call's position.
    func error(_ code: JSONataError.Code, token: String? = nil, detail: String? = nil) -> JSONataError {
        JSONataError(code, position: position, token: token, detail: detail)
    }
}
