// The C interface of include/conversion_rules.h: each function catches
// every error and reports it as a status and a message; objects cross the
// boundary as retained Swift objects behind opaque pointers.
import CConversionRulesHeader
import ConversionRules
import Flavors
import Foundation
import RuleDSL

// MARK: - Objects behind the opaque pointers

final class CatalogHandle {
    let catalog: RuleCatalog
    init(_ catalog: RuleCatalog) { self.catalog = catalog }
}

final class RuleHandle {
    let rule: CompiledRule
    init(_ rule: CompiledRule) { self.rule = rule }
}

final class StreamHandle {
    var rewriter: StreamRewriter
    init(_ rewriter: StreamRewriter) { self.rewriter = rewriter }
}

private func retained<T: AnyObject>(_ object: T) -> OpaquePointer {
    OpaquePointer(Unmanaged.passRetained(object).toOpaque())
}

private func object<T: AnyObject>(_ pointer: OpaquePointer?, as type: T.Type) -> T? {
    guard let pointer else { return nil }
    return Unmanaged<T>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
}

private func release<T: AnyObject>(_ pointer: OpaquePointer?, as type: T.Type) {
    guard let pointer else { return }
    Unmanaged<T>.fromOpaque(UnsafeRawPointer(pointer)).release()
}

// MARK: - Buffers

/// A malloc'ed, NUL-terminated copy of `text` (freed by cr_free).
private func cString(_ text: String) -> UnsafeMutablePointer<CChar> {
    strdup(text)!
}

/// A malloc'ed copy of `bytes` (never NULL, so an empty body is distinguishable from none).
private func buffer(_ bytes: [UInt8]) -> UnsafeMutablePointer<UInt8> {
    let pointer = malloc(max(1, bytes.count))!.assumingMemoryBound(to: UInt8.self)
    bytes.withUnsafeBufferPointer { source in
        if let base = source.baseAddress { pointer.update(from: base, count: bytes.count) }
    }
    return pointer
}

/// Runs `body`; a thrown error is reported through `errorOut` with its
/// status: CR_INVALID_ARGUMENT for a bad argument, CR_NOT_FOUND for a
/// catalog lookup, CR_ERROR for anything else.
private func reportingStatus(
    _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ body: () throws -> Int32
) -> Int32 {
    do {
        return try body()
    } catch let argument as ArgumentError {
        return fail(errorOut, Int32(CR_INVALID_ARGUMENT), argument)
    } catch let catalogError as CatalogError {
        return fail(errorOut, Int32(CR_NOT_FOUND), catalogError)
    } catch {
        return fail(errorOut, Int32(CR_ERROR), error)
    }
}

/// Runs `body` that makes an object; a thrown error is reported through
/// `errorOut` (and the thread's last error report, with the status it
/// would have had) and gives NULL.
private func reportingObject(
    _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ body: () throws -> OpaquePointer
) -> OpaquePointer? {
    do {
        return try body()
    } catch let argument as ArgumentError {
        fail(errorOut, Int32(CR_INVALID_ARGUMENT), argument)
        return nil
    } catch let catalogError as CatalogError {
        fail(errorOut, Int32(CR_NOT_FOUND), catalogError)
        return nil
    } catch {
        fail(errorOut, Int32(CR_ERROR), error)
        return nil
    }
}

private func string(_ pointer: UnsafePointer<CChar>?) -> String? {
    pointer.map { String(cString: $0) }
}

private func bytes(_ pointer: UnsafePointer<UInt8>?, _ length: Int) -> [UInt8] {
    guard let pointer, length > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: pointer, count: length))
}

private func headers(_ json: UnsafePointer<CChar>?) throws -> HTTPHeaders {
    guard let text = string(json), !text.isEmpty else { return HTTPHeaders() }
    guard case .object(let object)? = try? JSONValue(parsing: text) else {
        throw ArgumentError(message: "headers must be a JSON object of header name to string")
    }
    var result = HTTPHeaders()
    for member in object.members {
        switch member.value {
        case .string(let value): result.add(member.key, value)
        case .array(let values):
            for value in values {
                guard case .string(let text) = value else { throw ArgumentError(message: "header \(member.key): values must be strings") }
                result.add(member.key, text)
            }
        default: throw ArgumentError(message: "header \(member.key): the value must be a string or an array of strings")
        }
    }
    return result
}

private func variables(_ json: UnsafePointer<CChar>?) throws -> [String: Value] {
    guard let text = string(json), !text.isEmpty else { return [:] }
    guard case .object(let object)? = try? JSONValue(parsing: text) else {
        throw ArgumentError(message: "variables must be a JSON object, e.g. {\"model\": \"qwen3:0.6b\"}")
    }
    var result: [String: Value] = [:]
    for member in object.members { result[member.key] = Value(member.value) }
    return result
}

