import RuleDSL

/// Converts content between two flavors through the AOG schema: the source
/// flavor's `*_to_aog`, then the target
/// flavor's `*_from_aog`; a hop whose flavor is `aog` is skipped, and nothing
/// is converted between a flavor and itself.
public struct TwoHopConverter: Sendable {
    /// The name of the pivot flavor.
    public static let aogFlavor = "aog"

    public let base: ConversionKind.Base
    public let service: String
    /// The source flavor's rules, nil when its hop is skipped.
    let sourceRules: ServiceRules?
    /// The target flavor's rules, nil when its hop is skipped.
    let targetRules: ServiceRules?
    /// Whether source and target are the same flavor (nothing converts).
    public let isPassThrough: Bool
    /// Whether the target hop has an expression step, which reads the
    /// source hop's result as a value (so the source hop does not write it).
    private let targetReadsValue: Bool

    /// Prepares the conversion of `base` content of `service` from `source` to `target`.
    /// For requests the source is the client's flavor; for responses and
    /// streams it is the provider's.
    /// - Throws: ``ConversionError`` when a flavor whose hop runs has no such service.
    public init(base: ConversionKind.Base, service: String, from source: FlavorRules, to target: FlavorRules) throws(ConversionError) {
        self.base = base
        self.service = service
        isPassThrough = source.name == target.name
        sourceRules = isPassThrough || source.name == Self.aogFlavor ? nil : try source.service(service)
        targetRules = isPassThrough || target.name == Self.aogFlavor ? nil : try target.service(service)
        targetReadsValue = targetRules?.pipeline(base.fromAOG).readsValue ?? false
    }

    /// The target flavor's `*_from_aog` pipeline (its prologue and epilogue frame streams).
    public var targetPipeline: Pipeline? { targetRules?.pipeline(base.fromAOG) }

    /// Converts `content`; the caller's content is never changed.
    /// - Throws: ``ConversionError`` from either hop.
    public func convert(
        _ content: HTTPContent, variables: [String: Value],
        limits: EvaluationLimits = EvaluationLimits()
    ) throws(ConversionError) -> StepOutcome {
        var states = StreamStates()
        return try convert(content, variables: variables, limits: limits, headersNeeded: true, states: &states)
    }

    /// Converts `content`; without `headersNeeded`, the result's headers are
    /// the input's (header steps are skipped). With `binaryChecked`, the
    /// caller has found the content not binary (a stream checks its headers
    /// once, not for every payload). `states` are the stream's states of
    /// the two hops (a stream passes the same ones for all its payloads).
    func convert(
        _ content: HTTPContent, variables: [String: Value], limits: EvaluationLimits,
        headersNeeded: Bool, binaryChecked: Bool = false, states: inout StreamStates
    ) throws(ConversionError) -> StepOutcome {
        if isPassThrough || (!binaryChecked && content.isBinary) { return .content(content) }
        // The hops pass the body built by the first to the second as a value.
        var working = WorkingContent(content, headersNeeded: headersNeeded)
        working.valueReadLater = targetReadsValue
        // Optional chaining borrows the rules; binding them with `if let`
        // would copy (and retain) everything they hold.
        if try sourceRules?.convert(base.toAOG, &working, variables: variables, limits: limits, state: &states.source) == false {
            return .dropped
        }
        working.valueReadLater = false
        if try targetRules?.convert(base.fromAOG, &working, variables: variables, limits: limits, state: &states.target) == false {
            return .dropped
        }
        var converted = try working.finished(
            rule: targetRules?.name ?? sourceRules?.name ?? service,
            conversion: base.fromAOG.rawValue, step: nil)
        if headersNeeded, converted.body != content.body { converted.headers.remove("Content-Length") }
        return .content(converted)
    }
}
