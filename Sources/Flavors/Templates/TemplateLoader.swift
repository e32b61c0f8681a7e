import ConversionRules
import RuleDSL

/// Loads flavor templates: every expression is compiled at load time, and
/// every problem of a file is reported together, each with file, line and
/// column (inside expressions too).
///
/// How far a problem reaches:
/// - an unknown key, or a malformed metadata value (an `extra_headers` that
///   is not a JSON object of strings), is a warning, and the service loads
///   without that value;
/// - an error inside a service (an expression that does not compile, a step
///   of the wrong shape) fails that service only; the file's other services
///   load (see ``FlavorTemplate/failedServices``);
/// - an error of the file itself (YAML syntax, no name, `services` that is
///   not a mapping) fails the whole template.
public enum TemplateLoader {
    /// The variables the gateway passes to conversions: `$model`, `$stream` and `$id`.
    public static let contextVariables: Set<String> = ["model", "stream", "id"]

    /// Loads a template from its YAML text.
    /// - Parameters:
    ///   - text: the template's YAML.
    ///   - file: the name used in diagnostics.
    ///   - expectedName: when given, `name:` must equal it (built-in templates: the file's base name).
    ///   - plannerOptions: how the template's expressions are planned (the
    ///     defaults are what production uses).
    /// - Throws: ``TemplateLoadError`` with every diagnostic when the file
    ///   itself has an error; errors inside a service are in the returned
    ///   template's ``FlavorTemplate/serviceErrors`` instead.
    public static func load(
        text: String, file: String, expectedName: String? = nil, plannerOptions: PlannerOptions = PlannerOptions()
    ) throws(TemplateLoadError) -> FlavorTemplate {
        var reader = TemplateReader(file: file, plannerOptions: plannerOptions)
        let root: YAMLNode?
        do throws(YAMLError) {
            root = try YAMLReader.read(text, file: file)
        } catch {
            throw TemplateLoadError(diagnostics: [TemplateDiagnostic(error, file: file)])
        }
        let template = reader.template(root, expectedName: expectedName)
        reader.diagnostics.sort { ($0.line, $0.column) < ($1.line, $1.column) }
        guard let template, !reader.fileFailed else {
            throw TemplateLoadError(diagnostics: reader.diagnostics)
        }
        return template
    }
}

/// Reads one template, collecting diagnostics instead of stopping at the first.
private struct TemplateReader {
    let file: String
    let plannerOptions: PlannerOptions
    var diagnostics: [TemplateDiagnostic] = []
    /// Whether an error outside every service was found: the whole file fails.
    var fileFailed = false
    /// How errors are reported while reading metadata: as warnings, since
    /// the service loads without a malformed value.
    private var metadataValuesAreOptional = false

    init(file: String, plannerOptions: PlannerOptions) {
        self.file = file
        self.plannerOptions = plannerOptions
    }

    private static let serviceMetadataKeys: Set<String> = [
        "url", "endpoints", "install_raw_routes", "extra_url", "request_segments", "extra_headers", "auth_type",
        "auth_apply_url", "default_model", "support_models", "protocol", "expose_protocol", "task_type", "model_selector",
    ]

    mutating func report(_ severity: TemplateDiagnostic.Severity, _ mark: YAMLMark, _ message: String) {
        diagnostics.append(TemplateDiagnostic(file: file, line: mark.line, column: mark.column, severity: severity, message: message))
    }

    mutating func error(_ node: YAMLNode, _ message: String) {
        if metadataValuesAreOptional {
            report(.warning, node.mark, message + "; the service loads without it")
        } else {
            report(.error, node.mark, message)
        }
    }

    /// Reports an error of the file itself, which fails the whole template.
    mutating func fileError(_ node: YAMLNode, _ message: String) {
        fileFailed = true
        report(.error, node.mark, message)
    }

