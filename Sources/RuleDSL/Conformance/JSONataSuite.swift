import Foundation

/// Runs conformance cases in the layout of the JSONata test suite:
/// `groups/<group>/<case>.json` (an object, or an array of objects) and
/// `datasets/<name>.json`.
public struct JSONataSuite {
    /// The verdict on one case.
    public struct CaseResult: Sendable {
        public let group: String
        public let name: String
        public let expression: String
        public let passed: Bool
        /// What the case expects: a JSON text, "undefined", or "error CODE".
        public let expected: String
        /// What the engine gave, in the same form.
        public let actual: String
    }

    /// A problem with the suite itself (an unreadable case file).
    public struct SuiteError: Error, CustomStringConvertible {
        public let description: String
    }

    private let directory: URL
    private var datasets: [String: JSONDocument] = [:]
    /// Whether each case also runs through ``RuleExpression/write(_:bindings:limits:to:)``
    /// (the path conversions take): a case then passes only when the
    /// written text reads back as the expected result too (or the same
    /// error, or nothing for undefined).
    public var checksWrittenResults = false
    /// How each case's expression is planned; `PlannerOptions(shortcuts:
    /// false)` runs the suite on the general evaluation of every construct.
    public var plannerOptions = PlannerOptions()

    /// A suite rooted at `directory` (which holds `groups/` and `datasets/`).
    public init(directory: URL) {
        self.directory = directory
    }

