import RuleDSL

/// A pipeline's steps as conversions run them: a chain of immutable objects.
///
/// Copying a step retains every object it holds (the compiled expression,
/// its origin's strings), and all threads converting with the same rules
/// would contend for those counts on every payload. Conversions therefore
/// reach the first link unretained (``run(_:_:variables:limits:rule:conversion:)``)
/// and borrow the rest through `let` fields, which the compiler may read
/// without copying because they never change.
final class StepLink: Sendable {
    /// What the step does, in the form conversions run.
    fileprivate enum Action {
        case expression(ExpressionStep)
        case header(CompiledHeaderEdit)
        case dropIf(DropRule)
    }

    private let action: Action
    /// The step's number in its pipeline, from 1 (for error messages).
    let number: Int
    let next: StepLink?
    /// Whether this step or a later one is an expression step (which reads
    /// the body as a value).
    let readsValue: Bool
    /// Whether this is the last expression step of the pipeline: its result
    /// is written as JSON at once unless a later hop reads it as a value.
    let isLastExpression: Bool

    private init(step: PipelineStep, number: Int, next: StepLink?) {
        let isExpression: Bool
        switch step {
        case .expression(let expression): (action, isExpression) = (.expression(expression), true)
        case .header(let edit): (action, isExpression) = (.header(CompiledHeaderEdit(edit)), false)
        case .dropIf(let rule): (action, isExpression) = (.dropIf(rule), false)
        }
        self.number = number
        self.next = next
        let laterReadsValue = next?.readsValue ?? false
        self.readsValue = isExpression || laterReadsValue
        self.isLastExpression = isExpression && !laterReadsValue
    }

    /// The chain of `steps`, nil when there are none.
    static func chain(_ steps: [PipelineStep]) -> StepLink? {
        var next: StepLink? = nil
        for (index, step) in steps.enumerated().reversed() {
            next = StepLink(step: step, number: index + 1, next: next)
        }
        return next
    }

    /// Runs this step and the ones after it on working content; false when a step dropped it.
    /// - Throws: ``ConversionError`` naming `rule`, `conversion` and the step.
    func run(
        _ working: inout WorkingContent, variables: [String: Value], limits: EvaluationLimits,
        rule: String, conversion: String
    ) throws(ConversionError) -> Bool {
        do throws(StepFailure) {
            guard try runStep(&working, variables: variables, limits: limits) else { return false }
        } catch {
            throw ConversionError(rule: rule, conversion: conversion, step: number, reason: error.reason)
        }
        return try next?.run(&working, variables: variables, limits: limits, rule: rule, conversion: conversion) ?? true
    }

    /// Runs this step alone; false when it drops the content. The last
    /// expression step writes its result as the body unless a later hop
    /// reads it as a value.
    /// - Throws: ``StepFailure``.
    private func runStep(
        _ working: inout WorkingContent, variables: [String: Value],
        limits: EvaluationLimits
    ) throws(StepFailure) -> Bool {
        // The action runs as a method: switching on the stored property here
        // would copy it (and count references all threads share).
        try action.run(
            &working, variables: variables, limits: limits,
            writesResult: isLastExpression && !working.valueReadLater)
    }

    /// Runs the chain that `first` starts without retaining it (its owner keeps it alive).
    /// - Throws: ``ConversionError`` as ``run(_:variables:limits:rule:conversion:)``.
    static func run(
        _ first: Unmanaged<StepLink>, _ working: inout WorkingContent, variables: [String: Value],
        limits: EvaluationLimits, rule: String, conversion: String
    ) throws(ConversionError) -> Bool {
        try first.withGuaranteedReference { link throws(ConversionError) in
            try link.run(&working, variables: variables, limits: limits, rule: rule, conversion: conversion)
        }
    }
}

extension StepLink.Action {
    /// Runs the action on working content; false when it drops the content.
    /// - Throws: ``StepFailure``.
    func run(
        _ working: inout WorkingContent, variables: [String: Value], limits: EvaluationLimits,
        writesResult: Bool
    ) throws(StepFailure) -> Bool {
        switch self {
        case .expression(let step):
            try step.run(&working, variables: variables, limits: limits, writesResult: writesResult)
            return true
        case .header(let edit):
            if working.headersNeeded { edit.apply(to: &working.headers) }
            return true
        case .dropIf(let rule):
            try working.materialize()
            return !rule.matches(working.body)
        }
    }
}