    mutating func unknownKey(_ key: YAMLNode, known: Set<String>, in place: String) {
        let name = key.scalar?.text ?? "?"
        var message = "unknown key '\(name)' in \(place) (ignored)"
        if let suggestion = known.min(by: { editDistance($0, name) < editDistance($1, name) }), editDistance(suggestion, name) <= 2 {
            message += "; did you mean '\(suggestion)'?"
        }
        report(.warning, key.mark, message)
    }

    // MARK: Typed values

    mutating func mapping(_ node: YAMLNode, _ what: String) -> [YAMLMappingEntry]? {
        if let entries = node.mappingEntries { return entries }
        if node.scalar?.isNull == true { return [] }
        error(node, "\(what) must be a mapping, found \(node.kindDescription)")
        return nil
    }

    mutating func string(_ node: YAMLNode, _ what: String) -> String? {
        guard let scalar = node.scalar else {
            error(node, "\(what) must be a string, found \(node.kindDescription)")
            return nil
        }
        return scalar.isNull ? "" : scalar.text
    }

    mutating func bool(_ node: YAMLNode, _ what: String) -> Bool? {
        if let scalar = node.scalar, scalar.isNull { return false }
        guard let value = node.scalar?.boolValue else {
            error(node, "\(what) must be true or false")
            return nil
        }
        return value
    }

    mutating func int(_ node: YAMLNode, _ what: String) -> Int? {
        if let scalar = node.scalar, scalar.isNull { return 0 }
        guard let value = node.scalar?.intValue else {
            error(node, "\(what) must be an integer")
            return nil
        }
        return value
    }

    mutating func stringList(_ node: YAMLNode, _ what: String) -> [String]? {
        if node.scalar?.isNull == true { return [] }
        guard let items = node.sequenceItems else {
            error(node, "\(what) must be a list of strings, found \(node.kindDescription)")
            return nil
        }
        var result: [String] = []
        for item in items {
            guard let text = string(item, "each entry of \(what)") else { continue }
            result.append(text)
        }
        return result
    }

    /// A mapping of header names to strings, in file order.
    mutating func headerMapping(_ node: YAMLNode, _ what: String) -> [(name: String, value: String)] {
        guard let entries = mapping(node, what) else { return [] }
        return entries.compactMap { entry in
            guard let name = string(entry.key, "a header name in \(what)"),
                let value = string(entry.value, "the value of header \(name)")
            else { return nil }
            return (name, value)
        }
    }

    // MARK: Template

    mutating func template(_ root: YAMLNode?, expectedName: String?) -> FlavorTemplate? {
        guard let root else {
            fileFailed = true
            report(.error, YAMLMark(line: 1, column: 1), "the template is empty")
            return nil
        }
        guard let entries = root.mappingEntries else {
            fileError(root, "a template must be a mapping, found \(root.kindDescription)")
            return nil
        }
        var name: String? = nil
        var version = ""
        var services: [String: ServiceRules] = [:]
        var metadata: [String: ServiceMetadata] = [:]
        var pendingServices: [YAMLMappingEntry] = []
        for entry in entries {
            switch entry.key.scalar?.text {
            case "name":
                guard let text = entry.value.scalar?.text else {
                    fileError(entry.value, "name must be a string, found \(entry.value.kindDescription)")
                    continue
                }
                name = text
                if let expectedName, text != expectedName {
                    fileError(entry.value, "flavor name \(text) does not match the file name \(expectedName)")
                }
            case "version": version = string(entry.value, "version") ?? ""
            case "services":
                if entry.value.scalar?.isNull == true { continue }
                guard let serviceEntries = entry.value.mappingEntries else {
                    fileError(entry.value, "services must be a mapping, found \(entry.value.kindDescription)")
                    continue
                }
                pendingServices = serviceEntries
            default: unknownKey(entry.key, known: ["name", "version", "services"], in: "the template")
            }
        }
        guard let name, !name.isEmpty else {
            fileError(root, "the template has no name")
            return nil
        }
        var failedServices: [String] = []
        for entry in pendingServices {
            guard let serviceName = entry.key.scalar?.text else {
                error(entry.key, "a service name must be a string, found \(entry.key.kindDescription)")
                continue
            }
            let errorsBefore = diagnostics.filter { $0.severity == .error }.count
            let loaded = service(entry.value, flavor: name, service: serviceName)
            guard let (rules, serviceMetadata) = loaded, diagnostics.filter({ $0.severity == .error }).count == errorsBefore else {
                failedServices.append(serviceName)
                continue
            }
            services[serviceName] = rules
            metadata[serviceName] = serviceMetadata
        }
        let inFileOrder = diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return FlavorTemplate(
            name: name, version: version, file: file,
            rules: FlavorRules(name: name, services: services), metadata: metadata,
            warnings: inFileOrder.filter { $0.severity == .warning },
            failedServices: failedServices.sorted(),
            serviceErrors: inFileOrder.filter { $0.severity == .error })
    }

