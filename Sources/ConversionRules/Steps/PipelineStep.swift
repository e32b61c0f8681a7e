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
    /// An `action_if` step matched: the content is dropped (DECISIONS E5).
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

    /// Runs the step.
    /// - Throws: ``ConversionError/Reason`` as the failure reason: the body is
    ///   not JSON, the expression failed or gave no value, or the result is not JSON.
    func run(_ content: HTTPContent, variables: [String: Value], limits: EvaluationLimits) throws(StepFailure) -> HTTPContent {
        let document: JSONDocument
        do throws(JSONReadError) {
            document = try JSONDocument(bytes: content.body)
        } catch {
            throw StepFailure(.bodyNotJSON(error))
        }
        let result: Value?
        do throws(JSONataError) {
            result = try expression.evaluate(document: document, bindings: variables, limits: limits)
        } catch {
            throw StepFailure(.expression(error, location: origin?.location(ofCharacterOffset: error.position)))
        }
        guard let result else { throw StepFailure(.undefinedResult) }
        var writer = JSONWriter(capacity: content.body.count + 64)
        do throws(JSONWriteError) {
            try result.write(to: &writer)
        } catch {
            throw StepFailure(.resultNotJSON(error))
        }
        return HTTPContent(headers: content.headers, body: writer.bytes)
    }
}

/// A step's failure, before the pipeline names the rule and the step.
struct StepFailure: Error {
    let reason: ConversionError.Reason
    init(_ reason: ConversionError.Reason) { self.reason = reason }
}
