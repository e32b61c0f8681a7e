import RuleDSL

/// One conversion of a service: its steps, and for streams the payloads
/// sent before the first and after the last chunk.
public struct Pipeline: Sendable {
    public let steps: [PipelineStep]
    public let prologue: [String]
    public let epilogue: [String]
    /// What a stream conversion keeps from one payload to the next (nil: nothing).
    public let state: StreamStateRule?
    /// The steps as conversions run them (nil: no steps).
    let firstStep: StepLink?

    public init(steps: [PipelineStep] = [], prologue: [String] = [], epilogue: [String] = [], state: StreamStateRule? = nil) {
        self.steps = steps
        self.prologue = prologue
        self.epilogue = epilogue
        self.state = state
        self.firstStep = StepLink.chain(steps)
    }

    /// The identity: no steps.
    public static let identity = Pipeline()

    /// Whether an expression step reads the body as a value (so content
    /// coming in may stay an unwritten value).
    var readsValue: Bool { firstStep?.readsValue ?? false }

    /// Whether the pipeline changes nothing.
    public var isIdentity: Bool { steps.isEmpty }

    /// Runs every step in order on `content`.
    /// - Throws: ``ConversionError`` naming `rule`, `conversion` and the step.
    public func run(
        _ content: HTTPContent, variables: [String: Value], rule: String, conversion: String,
        limits: EvaluationLimits = EvaluationLimits()
    ) throws(ConversionError) -> StepOutcome {
        var working = WorkingContent(content)
        guard try run(&working, variables: variables, rule: rule, conversion: conversion, limits: limits) else { return .dropped }
        return .content(try working.finished(rule: rule, conversion: conversion, step: steps.count))
    }

    /// Runs the steps on working content; false when a step dropped it.
    func run(
        _ working: inout WorkingContent, variables: [String: Value], rule: String, conversion: String,
        limits: EvaluationLimits
    ) throws(ConversionError) -> Bool {
        try firstStep?.run(&working, variables: variables, limits: limits, rule: rule, conversion: conversion) ?? true
    }
}

/// The six conversions of one service of a flavor.
public struct ServiceRules: Sendable {
    public let flavor: String
    public let service: String
    /// The rule's name, `flavor:service` (stored: every conversion names its rule).
    public let name: String
    /// The pipelines by ``ConversionKind`` position (nil: not defined), so
    /// that a conversion finds its pipeline without hashing.
    private let pipelineList: [Pipeline?]
    /// The first step of each pipeline by position, unretained (the
    /// pipelines hold them): conversions start a pipeline without touching
    /// the reference counts that all threads using these rules share.
    private let firstSteps: [Unmanaged<StepLink>?]
    /// The number of steps of each pipeline by position (nil: not defined):
    /// what a conversion needs to know of its pipeline, read without copying
    /// the pipeline (a copy counts references on every array it holds,
    /// which all threads using these rules share).
    private let stepCounts: [Int?]
    /// Whether each pipeline by position declares a stream state, read
    /// without copying the pipeline.
    private let hasState: [Bool]

    public init(flavor: String, service: String, pipelines: [ConversionKind: Pipeline]) {
        self.flavor = flavor
        self.service = service
        self.name = "\(flavor):\(service)"
        self.pipelineList = ConversionKind.allCases.map { pipelines[$0] }
        self.firstSteps = pipelineList.map { pipeline in pipeline?.firstStep.map(Unmanaged.passUnretained) }
        self.stepCounts = pipelineList.map { pipeline in pipeline?.steps.count }
        self.hasState = pipelineList.map { pipeline in pipeline?.state != nil }
    }

    private var pipelines: [ConversionKind: Pipeline] {
        var result: [ConversionKind: Pipeline] = [:]
        for (kind, pipeline) in zip(ConversionKind.allCases, pipelineList) where pipeline != nil { result[kind] = pipeline }
        return result
    }

    /// The same pipelines under another flavor and service name (a plugin's
    /// service that reuses a template's rule).
    public func named(flavor: String, service: String) -> ServiceRules {
        ServiceRules(flavor: flavor, service: service, pipelines: pipelines)
    }