private func headersJSON(_ headers: HTTPHeaders) -> String {
    var grouped: [(name: String, values: [String])] = []
    for field in headers {
        if let index = grouped.firstIndex(where: { HTTPHeaders.sameName($0.name, field.name) }) {
            grouped[index].values.append(field.value)
        } else {
            grouped.append((field.name, [field.value]))
        }
    }
    let object = JSONObject(
        grouped.map { entry in
            (entry.name, entry.values.count == 1 ? JSONValue.string(entry.values[0]) : .array(entry.values.map { .string($0) }))
        })
    return (try? JSONValue.object(object).jsonText()) ?? "{}"
}

private func diagnosticsJSON(_ diagnostics: [TemplateDiagnostic]) -> String {
    let items = diagnostics.map { diagnostic in
        JSONValue.object(
            JSONObject([
                ("file", .string(diagnostic.file)), ("line", .number(JSONNumber(Int64(diagnostic.line)))),
                ("column", .number(JSONNumber(Int64(diagnostic.column)))), ("severity", .string(diagnostic.severity.rawValue)),
                ("message", .string(diagnostic.message)),
            ]))
    }
    return (try? JSONValue.array(items).jsonText()) ?? "[]"
}

private func fill(_ output: UnsafeMutablePointer<cr_output>?, with outcome: StepOutcome) -> Int32 {
    guard case .content(let content) = outcome else { return Int32(CR_DROPPED) }
    output?.pointee.headers_json = cString(headersJSON(content.headers))
    output?.pointee.body = buffer(content.body)
    output?.pointee.body_length = content.body.count
    return Int32(CR_OK)
}

// MARK: - Functions

@_cdecl("cr_free")
public func crFree(_ pointer: UnsafeMutableRawPointer?) {
    free(pointer)
}

@_cdecl("cr_output_clear")
public func crOutputClear(_ output: UnsafeMutablePointer<cr_output>?) {
    guard let output else { return }
    free(output.pointee.headers_json)
    free(output.pointee.body)
    output.pointee.headers_json = nil
    output.pointee.body = nil
    output.pointee.body_length = 0
}

