import RuleDSL

/// A stream conversion's state: what it keeps from one payload to the next,
/// declared in its template.
///
/// ```yaml
/// stream_response_from_aog:
///   state:
///     initial: '{"calls": []}'
///     update: '{"calls": $append($state.calls, message.tool_calls)}'
///   conversion:
///     - converter: jsonata
///       config: '{"done": finished, "calls": finished ? $state.calls}'
/// ```
///
/// Before each payload's steps run, `update` is evaluated with the payload
/// as its input and `$state` bound to the state so far (`initial`'s value,
/// evaluated with the stream's variables, before the first payload; null
/// without `initial`). Its result is the new state, which the payload's
/// steps read as `$state`. The state belongs to one stream: it is kept by
/// that stream's rewriter, never by the compiled rule, so one rule serves
/// many streams at once. It is stored as JSON (at most ``maximumBytes``),
/// so it holds no part of an earlier payload.
public struct StreamStateRule: Sendable {
    /// Gives the state before the first payload; nil starts with null.
    public let initial: ExpressionStep?
    /// Gives the state after each payload.
    public let update: ExpressionStep

    /// The largest state a stream may keep, written as JSON.
    public static let maximumBytes = 1 << 20

    /// A state declaration.
    public init(initial: ExpressionStep?, update: ExpressionStep) {
        self.initial = initial
        self.update = update
    }

    /// The state after the payload `input`, from the state before it
    /// (nil: the stream's first payload).
    /// - Throws: ``ConversionError/Reason`` of the expression that failed, or
    ///   when the state is not JSON or larger than ``maximumBytes``.
    func next(
        after input: Value, previous: JSONDocument?, variables: [String: Value], limits: EvaluationLimits
    ) throws(StepFailure) -> JSONDocument {
        var bound = variables
        let before: JSONDocument
        if let previous { before = previous } else { before = try start(variables: variables, limits: limits) }
        bound["state"] = Value(document: before)
        let after = try update.evaluate(input, variables: bound, limits: limits)
        // An update that gives `$state` itself (most payloads of most
        // streams change nothing) keeps the stored document as it is.
        if case .node(let document, let index)? = after, document === before, index == before.root { return before }
        return try Self.stored(after)
    }

    private func start(variables: [String: Value], limits: EvaluationLimits) throws(StepFailure) -> JSONDocument {
        guard let initial else { return try Self.stored(.null) }
        return try Self.stored(initial.evaluate(.null, variables: variables, limits: limits))
    }

    /// `value` as the JSON document the stream keeps (undefined is null).
    private static func stored(_ value: Value?) throws(StepFailure) -> JSONDocument {
        var writer = JSONWriter()
        do throws(JSONWriteError) {
            try (value ?? .null).write(to: &writer)
        } catch {
            throw StepFailure(.resultNotJSON(error))
        }
        guard writer.bytes.count <= maximumBytes else { throw StepFailure(.stateTooLarge(bytes: writer.bytes.count)) }
        do throws(JSONReadError) {
            return try JSONDocument(bytes: writer.bytes)
        } catch {
            throw StepFailure(.bodyNotJSON(error))
        }
    }
}

/// The states of one stream: one for each hop whose conversion declares
/// one. A stream's rewriter owns it; nothing else holds it.
public struct StreamStates {
    /// The source hop's state (`*_to_aog`), nil until its first payload.
    var source: JSONDocument?
    /// The target hop's state (`*_from_aog`), nil until its first payload.
    var target: JSONDocument?

    /// The states of a stream that has not begun.
    public init() {}
}
