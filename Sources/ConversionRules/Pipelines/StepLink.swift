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
    let step: PipelineStep
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
        self.step = step
        self.number = number
        self.next = next
        let isExpression: Bool
        if case .expression = step { isExpression = true } else { isExpression = false }
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
    func run(_ working: inout WorkingContent, variables: [String: Value], limits: EvaluationLimits,
             rule: String, conversion: String) throws(ConversionError) -> Bool {
        do throws(StepFailure) {
            let writesResult = isLastExpression && !working.valueReadLater
            guard try step.run(&working, variables: variables, limits: limits, writesResult: writesResult) else { return false }
        } catch {
            throw ConversionError(rule: rule, conversion: conversion, step: number, reason: error.reason)
        }
        return try next?.run(&working, variables: variables, limits: limits, rule: rule, conversion: conversion) ?? true
    }

    /// Runs the chain that `first` starts without retaining it (its owner keeps it alive).
    /// - Throws: ``ConversionError`` as ``run(_:variables:limits:rule:conversion:)``.
    static func run(_ first: Unmanaged<StepLink>, _ working: inout WorkingContent, variables: [String: Value],
                    limits: EvaluationLimits, rule: String, conversion: String) throws(ConversionError) -> Bool {
        try first.withGuaranteedReference { link throws(ConversionError) in
            try link.run(&working, variables: variables, limits: limits, rule: rule, conversion: conversion)
        }
    }
}
