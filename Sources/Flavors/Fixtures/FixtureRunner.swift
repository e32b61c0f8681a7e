import ConversionRules
import RuleDSL

/// What a case's conversion actually produced.
public struct FixtureOutput: Sendable {
    public var headers: HTTPHeaders?
    public var body: [UInt8]?
    /// Stream payloads written to the client, prologue and epilogue included.
    public var chunks: [[UInt8]]?
    public var dropped = false
    public var error: String?
}

/// The verdict on one case.
public struct FixtureCaseResult: Sendable {
    public let name: String
    /// Every difference between expectation and output; empty when the case passed.
    public let differences: [String]
    public let output: FixtureOutput

    public var passed: Bool { differences.isEmpty }
}

/// Runs fixture cases against a rule, exactly as the gateway converts.
public enum FixtureRunner {
    /// Runs every case of `fixture` against `rule`; two-hop cases take their
    /// client flavor from `catalog`.
    public static func run(_ fixture: FixtureFile, rule: CompiledRule, catalog: RuleCatalog) -> [FixtureCaseResult] {
        fixture.cases.map { run($0, rule: rule, catalog: catalog) }
    }

    /// Runs one case.
    public static func run(_ fixtureCase: FixtureFile.Case, rule: CompiledRule, catalog: RuleCatalog) -> FixtureCaseResult {
        let output = produce(fixtureCase, rule: rule, catalog: catalog)
        return FixtureCaseResult(
            name: fixtureCase.name, differences: check(fixtureCase.expect, output, isStream: fixtureCase.isStream),
            output: output)
    }

    private static func produce(_ fixtureCase: FixtureFile.Case, rule: CompiledRule, catalog: RuleCatalog) -> FixtureOutput {
        var output = FixtureOutput()
        let variables = fixtureCase.variables.mapValues { Value($0) }
        let input = HTTPContent(headers: fixtureCase.inputHeaders, body: fixtureCase.inputBody)
        do {
            switch fixtureCase.mode {
            case .conversion(let kind) where kind.isStream:
                let rewriter = StreamRewriter(rules: rule.rules, conversion: kind, inputHeaders: input.headers, variables: variables)
                try stream(rewriter, input.body, into: &output)
            case .conversion(let kind):
                record(try rule.rules.convert(kind, input, variables: variables), into: &output)
            case .twoHop(let client, let base):
                let clientRules = try catalog.flavor(client)
                let providerRules = rule.template.rules
                let converter =
                    base == .request
                    ? try TwoHopConverter(base: base, service: rule.service, from: clientRules, to: providerRules)
                    : try TwoHopConverter(base: base, service: rule.service, from: providerRules, to: clientRules)
                if base == .streamResponse {
                    try stream(
                        StreamRewriter(converter: converter, inputHeaders: input.headers, variables: variables),
                        input.body, into: &output)
                } else {
                    record(try converter.convert(input, variables: variables), into: &output)
                }
            }
        } catch {
            output.error = "\(error)"
        }
        return output
    }

    private static func record(_ outcome: StepOutcome, into output: inout FixtureOutput) {
        switch outcome {
        case .dropped: output.dropped = true
        case .content(let content):
            output.headers = content.headers
            output.body = content.body
        }
    }

    private static func stream(_ rewriter: StreamRewriter, _ body: [UInt8], into output: inout FixtureOutput) throws(ConversionError) {
        var rewriter = rewriter
        var result = StreamOutput()
        // Errors keep what was written before them.
        defer {
            output.body = result.bytes
            output.chunks = result.payloads
            output.headers = rewriter.outputHeaders
            output.dropped = rewriter.droppedPayloads > 0
        }
        let fed = try rewriter.feed(body)
        result.bytes += fed.bytes
        result.payloads += fed.payloads
        let last = try rewriter.finish()
        result.bytes += last.bytes
        result.payloads += last.payloads
    }

    // MARK: Checks

    private static func check(_ expect: FixtureFile.Expectation, _ output: FixtureOutput, isStream: Bool) -> [String] {
        if let expectedError = expect.error {
            guard let error = output.error else { return ["error: expected an error containing \"\(expectedError)\", the conversion succeeded"] }
            return error.contains(expectedError) ? [] : ["error: expected an error containing \"\(expectedError)\", got: \(error)"]
        }
        if let error = output.error { return ["error: unexpected error: \(error)"] }
        var differences: [String] = []
        if let dropped = expect.dropped, dropped != output.dropped {
            differences.append("dropped: expected \(dropped), got \(output.dropped)")
        }
        if let headers = expect.headers {
            for (name, value) in headers {
                let actual = output.headers?[name]
                if actual != value {
                    differences.append("headers.\(name): expected \(value.map { "\"\($0)\"" } ?? "absent"), got \(actual.map { "\"\($0)\"" } ?? "absent")")
                }
            }
        }
        if let text = expect.text {
            let actual = output.body.map { String(decoding: $0, as: UTF8.self) }
            if actual != text {
                differences.append("text: expected \(String(reflecting: text)), got \(actual.map { String(reflecting: $0) } ?? "nothing (dropped)")")
            }
        }
        if let body = expect.body {
            if let bytes = output.body {
                do {
                    differences += JSONDifference.differences(expected: body, actual: try JSONValue(parsing: bytes), path: "body")
                } catch {
                    differences.append("body: expected JSON, got \(String(reflecting: String(decoding: bytes, as: UTF8.self))) (\(error))")
                }
            } else {
                differences.append("body: expected \(JSONDifference.render(body)), got nothing (dropped)")
            }
        }
        if let chunks = expect.chunks {
            differences += checkChunks(chunks, output.chunks ?? [])
        }
        return differences
    }

    private static func checkChunks(_ expected: [JSONValue], _ actual: [[UInt8]]) -> [String] {
        var differences: [String] = []
        if expected.count != actual.count {
            differences.append("chunks: expected \(expected.count) chunks, got \(actual.count)")
        }
        for index in 0..<min(expected.count, actual.count) {
            let payload = String(decoding: actual[index], as: UTF8.self)
            if case .string(let text) = expected[index] {
                if text != payload { differences.append("chunks[\(index)]: expected \(String(reflecting: text)), got \(String(reflecting: payload))") }
                continue
            }
            guard let value = try? JSONValue(parsing: actual[index]) else {
                differences.append("chunks[\(index)]: expected \(JSONDifference.render(expected[index])), got \(String(reflecting: payload)) (not JSON)")
                continue
            }
            differences += JSONDifference.differences(expected: expected[index], actual: value, path: "chunks[\(index)]")
        }
        for index in min(expected.count, actual.count)..<actual.count {
            differences.append("chunks[\(index)]: unexpected \(String(reflecting: String(decoding: actual[index], as: UTF8.self)))")
        }
        return differences
    }
}