    /// The group names, sorted.
    public func groups() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("groups").path)
            .filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Runs every case of `group`.
    /// - Throws: ``SuiteError`` when a case file is not valid JSON.
    public mutating func run(group: String) throws -> [CaseResult] {
        let folder = directory.appendingPathComponent("groups").appendingPathComponent(group)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        var results: [CaseResult] = []
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let document: JSONDocument
            do {
                document = try JSONDocument(bytes: Array(data))
            } catch {
                // A case whose file cannot be read (a lone surrogate escape, which
                // no Swift string can hold) counts as failed, with the reason.
                results.append(
                    CaseResult(
                        group: group, name: name, expression: "", passed: false,
                        expected: "(unreadable case file)", actual: "\(error)"))
                continue
            }
            if document.kind(at: document.root) == .array {
                for (index, caseIndex) in document.children(of: document.root).enumerated() {
                    results.append(try runCase(document, caseIndex, group: group, name: "\(name)[\(index)]", folder: folder))
                }
            } else {
                results.append(try runCase(document, document.root, group: group, name: name, folder: folder))
            }
        }
        return results
    }

    private mutating func dataset(_ name: String) throws -> JSONDocument {
        if let cached = datasets[name] { return cached }
        let data = try Data(contentsOf: directory.appendingPathComponent("datasets").appendingPathComponent(name + ".json"))
        let document = try JSONDocument(bytes: Array(data))
        datasets[name] = document
        return document
    }

    private mutating func runCase(_ file: JSONDocument, _ index: Int, group: String, name: String, folder: URL) throws -> CaseResult {
        func member(_ key: String) -> Int? { file.member(of: index, key: key) }
        var source = member("expr").map { file.string(at: $0) } ?? ""
        if let exprFile = member("expr-file") {
            source = (try? String(contentsOf: folder.appendingPathComponent(file.string(at: exprFile)), encoding: .utf8)) ?? ""
        }
        var input: Value? = nil
        if let data = member("data") {
            input = Value.fromDocument(file, data)
        } else if let datasetName = member("dataset"), file.kind(at: datasetName) == .string {
            input = Value(document: try dataset(file.string(at: datasetName)))
        }
        var bindings: [String: Value] = [:]
        if let bindingsIndex = member("bindings") {
            for binding in file.members(of: bindingsIndex) {
                bindings[file.string(at: binding.key)] = Value.fromDocument(file, binding.value)
            }
        }
        var limits = EvaluationLimits()
        if let depth = member("depth") { limits.maximumDepth = file.double(at: depth).saturatingInt() }
        if let timeLimit = member("timelimit") { limits.timeLimitMilliseconds = file.double(at: timeLimit).saturatingInt() }
        let unordered = member("unordered").map { file.bool(at: $0) } ?? false

        // The expected error code is `code`, or `error.code` in newer cases.
        let codeIndex = member("code") ?? member("error").flatMap { file.member(of: $0, key: "code") }
        let expected: String
        if let code = codeIndex {
            expected = "error " + file.string(at: code)
        } else if let result = member("result") {
            expected = Self.render(file.value(at: result))
        } else {
            expected = "undefined"
        }

        // Compiled once, for the evaluation and for the write path.
        let options = plannerOptions
        let compiled = Self.onLargeStack { () -> Result<RuleExpression, JSONataError> in
            do throws(JSONataError) {
                return .success(try RuleExpression(source, options: options))
            } catch {
                return .failure(error)
            }
        }
        let outcome = Self.onLargeStack { () -> Result<Value?, JSONataError> in
            do throws(JSONataError) {
                return .success(try compiled.get().evaluate(input, bindings: bindings, limits: limits))
            } catch {
                return .failure(error)
            }
        }
        /// Whether an outcome (text, and value when it is one) is what the case expects.
        func meetsExpectation(_ outcome: String, _ value: JSONValue?) -> Bool {
            if let code = codeIndex { return outcome.hasPrefix("error " + file.string(at: code)) }
            if let result = member("result") {
                return value.map { Self.equal(file.value(at: result), $0, unordered: unordered) } ?? false
            }
            return outcome == "undefined"
        }
        let actual: String
        var actualValue: JSONValue? = nil
        switch outcome {
        case .success(let result):
            actualValue = result?.jsonValue
            actual = actualValue.map(Self.render) ?? "undefined"
        case .failure(let error):
            actual = Self.describe(error)
        }
        var passed = meetsExpectation(actual, actualValue)
        var reported = actual
        if passed, checksWrittenResults {
            let written = Self.writtenOutcome(compiled, input, bindings: bindings, limits: limits)
            passed = meetsExpectation(written, try? JSONValue(parsing: Array(written.utf8)))
            if !passed { reported = "written: " + written }
        }
        return CaseResult(group: group, name: name, expression: source, passed: passed, expected: expected, actual: reported)
    }

    private static func describe(_ error: JSONataError) -> String { "error \(error.code): \(error.message)" }

    /// The text ``RuleExpression/write(_:bindings:limits:to:)`` gives,
    /// "undefined", or "error CODE: message".
    private static func writtenOutcome(
        _ compiled: Result<RuleExpression, JSONataError>, _ input: Value?,
        bindings: [String: Value], limits: EvaluationLimits
    ) -> String {
        let expression: RuleExpression
        switch compiled {
        case .success(let compiledExpression): expression = compiledExpression
        case .failure(let error): return describe(error)
        }
        return onLargeStack { () -> String in
            var writer = JSONWriter()
            do throws(ResultWriteError) {
                guard try expression.write(input, bindings: bindings, limits: limits, to: &writer) else { return "undefined" }
                return String(decoding: writer.bytes, as: UTF8.self)
            } catch {
                switch error {
                case .evaluation(let failure): return describe(failure)
                case .writing(let failure): return "error writing: \(failure)"
                }
            }
        }
    }

    /// Runs `body` on a thread with a 256 MiB stack: the suite's deep
    /// recursion cases measure the depth limit, not the test thread's stack
    /// (debug builds use large frames).
    private static func onLargeStack<T>(_ body: @escaping () -> T) -> T {
        let box = ResultBox(body)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = box.body()
            done.signal()
        }
        thread.stackSize = 256 << 20
        thread.start()
        done.wait()
        return box.value!
    }

    /// Carries a closure to another thread and its result back.
    private final class ResultBox<T>: @unchecked Sendable {
        var value: T?
        let body: () -> T
        init(_ body: @escaping () -> T) { self.body = body }
    }

    private static func render(_ value: JSONValue) -> String {
        (try? value.jsonText()) ?? "?"
    }

    /// Deep equality; with `unordered`, arrays compare as multisets at the top level.
    private static func equal(_ expected: JSONValue, _ actual: JSONValue, unordered: Bool) -> Bool {
        guard unordered, case .array(let left) = expected, case .array(var right) = actual, left.count == right.count else {
            return expected == actual
        }
        for item in left {
            guard let match = right.firstIndex(of: item) else { return false }
            right.remove(at: match)
        }
        return true
    }
}
