import ArgumentParser
import ConversionRules
import Flavors
import Foundation
import RuleDSL

/// `rulecheck FIXTURE FLAVOR:SERVICE` and `rulecheck DIR`: runs fixture files
/// (the fixture format is described in docs/fixtures.md) against rules.
struct FixtureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run fixture files against rules (the default command).",
        discussion: """
            rulecheck FIXTURE FLAVOR:SERVICE runs one fixture file against a rule; rulecheck DIR runs every \
            FLAVOR/SERVICE.json below DIR against the rule its file names. A template or service of \
            --templates that does not load is printed, and every fixture whose rule did load still runs. \
            Exit status: 0 all cases pass, 1 a case failed, 2 a file, rule, template or service could not be \
            loaded.
            """
    )

    @Argument(help: "A fixture file, or a directory of FLAVOR/SERVICE.json fixture files.")
    var path: String

    @Argument(help: "The rule, FLAVOR:SERVICE (for a fixture file; optional when the file names its rule).")
    var rule: String?

    @OptionGroup var catalogOptions: CatalogOptions

    @Flag(help: "Print a machine-readable report with every case's actual output.")
    var json = false

    func run() throws {
        let (catalog, somethingFailed) = try catalogOptions.loadCatalog()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            printError("\(path): no such file or directory")
            throw ExitCode(2)
        }
        let files: [(path: String, rule: String?)]
        if isDirectory.boolValue {
            files = Self.fixtureFiles(below: path).map { ($0, nil) }
        } else {
            files = [(path, rule)]
        }
        var report = FixtureReport(json: json)
        report.loadFailed = somethingFailed
        for file in files {
            try report.run(file: file.path, ruleArgument: file.rule, catalog: catalog)
        }
        try report.finish()
    }

    /// `FLAVOR/SERVICE.json` files below `directory`, sorted.
    static func fixtureFiles(below directory: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var files: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix(".json") { files.append((directory as NSString).appendingPathComponent(relative)) }
        }
        return files.sorted()
    }
}

/// Runs fixture files and prints their results as lines or one JSON report.
struct FixtureReport {
    let json: Bool
    var passed = 0
    var failed = 0
    var loadFailed = false
    var fileReports: [JSONValue] = []

    init(json: Bool) { self.json = json }

    mutating func run(file: String, ruleArgument: String?, catalog: RuleCatalog) throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            printError("\(file): cannot read the file")
            loadFailed = true
            return
        }
        let fixture: FixtureFile
        do {
            fixture = try FixtureFile(bytes: Array(data), file: file)
        } catch {
            printError("\(error)")
            loadFailed = true
            return
        }
        guard let ruleName = ruleArgument ?? fixture.rule ?? Self.ruleFromPath(file) else {
            printError("\(file): no rule given; pass FLAVOR:SERVICE or set \"rule\" in the file")
            loadFailed = true
            return
        }
        if let declared = fixture.rule, declared != ruleName {
            printError("\(file): the file is for rule \(declared), not \(ruleName)")
            loadFailed = true
            return
        }
        let rule: CompiledRule
        do {
            rule = try catalog.rule(ruleName)
        } catch {
            printError("\(file): \(error)")
            loadFailed = true
            return
        }
        if !json { print("\(file) (\(ruleName))") }
        var caseReports: [JSONValue] = []
        for result in FixtureRunner.run(fixture, rule: rule, catalog: catalog) {
            if result.passed { passed += 1 } else { failed += 1 }
            if json {
                caseReports.append(Self.caseReport(result))
            } else {
                print("\(result.passed ? "ok  " : "FAIL") \(result.name)")
                for difference in result.differences { print("       \(difference)") }
            }
        }
        fileReports.append(.object(JSONObject([("file", .string(file)), ("rule", .string(ruleName)), ("cases", .array(caseReports))])))
    }

    /// `.../FLAVOR/SERVICE.json` names the rule FLAVOR:SERVICE.
    static func ruleFromPath(_ file: String) -> String? {
        let components = (file as NSString).pathComponents
        guard components.count >= 2 else { return nil }
        let service = (components[components.count - 1] as NSString).deletingPathExtension
        return "\(components[components.count - 2]):\(service)"
    }

    static func caseReport(_ result: FixtureCaseResult) -> JSONValue {
        var output: [(key: String, value: JSONValue)] = []
        if let headers = result.output.headers {
            output.append(("headers", .object(JSONObject(headers.fields.map { ($0.name, .string($0.value)) }))))
        }
        if let body = result.output.body {
            if result.output.chunks == nil, let value = try? JSONValue(parsing: body) {
                output.append(("body", value))
            } else {
                output.append(("text", .string(String(decoding: body, as: UTF8.self))))
            }
        }
        if let chunks = result.output.chunks {
            output.append(
                (
                    "chunks",
                    .array(
                        chunks.map { chunk in
                            (try? JSONValue(parsing: chunk)) ?? .string(String(decoding: chunk, as: UTF8.self))
                        })
                ))
        }
        output.append(("dropped", .bool(result.output.dropped)))
        if let error = result.output.error { output.append(("error", .string(error))) }
        return .object(
            JSONObject([
                ("name", .string(result.name)), ("passed", .bool(result.passed)),
                ("differences", .array(result.differences.map { .string($0) })), ("actual", .object(JSONObject(output))),
            ]))
    }

    func finish() throws {
        if json {
            let report = JSONValue.object(
                JSONObject([
                    ("passed", .number(JSONNumber(Int64(passed)))), ("failed", .number(JSONNumber(Int64(failed)))),
                    ("files", .array(fileReports)),
                ]))
            print((try? report.jsonText(pretty: true)) ?? "{}")
        } else {
            print("\(passed) passed, \(failed) failed")
        }
        if loadFailed { throw ExitCode(2) }
        if failed > 0 { throw ExitCode(1) }
    }
}