    mutating func service(_ node: YAMLNode, flavor: String, service: String) -> (ServiceRules, ServiceMetadata)? {
        guard let entries = mapping(node, "service \(service)") else { return nil }
        var metadata = ServiceMetadata()
        var pipelines: [ConversionKind: Pipeline] = [:]
        for entry in entries {
            guard let key = entry.key.scalar?.text else {
                error(entry.key, "a key in service \(service) must be a string")
                continue
            }
            if let kind = ConversionKind(rawValue: key) {
                pipelines[kind] = pipeline(entry.value, rule: "\(flavor):\(service)", conversion: key)
            } else if Self.serviceMetadataKeys.contains(key) {
                metadataValuesAreOptional = true
                readMetadata(key, entry.value, into: &metadata)
                metadataValuesAreOptional = false
            } else {
                unknownKey(
                    entry.key, known: Self.serviceMetadataKeys.union(ConversionKind.allCases.map(\.rawValue)),
                    in: "service \(service)")
            }
        }
        return (ServiceRules(flavor: flavor, service: service, pipelines: pipelines), metadata)
    }

    mutating func readMetadata(_ key: String, _ value: YAMLNode, into metadata: inout ServiceMetadata) {
        switch key {
        case "url": metadata.url = string(value, key) ?? ""
        case "endpoints": metadata.endpoints = stringList(value, key) ?? []
        case "install_raw_routes": metadata.installRawRoutes = bool(value, key) ?? false
        case "extra_url": metadata.extraURL = string(value, key) ?? ""
        case "request_segments": metadata.requestSegments = int(value, key) ?? 0
        case "extra_headers": metadata.extraHeaders = extraHeaders(value)
        case "auth_type": metadata.authType = string(value, key) ?? ""
        case "auth_apply_url": metadata.authApplyURL = string(value, key) ?? ""
        case "default_model": metadata.defaultModel = string(value, key) ?? ""
        case "support_models": metadata.supportModels = stringList(value, key) ?? []
        case "protocol": metadata.protocol = string(value, key) ?? ""
        case "expose_protocol": metadata.exposeProtocol = string(value, key) ?? ""
        case "task_type": metadata.taskType = string(value, key) ?? ""
        case "model_selector":
            for entry in mapping(value, key) ?? [] {
                switch entry.key.scalar?.text {
                case "request": metadata.modelSelectorRequest = string(entry.value, "model_selector.request") ?? ""
                case "response": metadata.modelSelectorResponse = string(entry.value, "model_selector.response") ?? ""
                default: unknownKey(entry.key, known: ["request", "response"], in: "model_selector")
                }
            }
        default: break
        }
    }

    /// `extra_headers`: a string holding a JSON object of strings ("" and "{}" mean none).
    mutating func extraHeaders(_ node: YAMLNode) -> [String: String] {
        guard let text = string(node, "extra_headers") else { return [:] }
        if text.trimmingWhitespace().isEmpty { return [:] }
        guard let value = try? JSONValue(parsing: text), case .object(let object) = value else {
            error(node, "extra_headers must be a string holding a JSON object of strings, e.g. '{\"X-Key\": \"value\"}'")
            return [:]
        }
        var headers: [String: String] = [:]
        for member in object.members {
            guard case .string(let headerValue) = member.value else {
                error(node, "extra_headers: the value of \(member.key) must be a string")
                continue
            }
            headers[member.key] = headerValue
        }
        return headers
    }

