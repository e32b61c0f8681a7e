import ArgumentParser
import ConversionRules
import Flavors
import Foundation
import RuleDSL

/// `rulecheck run`: converts standard input to standard output with a rule.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Convert standard input to standard output with a rule.",
        discussion: """
            rulecheck run FLAVOR:SERVICE CONVERSION runs one conversion; rulecheck run FLAVOR:SERVICE --client FLAVOR \
            --kind request|response|stream_response converts between a client flavor and the rule's flavor as the gateway \
            does. Streams are converted as they arrive: each converted event is written as soon as its input event is complete.
            """
    )

    @Argument(help: "The rule, FLAVOR:SERVICE.")
    var rule: String

    @Argument(help: "The conversion (request_to_aog, ..., stream_response_from_aog); omit with --client.")
    var conversion: String?

    @Option(help: "The client's flavor, for a two-hop conversion.")
    var client: String?

    @Option(help: "request, response or stream_response (with --client).")
    var kind: String?

    @Option(name: .customLong("var"), help: "A variable name=value (repeatable); the value is JSON when it parses, else a string.")
    var variables: [String] = []

    @Option(name: .customLong("header"), help: "An input header 'Name: value' (repeatable).")
    var headers: [String] = []

    @Flag(help: "Print the output headers on standard error.")
    var showHeaders = false

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let catalog = try catalogOptions.loadCatalog().catalog
        let compiled = try compiledRule(catalog, rule)
        let variables = try parsedVariables()
        let inputHeaders = try parsedHeaders()
        switch (conversion, client, kind) {
        case (let conversionName?, nil, nil):
            guard let conversionKind = ConversionKind(rawValue: conversionName) else {
                throw ValidationError("unknown conversion '\(conversionName)'")
            }
            if conversionKind.isStream {
                try stream(StreamRewriter(rules: compiled.rules, conversion: conversionKind, inputHeaders: inputHeaders, variables: variables))
            } else {
                try single(inputHeaders) { content throws(ConversionError) in
                    try compiled.rules.convert(conversionKind, content, variables: variables)
                }
            }
        case (nil, let clientName?, let kindName?):
            guard let base = ConversionKind.Base(rawValue: kindName) else {
                throw ValidationError("--kind must be request, response or stream_response")
            }
            let converter: TwoHopConverter
            do {
                let clientRules = try catalog.flavor(clientName)
                converter =
                    base == .request
                    ? try TwoHopConverter(base: base, service: compiled.service, from: clientRules, to: compiled.template.rules)
                    : try TwoHopConverter(base: base, service: compiled.service, from: compiled.template.rules, to: clientRules)
            } catch {
                printError("\(error)")
                throw ExitCode(2)
            }
            if base == .streamResponse {
                try stream(StreamRewriter(converter: converter, inputHeaders: inputHeaders, variables: variables))
            } else {
                try single(inputHeaders) { content throws(ConversionError) in try converter.convert(content, variables: variables) }
            }
        default:
            throw ValidationError("give either a CONVERSION, or --client and --kind")
        }
    }

    private func parsedVariables() throws -> [String: Value] {
        var result: [String: Value] = [:]
        for variable in variables {
            guard let equals = variable.firstIndex(of: "=") else { throw ValidationError("--var \(variable): expected name=value") }
            let text = String(variable[variable.index(after: equals)...])
            result[String(variable[..<equals])] = (try? JSONValue(parsing: text)).map { Value($0) } ?? .string(text)
        }
        return result
    }

    private func parsedHeaders() throws -> HTTPHeaders {
        var result = HTTPHeaders()
        for header in headers {
            guard let colon = header.firstIndex(of: ":") else { throw ValidationError("--header \(header): expected 'Name: value'") }
            result.add(String(header[..<colon]), String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        return result
    }

    private func single(_ headers: HTTPHeaders, _ convert: (HTTPContent) throws(ConversionError) -> StepOutcome) throws {
        let body = Array(FileHandle.standardInput.readDataToEndOfFile())
        do throws(ConversionError) {
            switch try convert(HTTPContent(headers: headers, body: body)) {
            case .dropped:
                printError("dropped")
            case .content(let content):
                if showHeaders { printHeaders(content.headers) }
                FileHandle.standardOutput.write(Data(content.body))
            }
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }

    private func stream(_ rewriter: StreamRewriter) throws {
        var rewriter = rewriter
        var headersShown = false
        func write(_ output: StreamOutput) {
            if showHeaders, !headersShown, !output.bytes.isEmpty {
                printHeaders(rewriter.outputHeaders)
                headersShown = true
            }
            if !output.bytes.isEmpty { FileHandle.standardOutput.write(Data(output.bytes)) }
        }
        do throws(ConversionError) {
            while true {
                let data = FileHandle.standardInput.availableData
                if data.isEmpty { break }
                write(try rewriter.feed(Array(data)))
            }
            write(try rewriter.finish())
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }

    private func printHeaders(_ headers: HTTPHeaders) {
        for field in headers { printError("\(field.name): \(field.value)") }
    }
}

/// `rulecheck explain`: what a rule's conversions do, from a static analysis.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a rule's conversions: every output field with the input it reads, header edits, drops, prologue and epilogue."
    )

    @Argument(help: "The rule, FLAVOR:SERVICE.")
    var rule: String

    @Argument(help: "One conversion to explain; all that the rule defines when omitted.")
    var conversion: String?

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let catalog = try catalogOptions.loadCatalog().catalog
        let compiled = try compiledRule(catalog, rule)
        var kinds = compiled.rules.definedConversions
        if let conversion {
            guard let kind = ConversionKind(rawValue: conversion) else { throw ValidationError("unknown conversion '\(conversion)'") }
            kinds = [kind]
        }
        if kinds.isEmpty { print("\(rule): no conversions; every conversion is the identity") }
        for kind in kinds {
            print("\(rule) \(kind.rawValue)")
            let pipeline = compiled.rules.pipeline(kind)
            if pipeline.isIdentity && pipeline.prologue.isEmpty && pipeline.epilogue.isEmpty {
                print("  identity: body and headers pass unchanged\n")
                continue
            }
            for (index, step) in pipeline.steps.enumerated() {
                switch step {
                case .expression(let expressionStep):
                    print("  step \(index + 1): build the body")
                    printOutline(expressionStep.expression.outline())
                case .header(let edit):
                    var parts: [String] = []
                    if edit.clearAll { parts.append("clear all headers") }
                    if !edit.delete.isEmpty { parts.append("delete " + edit.delete.joined(separator: ", ")) }
                    parts += edit.set.map { "set \($0.name): \($0.value)" }
                    parts += edit.add.map { "add \($0.name): \($0.value)" }
                    print("  step \(index + 1): headers: " + parts.joined(separator: "; "))
                case .dropIf(let drop):
                    print("  step \(index + 1): drop the content when the body\(drop.trim ? " (trimmed)" : "") matches \(String(reflecting: drop.pattern))")
                }
            }
            if !pipeline.prologue.isEmpty { print("  prologue: " + pipeline.prologue.map { String(reflecting: $0) }.joined(separator: ", ")) }
            if !pipeline.epilogue.isEmpty { print("  epilogue: " + pipeline.epilogue.map { String(reflecting: $0) }.joined(separator: ", ")) }
            print("")
        }
    }

    private func printOutline(_ outline: ExpressionOutline) {
        let rows = outline.fields.isEmpty ? [outline.result].compactMap { $0 } : outline.fields
        let width = max(12, rows.map(\.path.count).max() ?? 0)
        print("    " + "output field".padding(toLength: width, withPad: " ", startingAt: 0) + "  rule         reads")
        for field in rows {
            print(
                "    " + field.path.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + field.rule.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0) + "  " + field.reads.joined(separator: ", "))
        }
    }
}