    /// The pipeline of `kind`; the identity when the template does not define it.
    public func pipeline(_ kind: ConversionKind) -> Pipeline {
        pipelineList[kind.position] ?? .identity
    }

    /// The conversions the template defines (non-empty, or with a prologue or epilogue).
    public var definedConversions: [ConversionKind] {
        ConversionKind.allCases.filter { kind in
            guard let pipeline = pipelineList[kind.position] else { return false }
            return !pipeline.steps.isEmpty || !pipeline.prologue.isEmpty || !pipeline.epilogue.isEmpty
        }
    }

    /// Runs one conversion.
    /// - Throws: ``ConversionError``.
    public func convert(
        _ kind: ConversionKind, _ content: HTTPContent, variables: [String: Value],
        limits: EvaluationLimits = EvaluationLimits()
    ) throws(ConversionError) -> StepOutcome {
        try convert(kind, content, variables: variables, limits: limits, headersNeeded: true)
    }

    /// Runs one conversion; without `headersNeeded`, the result's headers
    /// are the input's (header steps are skipped).
    func convert(
        _ kind: ConversionKind, _ content: HTTPContent, variables: [String: Value],
        limits: EvaluationLimits, headersNeeded: Bool
    ) throws(ConversionError) -> StepOutcome {
        var state: JSONDocument?
        return try convert(kind, content, variables: variables, limits: limits, headersNeeded: headersNeeded, state: &state)
    }

    /// Runs one conversion with a stream's state of it (see
    /// ``convert(_:_:variables:limits:state:)``).
    func convert(
        _ kind: ConversionKind, _ content: HTTPContent, variables: [String: Value],
        limits: EvaluationLimits, headersNeeded: Bool, state: inout JSONDocument?
    ) throws(ConversionError) -> StepOutcome {
        guard let stepCount = stepCounts[kind.position] else { return .content(content) }
        var working = WorkingContent(content, headersNeeded: headersNeeded)
        guard try convert(kind, &working, variables: variables, limits: limits, state: &state) else { return .dropped }
        return .content(try working.finished(rule: name, conversion: kind.rawValue, step: stepCount))
    }

    /// Runs one stream conversion on working content with the stream's
    /// state of this hop: the declared update first, then the steps, which
    /// read the new state as `$state`. False when it dropped the content.
    /// - Throws: ``ConversionError``; a failing update has reason
    ///   ``ConversionError/Reason/streamState(_:)``.
    func convert(
        _ kind: ConversionKind, _ working: inout WorkingContent, variables: [String: Value],
        limits: EvaluationLimits, state: inout JSONDocument?
    ) throws(ConversionError) -> Bool {
        guard hasState[kind.position], let rule = pipelineList[kind.position]?.state else {
            return try convert(kind, &working, variables: variables, limits: limits)
        }
        let next: JSONDocument
        do throws(StepFailure) {
            next = try rule.next(after: working.inputValue(), previous: state, variables: variables, limits: limits)
        } catch {
            throw ConversionError(rule: name, conversion: kind.rawValue, step: nil, reason: .streamState(error.reason))
        }
        state = next
        var bound = variables
        bound["state"] = Value(document: next)
        return try convert(kind, &working, variables: bound, limits: limits)
    }

    /// Runs one conversion on working content; false when it dropped the content.
    func convert(
        _ kind: ConversionKind, _ working: inout WorkingContent, variables: [String: Value],
        limits: EvaluationLimits
    ) throws(ConversionError) -> Bool {
        guard let first = firstSteps[kind.position] else { return true }
        return try StepLink.run(first, &working, variables: variables, limits: limits, rule: name, conversion: kind.rawValue)
    }
}

/// All services of one flavor.
public struct FlavorRules: Sendable {
    public let name: String
    public let services: [String: ServiceRules]

    public init(name: String, services: [String: ServiceRules]) {
        self.name = name
        self.services = services
    }

    /// The rules of `service`.
    /// - Throws: ``ConversionError`` with ``ConversionError/Reason/missingService(flavor:service:)``.
    public func service(_ service: String) throws(ConversionError) -> ServiceRules {
        guard let rules = services[service] else {
            throw ConversionError(
                rule: "\(name):\(service)", conversion: "", step: nil,
                reason: .missingService(flavor: name, service: service))
        }
        return rules
    }
}