    // MARK: Conversions and steps

    mutating func pipeline(_ node: YAMLNode, rule: String, conversion: String) -> Pipeline? {
        guard let entries = mapping(node, conversion) else { return nil }
        let isStream = ConversionKind(rawValue: conversion)?.isStream ?? false
        // A stream conversion with a state gives its expressions `$state`.
        let hasState = isStream && entries.contains { $0.key.scalar?.text == "state" }
        let variables = hasState ? TemplateLoader.contextVariables.union(["state"]) : TemplateLoader.contextVariables
        var steps: [PipelineStep] = []
        var prologue: [String] = []
        var epilogue: [String] = []
        var state: StreamStateRule?
        for entry in entries {
            switch entry.key.scalar?.text {
            case "conversion":
                if entry.value.scalar?.isNull == true { continue }
                guard let items = entry.value.sequenceItems else {
                    error(entry.value, "conversion must be a list of steps")
                    continue
                }
                for item in items {
                    if let step = step(item, variables: variables) { steps.append(step) }
                }
            case "prologue": prologue = stringList(entry.value, "prologue") ?? []
            case "epilogue": epilogue = stringList(entry.value, "epilogue") ?? []
            case "state":
                guard isStream else {
                    error(entry.key, "only stream conversions (stream_response_to_aog, stream_response_from_aog) keep a state")
                    continue
                }
                state = streamState(entry.value, variables: variables)
            default: unknownKey(entry.key, known: ["conversion", "prologue", "epilogue", "state"], in: conversion)
            }
        }
        return Pipeline(steps: steps, prologue: prologue, epilogue: epilogue, state: state)
    }

    /// A stream conversion's `state: {initial, update}`.
    mutating func streamState(_ node: YAMLNode, variables: Set<String>) -> StreamStateRule? {
        guard let entries = mapping(node, "state") else { return nil }
        var initial: ExpressionStep?
        var update: ExpressionStep?
        // An update that is there but fails has its own diagnostic already.
        var updateWritten = false
        for entry in entries {
            let key = entry.key.scalar?.text
            guard key == "initial" || key == "update" else {
                unknownKey(entry.key, known: ["initial", "update"], in: "state")
                continue
            }
            if key == "update" { updateWritten = true }
            guard let scalar = entry.value.scalar, !scalar.isNull else {
                error(entry.value, "the state's \(key!) must be an expression")
                continue
            }
            guard case .expression(let expression)? = expressionStep(scalar, variables: variables) else { continue }
            if key == "initial" { initial = expression } else { update = expression }
        }
        guard let update else {
            if updateWritten { return nil }
            error(node, "a state needs an update: the expression that gives the state after each payload")
            return nil
        }
        return StreamStateRule(initial: initial, update: update)
    }

    mutating func step(_ node: YAMLNode, variables: Set<String>) -> PipelineStep? {
        guard let entries = mapping(node, "a step") else { return nil }
        var converter: (String, YAMLNode)? = nil
        var config: YAMLNode? = nil
        for entry in entries {
            switch entry.key.scalar?.text {
            case "converter": converter = string(entry.value, "converter").map { ($0, entry.value) }
            case "config": config = entry.value
            default: unknownKey(entry.key, known: ["converter", "config"], in: "a step")
            }
        }
        guard let (converterName, converterNode) = converter else {
            error(node, "a step needs a converter (jsonata, header or action_if)")
            return nil
        }
        switch converterName {
        case "jsonata":
            guard let config, let scalar = config.scalar, !scalar.isNull else {
                error(config ?? node, "a jsonata step needs its expression as config")
                return nil
            }
            return expressionStep(scalar, variables: variables)
        case "header":
            return .header(headerEdit(config))
        case "action_if":
            guard let config else {
                error(node, "an action_if step needs a config with pattern and action")
                return nil
            }
            return dropRule(config)
        default:
            error(converterNode, "unknown converter '\(converterName)'; use jsonata, header or action_if")
            return nil
        }
    }

