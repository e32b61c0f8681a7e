import RuleDSL

/// One conversion of a service: its steps, and for streams the payloads
/// sent before the first and after the last chunk.
public struct Pipeline: Sendable {
    public let steps: [PipelineStep]
    public let prologue: [String]
    public let epilogue: [String]

    public init(steps: [PipelineStep] = [], prologue: [String] = [], epilogue: [String] = []) {
        self.steps = steps
        self.prologue = prologue
        self.epilogue = epilogue
    }

    /// The identity: no steps.
    public static let identity = Pipeline()

    /// Whether the pipeline changes nothing.
    public var isIdentity: Bool { steps.isEmpty }

    /// Runs every step in order on `content`.
    /// - Throws: ``ConversionError`` naming `rule`, `conversion` and the step.
    public func run(_ content: HTTPContent, variables: [String: Value], rule: String, conversion: String,
                    limits: EvaluationLimits = EvaluationLimits()) throws(ConversionError) -> StepOutcome {
        var working = WorkingContent(content)
        guard try run(&working, variables: variables, rule: rule, conversion: conversion, limits: limits) else { return .dropped }
        do throws(StepFailure) {
            return .content(try working.finished())
        } catch {
            throw ConversionError(rule: rule, conversion: conversion, step: steps.count, reason: error.reason)
        }
    }

    /// Runs the steps on working content; false when a step dropped it.
    func run(_ working: inout WorkingContent, variables: [String: Value], rule: String, conversion: String,
             limits: EvaluationLimits) throws(ConversionError) -> Bool {
        // Steps are used in place, through the buffer: copying one retains
        // every object it holds, and threads sharing these rules would
        // contend for the counts.
        try steps.withUnsafeBufferPointer { steps throws(ConversionError) -> Bool in
            for index in steps.indices {
                do throws(StepFailure) {
                    guard try steps[index].run(&working, variables: variables, limits: limits) else { return false }
                } catch {
                    throw ConversionError(rule: rule, conversion: conversion, step: index + 1, reason: error.reason)
                }
            }
            return true
        }
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

    public init(flavor: String, service: String, pipelines: [ConversionKind: Pipeline]) {
        self.flavor = flavor
        self.service = service
        self.name = "\(flavor):\(service)"
        self.pipelineList = ConversionKind.allCases.map { pipelines[$0] }
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
    public func convert(_ kind: ConversionKind, _ content: HTTPContent, variables: [String: Value],
                        limits: EvaluationLimits = EvaluationLimits()) throws(ConversionError) -> StepOutcome {
        // The pipeline is used in place (see ``Pipeline/run(_:variables:rule:conversion:limits:)``).
        try pipelineList.withUnsafeBufferPointer { pipelines throws(ConversionError) -> StepOutcome in
            guard pipelines[kind.position] != nil else { return .content(content) }
            return try pipelines[kind.position]!.run(content, variables: variables, rule: name, conversion: kind.rawValue, limits: limits)
        }
    }

    /// Runs one conversion on working content; false when it dropped the content.
    func convert(_ kind: ConversionKind, _ working: inout WorkingContent, variables: [String: Value],
                 limits: EvaluationLimits) throws(ConversionError) -> Bool {
        try pipelineList.withUnsafeBufferPointer { pipelines throws(ConversionError) -> Bool in
            guard pipelines[kind.position] != nil else { return true }
            return try pipelines[kind.position]!.run(&working, variables: variables, rule: name, conversion: kind.rawValue, limits: limits)
        }
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
            throw ConversionError(rule: "\(name):\(service)", conversion: "", step: nil,
                                  reason: .missingService(flavor: name, service: service))
        }
        return rules
    }
}
