import RuleDSL

/// One step of a conversion pipeline.
public enum PipelineStep: Sendable {
    /// A RuleDSL expression that builds the new body from the old one.
    case expression(ExpressionStep)
    /// Header edits; the body is untouched.
    case header(HeaderEdit)
    /// Drops the content when its body matches.
    case dropIf(DropRule)
}

/// What one step, or a whole pipeline, made of its input.
public enum StepOutcome: Sendable {
    case content(HTTPContent)
    /// An `action_if` step matched: the content is dropped, an outcome of its own and never an error.
    case dropped
}

/// An expression step: the body parsed as JSON is the input, the result
/// written as JSON is the new body; headers pass unchanged.
public struct ExpressionStep: Sendable {
    public let expression: RuleExpression
    /// Where the expression came from, for error positions in the file.
    public let origin: ExpressionOrigin?

    public init(expression: RuleExpression, origin: ExpressionOrigin? = nil) {
        self.expression = expression
        self.origin = origin
    }

    /// Runs the step on working content: it reads the value a previous
    /// expression built (or else parses the body) and leaves its result as a
    /// value, or, with `writesResult`, writes it as the new body.
    /// - Throws: ``StepFailure``: the body is not JSON, the expression failed
    ///   or gave no value, or the result has no JSON spelling.
    func run(
        _ content: inout WorkingContent, variables: [String: Value], limits: EvaluationLimits,
        writesResult: Bool
    ) throws(StepFailure) {
        let input: Value
        // Taken, not copied: the result replaces it, and a copy would count a reference.
        if let value = content.value.take() {
            input = value
        } else {
            do throws(JSONReadError) {
                input = Value(document: try JSONDocument(bytes: content.body))
            } catch {
                throw StepFailure(.bodyNotJSON(error))
            }
        }
        if writesResult {
            content.body = try write(input, variables: variables, limits: limits, capacity: content.body.count + 64)
            return
        }
        guard let result = try evaluate(input, variables: variables, limits: limits) else {
            throw StepFailure(.undefinedResult)
        }
        content.value = result
    }

    /// The expression's value on `input` (nil: undefined).
    /// - Throws: ``StepFailure`` when the expression fails.
    func evaluate(_ input: Value, variables: [String: Value], limits: EvaluationLimits) throws(StepFailure) -> Value? {
        do throws(JSONataError) {
            return try expression.evaluate(input, bindings: variables, limits: limits)
        } catch {
            throw failure(error)
        }
    }

    /// The result written as JSON.
    private func write(
        _ input: Value, variables: [String: Value], limits: EvaluationLimits,
        capacity: Int
    ) throws(StepFailure) -> [UInt8] {
        var writer = JSONWriter(capacity: capacity)
        let written: Bool
        do throws(ResultWriteError) {
            written = try expression.write(input, bindings: variables, limits: limits, to: &writer)
        } catch {
            switch error {
            case .evaluation(let failure): throw self.failure(failure)
            case .writing(let failure): throw StepFailure(.resultNotJSON(failure))
            }
        }
        guard written else { throw StepFailure(.undefinedResult) }
        return writer.bytes
    }

    /// An evaluation error, placed in the template file when the origin is known.
    private func failure(_ error: JSONataError) -> StepFailure {
        StepFailure(.expression(error, location: origin?.location(ofCharacterOffset: error.position)))
    }
}

/// Content inside a pipeline: headers, and the body as bytes or as the value
/// an expression step built. Consecutive expression steps (and the two hops
/// of a two-hop conversion) pass values, so the body is written once.
struct WorkingContent {
    var headers: HTTPHeaders
    /// The body bytes; stale while `value` is set.
    var body: [UInt8]
    /// The body as built by the last expression step, not yet written.
    var value: Value?
    /// Whether the caller uses the headers; when not, header steps are
    /// skipped (they never change the body): a stream's payloads after the
    /// first are converted for their bodies only.
    let headersNeeded: Bool
    /// Whether a later hop reads the body as a value: then the last
    /// expression step of this hop leaves its result unwritten.
    var valueReadLater = false

    init(_ content: HTTPContent, headersNeeded: Bool = true) {
        headers = content.headers
        body = content.body
        value = nil
        self.headersNeeded = headersNeeded
    }

    /// The body as a value: the pending one, or the body bytes read (and
    /// kept as the pending value, so that the next step does not read them again).
    /// - Throws: ``StepFailure`` when the body is not JSON.
    mutating func inputValue() throws(StepFailure) -> Value {
        if let value { return value }
        do throws(JSONReadError) {
            let read = Value(document: try JSONDocument(bytes: body))
            value = read
            return read
        } catch {
            throw StepFailure(.bodyNotJSON(error))
        }
    }

    /// Writes a pending value to the body bytes.
    /// - Throws: ``StepFailure`` when the value cannot be written as JSON.
    mutating func materialize() throws(StepFailure) {
        guard let pending = value else { return }
        var writer = JSONWriter(capacity: body.count + 64)
        do throws(JSONWriteError) {
            try pending.write(to: &writer)
        } catch {
            throw StepFailure(.resultNotJSON(error))
        }
        body = writer.bytes
        value = nil
    }

    /// The content with its body written.
    /// - Throws: ``ConversionError`` naming `rule`, `conversion` and `step`
    ///   when the pending value cannot be written as JSON.
    ///   (The names are built only then.)
    mutating func finished(
        rule: @autoclosure () -> String, conversion: @autoclosure () -> String,
        step: Int?
    ) throws(ConversionError) -> HTTPContent {
        do throws(StepFailure) {
            try materialize()
        } catch {
            throw ConversionError(rule: rule(), conversion: conversion(), step: step, reason: error.reason)
        }
        return HTTPContent(headers: headers, body: body)
    }
}

/// A step's failure, before the pipeline names the rule and the step.
struct StepFailure: Error {
    let reason: ConversionError.Reason
    init(_ reason: ConversionError.Reason) { self.reason = reason }
}