    mutating func expressionStep(_ scalar: YAMLScalar, variables: Set<String>) -> PipelineStep? {
        let origin = Self.origin(of: scalar, file: file)
        do throws(JSONataError) {
            let expression = try RuleExpression(scalar.text, options: plannerOptions)
            for problem in expression.lint(contextVariables: variables) {
                let location = origin.location(ofCharacterOffset: problem.position)
                report(.warning, YAMLMark(line: location.line, column: location.column), problem.message)
            }
            return .expression(ExpressionStep(expression: expression, origin: origin))
        } catch {
            let location = origin.location(ofCharacterOffset: error.position)
            report(.error, YAMLMark(line: location.line, column: location.column), "\(error.code) \(error.message)")
            return nil
        }
    }

    /// Where each line of an expression scalar starts in the file.
    static func origin(of scalar: YAMLScalar, file: String) -> ExpressionOrigin {
        var lineStarts: [ExpressionOrigin.LineStart] = []
        var characterOffset = 0
        var utf8Offset = 0
        for line in scalar.text.split(separator: "\n", omittingEmptySubsequences: false) {
            let mark = scalar.position(ofUTF8Offset: utf8Offset)
            lineStarts.append(.init(characterOffset: characterOffset, line: mark.line, column: mark.column))
            characterOffset += line.count + 1
            utf8Offset += line.utf8.count + 1
        }
        return ExpressionOrigin(file: file, lineStarts: lineStarts)
    }

    mutating func headerEdit(_ config: YAMLNode?) -> HeaderEdit {
        var edit = HeaderEdit()
        guard let config, let entries = mapping(config, "a header step's config") else { return edit }
        for entry in entries {
            switch entry.key.scalar?.text {
            case "clear_all": edit.clearAll = bool(entry.value, "clear_all") ?? false
            case "del": edit.delete = stringList(entry.value, "del") ?? []
            case "set": edit.set = headerMapping(entry.value, "set")
            case "add": edit.add = headerMapping(entry.value, "add")
            default: unknownKey(entry.key, known: ["clear_all", "del", "set", "add"], in: "a header step")
            }
        }
        return edit
    }

    mutating func dropRule(_ config: YAMLNode) -> PipelineStep? {
        guard let entries = mapping(config, "an action_if step's config") else { return nil }
        var trim = false
        var isRegex = false
        var pattern: (String, YAMLNode)? = nil
        var action: (String, YAMLNode)? = nil
        for entry in entries {
            switch entry.key.scalar?.text {
            case "trim": trim = bool(entry.value, "trim") ?? false
            case "is_regex": isRegex = bool(entry.value, "is_regex") ?? false
            case "pattern": pattern = string(entry.value, "pattern").map { ($0, entry.value) }
            case "action": action = string(entry.value, "action").map { ($0, entry.value) }
            default: unknownKey(entry.key, known: ["trim", "is_regex", "pattern", "action"], in: "an action_if step")
            }
        }
        guard let action, action.0 == "drop" else {
            error(action?.1 ?? config, "the action of an action_if step must be 'drop'" + (action.map { ", not '\($0.0)'" } ?? ""))
            return nil
        }
        do throws(DropRule.InvalidPattern) {
            return .dropIf(try DropRule(pattern: pattern?.0 ?? "", isRegex: isRegex, trim: trim))
        } catch {
            self.error(pattern?.1 ?? config, "\(error)")
            return nil
        }
    }
}

/// The number of single-character edits between two strings (for "did you mean").
func editDistance(_ left: String, _ right: String) -> Int {
    let a = Array(left)
    let b = Array(right)
    var previous = Array(0...b.count)
    for i in 1...max(1, a.count) where !a.isEmpty {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...max(1, b.count) where !b.isEmpty {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return a.isEmpty ? b.count : previous[b.count]
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