@_cdecl("cr_catalog_open")
public func crCatalogOpen(_ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> OpaquePointer? {
    reportingObject(errorOut) { retained(CatalogHandle(try RuleCatalog())) }
}

@_cdecl("cr_catalog_free")
public func crCatalogFree(_ catalog: OpaquePointer?) {
    release(catalog, as: CatalogHandle.self)
}

@_cdecl("cr_catalog_add_templates")
public func crCatalogAddTemplates(
    _ catalog: OpaquePointer?, _ directory: UnsafePointer<CChar>?,
    _ diagnostics: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    guard let handle = object(catalog, as: CatalogHandle.self), let path = string(directory) else {
        diagnostics?.pointee = cString("[{\"severity\":\"error\",\"message\":\"catalog and directory are required\"}]")
        return Int32(CR_INVALID_ARGUMENT)
    }
    do {
        let found = try handle.catalog.addDirectory(path)
        diagnostics?.pointee = cString(diagnosticsJSON(found))
        return found.contains { $0.severity == .error } ? Int32(CR_ERROR) : Int32(CR_OK)
    } catch {
        diagnostics?.pointee = cString(diagnosticsJSON([TemplateDiagnostic(file: path, line: 1, column: 1, severity: .error, message: "\(error)")]))
        return Int32(CR_NOT_FOUND)
    }
}

@_cdecl("cr_catalog_add_plugin")
public func crCatalogAddPlugin(
    _ catalog: OpaquePointer?, _ directory: UnsafePointer<CChar>?,
    _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    guard let handle = object(catalog, as: CatalogHandle.self), let path = string(directory) else {
        return failArgument(errorOut, "catalog and directory are required")
    }
    do {
        try handle.catalog.addPlugin(directory: path)
        return Int32(CR_OK)
    } catch {
        // A plugin that does not load is CR_ERROR, whatever the cause.
        return fail(errorOut, Int32(CR_ERROR), error)
    }
}

@_cdecl("cr_catalog_list")
public func crCatalogList(_ catalog: OpaquePointer?) -> UnsafeMutablePointer<CChar>? {
    guard let handle = object(catalog, as: CatalogHandle.self) else { return nil }
    var rules: [JSONValue] = []
    for flavor in handle.catalog.flavorNames {
        guard let template = handle.catalog.template(flavor) else { continue }
        for service in template.rules.services.keys.sorted() {
            let metadata = template.metadata[service] ?? ServiceMetadata()
            rules.append(
                .object(
                    JSONObject([
                        ("rule", .string("\(flavor):\(service)")),
                        ("conversions", .array(template.rules.services[service]!.definedConversions.map { .string($0.rawValue) })),
                        ("task_type", .string(metadata.taskType)), ("default_model", .string(metadata.defaultModel)),
                        ("endpoints", .array(metadata.endpoints.map { .string($0) })),
                    ])))
        }
    }
    return cString((try? JSONValue.array(rules).jsonText()) ?? "[]")
}

@_cdecl("cr_rule_get")
public func crRuleGet(
    _ catalog: OpaquePointer?, _ configRef: UnsafePointer<CChar>?,
    _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> OpaquePointer? {
    guard let handle = object(catalog, as: CatalogHandle.self), let reference = string(configRef) else {
        failArgument(errorOut, "catalog and config_ref are required")
        return nil
    }
    return reportingObject(errorOut) { retained(RuleHandle(try handle.catalog.rule(reference))) }
}

@_cdecl("cr_rule_free")
public func crRuleFree(_ rule: OpaquePointer?) {
    release(rule, as: RuleHandle.self)
}

@_cdecl("cr_convert")
public func crConvert(
    _ rule: OpaquePointer?, _ conversion: UnsafePointer<CChar>?, _ headersJSONText: UnsafePointer<CChar>?,
    _ body: UnsafePointer<UInt8>?, _ bodyLength: Int, _ variablesJSON: UnsafePointer<CChar>?,
    _ output: UnsafeMutablePointer<cr_output>?, _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    guard let handle = object(rule, as: RuleHandle.self), let name = string(conversion) else {
        return failArgument(errorOut, "rule and conversion are required")
    }
    guard let kind = ConversionKind(rawValue: name), !kind.isStream else {
        return failArgument(errorOut, "unknown conversion '\(name)' (streams use cr_stream_open)")
    }
    return reportingStatus(errorOut) {
        let content = HTTPContent(headers: try headers(headersJSONText), body: bytes(body, bodyLength))
        return fill(output, with: try handle.rule.rules.convert(kind, content, variables: try variables(variablesJSON)))
    }
}

private func twoHop(
    _ catalog: OpaquePointer?, _ client: UnsafePointer<CChar>?, _ provider: UnsafePointer<CChar>?,
    _ service: UnsafePointer<CChar>?, base: ConversionKind.Base
) throws -> TwoHopConverter {
    guard let handle = object(catalog, as: CatalogHandle.self), let clientName = string(client),
        let providerName = string(provider), let serviceName = string(service)
    else {
        throw ArgumentError(message: "catalog, client flavor, provider flavor and service are required")
    }
    let clientRules = try handle.catalog.flavor(clientName)
    let providerRules = try handle.catalog.flavor(providerName)
    return base == .request
        ? try TwoHopConverter(base: base, service: serviceName, from: clientRules, to: providerRules)
        : try TwoHopConverter(base: base, service: serviceName, from: providerRules, to: clientRules)
}

@_cdecl("cr_convert_two_hop")
public func crConvertTwoHop(
    _ catalog: OpaquePointer?, _ client: UnsafePointer<CChar>?, _ provider: UnsafePointer<CChar>?,
    _ service: UnsafePointer<CChar>?, _ kind: UnsafePointer<CChar>?, _ headersJSONText: UnsafePointer<CChar>?,
    _ body: UnsafePointer<UInt8>?, _ bodyLength: Int, _ variablesJSON: UnsafePointer<CChar>?,
    _ output: UnsafeMutablePointer<cr_output>?, _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    guard let kindName = string(kind), let base = ConversionKind.Base(rawValue: kindName), base != .streamResponse else {
        return failArgument(errorOut, "kind must be request or response (streams use cr_stream_open_two_hop)")
    }
    return reportingStatus(errorOut) {
        let converter = try twoHop(catalog, client, provider, service, base: base)
        let content = HTTPContent(headers: try headers(headersJSONText), body: bytes(body, bodyLength))
        return fill(output, with: try converter.convert(content, variables: try variables(variablesJSON)))
    }
}

@_cdecl("cr_stream_open")
public func crStreamOpen(
    _ rule: OpaquePointer?, _ conversion: UnsafePointer<CChar>?, _ headersJSONText: UnsafePointer<CChar>?,
    _ variablesJSON: UnsafePointer<CChar>?, _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> OpaquePointer? {
    guard let handle = object(rule, as: RuleHandle.self), let name = string(conversion),
        let kind = ConversionKind(rawValue: name), kind.isStream
    else {
        failArgument(errorOut, "a rule and a stream conversion (stream_response_to_aog or stream_response_from_aog) are required")
        return nil
    }
    return reportingObject(errorOut) {
        retained(
            StreamHandle(
                StreamRewriter(
                    rules: handle.rule.rules, conversion: kind,
                    inputHeaders: try headers(headersJSONText), variables: try variables(variablesJSON))))
    }
}

@_cdecl("cr_stream_open_two_hop")
public func crStreamOpenTwoHop(
    _ catalog: OpaquePointer?, _ client: UnsafePointer<CChar>?, _ provider: UnsafePointer<CChar>?,
    _ service: UnsafePointer<CChar>?, _ headersJSONText: UnsafePointer<CChar>?, _ variablesJSON: UnsafePointer<CChar>?,
    _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> OpaquePointer? {
    reportingObject(errorOut) {
        let converter = try twoHop(catalog, client, provider, service, base: .streamResponse)
        return retained(
            StreamHandle(
                StreamRewriter(
                    converter: converter, inputHeaders: try headers(headersJSONText),
                    variables: try variables(variablesJSON))))
    }
}

private func streamStep(
    _ stream: OpaquePointer?, _ output: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?,
    _ outputLength: UnsafeMutablePointer<Int>?, _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ step: (inout StreamRewriter) throws(ConversionError) -> StreamOutput
) -> Int32 {
    guard let handle = object(stream, as: StreamHandle.self) else {
        return failArgument(errorOut, "stream is required")
    }
    do throws(ConversionError) {
        let result = try step(&handle.rewriter)
        output?.pointee = buffer(result.bytes)
        outputLength?.pointee = result.bytes.count
        return Int32(CR_OK)
    } catch {
        output?.pointee = nil
        outputLength?.pointee = 0
        return fail(errorOut, Int32(CR_ERROR), error)
    }
}

@_cdecl("cr_stream_feed")
public func crStreamFeed(
    _ stream: OpaquePointer?, _ input: UnsafePointer<UInt8>?, _ length: Int,
    _ output: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?, _ outputLength: UnsafeMutablePointer<Int>?,
    _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    if let handle = object(stream, as: StreamHandle.self), handle.rewriter.isFinished {
        output?.pointee = nil
        outputLength?.pointee = 0
        return failArgument(errorOut, "cr_stream_feed after cr_stream_finish: the stream is finished; open a new one")
    }
    let data = bytes(input, length)
    return streamStep(stream, output, outputLength, errorOut) { rewriter throws(ConversionError) in try rewriter.feed(data) }
}

@_cdecl("cr_stream_finish")
public func crStreamFinish(
    _ stream: OpaquePointer?, _ output: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?,
    _ outputLength: UnsafeMutablePointer<Int>?, _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    streamStep(stream, output, outputLength, errorOut) { rewriter throws(ConversionError) in try rewriter.finish() }
}

@_cdecl("cr_stream_headers")
public func crStreamHeaders(_ stream: OpaquePointer?) -> UnsafeMutablePointer<CChar>? {
    guard let handle = object(stream, as: StreamHandle.self) else { return nil }
    return cString(headersJSON(handle.rewriter.outputHeaders))
}

@_cdecl("cr_stream_free")
public func crStreamFree(_ stream: OpaquePointer?) {
    release(stream, as: StreamHandle.self)
}

@_cdecl("cr_lint_template")
public func crLintTemplate(_ path: UnsafePointer<CChar>?, _ diagnostics: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    guard let file = string(path) else {
        diagnostics?.pointee = cString("[]")
        return Int32(CR_INVALID_ARGUMENT)
    }
    let text: String
    switch TemplateText.read(file) {
    case .text(let read):
        text = read
    case .unreadable:
        diagnostics?.pointee = cString("[]")
        return Int32(CR_NOT_FOUND)
    case .notUTF8(let diagnostic):
        diagnostics?.pointee = cString(diagnosticsJSON([diagnostic]))
        return Int32(CR_ERROR)
    }
    let base = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    let found: [TemplateDiagnostic]
    if base == "plugin" {
        found = PluginManifest.lint(text: text, file: file)
    } else {
        do throws(TemplateLoadError) {
            found = try TemplateLoader.load(text: text, file: file, expectedName: base).diagnostics
        } catch {
            found = error.diagnostics
        }
    }
    diagnostics?.pointee = cString(diagnosticsJSON(found))
    return found.contains { $0.severity == .error } ? Int32(CR_ERROR) : Int32(CR_OK)
}
