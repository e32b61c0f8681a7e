import ArgumentParser
import Foundation
import RuleDSL

/// `rulecheck jsonata-suite DIR`: runs JSONata conformance cases and reports
/// counts per group.
struct JSONataSuiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jsonata-suite",
        abstract: "Run a JSONata conformance suite (groups/ and datasets/) and report per group."
    )

    @Argument(help: "The suite folder, which holds groups/ and datasets/.")
    var directory: String

    @Option(help: "Run only the groups whose name contains this text.")
    var group: String?

    @Flag(help: "Print a machine-readable report: counts per group and every failing case with expected and actual.")
    var json = false

    @Flag(help: "List every failing case with expected and actual results.")
    var failures = false

    @Flag(
        help:
            "Also run each case through the write path conversions take (results written as JSON text as they are evaluated); a case passes only when both agree with the expected result."
    )
    var checkWritten = false

    @Flag(help: "Plan every expression without shortcuts: each construct evaluated by its general rules.")
    var noShortcuts = false

    func run() throws {
        var suite = JSONataSuite(directory: URL(fileURLWithPath: directory))
        suite.checksWrittenResults = checkWritten
        suite.plannerOptions = PlannerOptions(shortcuts: !noShortcuts)
        let groups: [String]
        do {
            groups = try suite.groups().filter { group == nil || $0.contains(group!) }
        } catch {
            printError("\(directory): cannot read groups/: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let progress = Progress(total: groups.count)
        let start = Date()
        var all: [JSONataSuite.CaseResult] = []
        var rows: [(String, Int, Int)] = []
        for (index, name) in groups.enumerated() {
            progress.update(index, name)
            let results = try suite.run(group: name)
            all += results
            rows.append((name, results.filter(\.passed).count, results.filter { !$0.passed }.count))
        }
        progress.finish()
        let seconds = Date().timeIntervalSince(start)
        let passed = all.filter(\.passed).count
        let failed = all.count - passed
        if json {
            printJSON(rows: rows, results: all, seconds: seconds)
        } else {
            for (name, groupPassed, groupFailed) in rows {
                print(
                    "\(name.padding(toLength: 36, withPad: " ", startingAt: 0)) \(String(format: "%4d", groupPassed)) passed \(String(format: "%4d", groupFailed)) failed"
                )
            }
            if failures {
                for result in all where !result.passed {
                    print("FAIL \(result.group)/\(result.name): \(result.expression.replacingOccurrences(of: "\n", with: " "))")
                    print("  expected: \(result.expected.prefix(300))")
                    print("  actual:   \(result.actual.prefix(300))")
                }
            }
            print(String(format: "time: %.2f s", seconds))
            print("\(passed) passed, \(failed) failed")
        }
        if failed > 0 { throw ExitCode(1) }
    }

    private func printJSON(rows: [(String, Int, Int)], results: [JSONataSuite.CaseResult], seconds: Double) {
        let groups = JSONValue.array(
            rows.map { row in
                .object(
                    JSONObject([
                        ("group", .string(row.0)), ("passed", .number(JSONNumber(Int64(row.1)))),
                        ("failed", .number(JSONNumber(Int64(row.2)))),
                    ]))
            })
        let failing = JSONValue.array(
            results.filter { !$0.passed }.map { result in
                .object(
                    JSONObject([
                        ("group", .string(result.group)), ("case", .string(result.name)),
                        ("expr", .string(result.expression)), ("expected", .string(result.expected)),
                        ("actual", .string(result.actual)),
                    ]))
            })
        let passed = results.filter(\.passed).count
        let report = JSONValue.object(
            JSONObject([
                ("passed", .number(JSONNumber(Int64(passed)))),
                ("failed", .number(JSONNumber(Int64(results.count - passed)))),
                ("seconds", .number(JSONNumber(seconds))),
                ("groups", groups), ("failures", failing),
            ]))
        print((try? report.jsonText(pretty: true)) ?? "{}")
    }
}

/// A progress line on a terminal (standard error); silent otherwise.
struct Progress {
    let total: Int
    private let isTerminal = isatty(STDERR_FILENO) != 0

    init(total: Int) { self.total = total }

    func update(_ index: Int, _ label: String) {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(index + 1)/\(total)] \(label)".utf8))
    }

    func finish() {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
