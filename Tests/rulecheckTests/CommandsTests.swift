import Foundation
import XCTest

/// Every subcommand, run as a user runs the built executable: exit codes,
/// output lines and error positions.
final class CommandsTests: XCTestCase {
    private static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func path(_ relative: String) -> String { Self.projectRoot.appendingPathComponent(relative).path }

    private func temporaryFile(_ name: String, _ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rulecheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    func testFixtureFilePassesWithClosingLine() throws {
        let result = try RuleCheckProcess.run([path("Tests/Fixtures/ollama/chat.json"), "ollama:chat"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("ok   AOG request to Ollama, with options\n"))
        XCTAssertTrue(result.standardOutput.hasSuffix(" passed, 0 failed\n"), result.standardOutput)
    }

    func testFixtureFolderRunsEveryRule() throws {
        let result = try RuleCheckProcess.run([path("Tests/Fixtures")])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("(aliyun:embed)"))
        XCTAssertTrue(result.standardOutput.contains("(openvino:rerank)"))
    }

    func testAFailingCaseShowsTheDifferencesAndExitsWithOne() throws {
        let fixture = try temporaryFile(
            "f.json",
            """
            {"rule": "openai:models", "cases": [{"name": "wrong", "conversion": "response_to_aog",
              "input": {"body": {"data": [{"id": "a"}]}}, "expect": {"body": {"models": [{"name": "b"}]}, "dropped": false}}]}
            """)
        let result = try RuleCheckProcess.run([fixture, "openai:models"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(
            result.standardOutput, "\(fixture) (openai:models)\nFAIL wrong\n       body.models[0].name: expected \"b\", got \"a\"\n0 passed, 1 failed\n")
        let json = try RuleCheckProcess.run([fixture, "openai:models", "--json"])
        XCTAssertEqual(json.status, 1)
        XCTAssertTrue(json.standardOutput.contains("\"actual\": {"), json.standardOutput)
        XCTAssertTrue(json.standardOutput.contains("\"models\": ["), json.standardOutput)
    }

    func testLoadErrorsExitWithTwoAndNameThePlace() throws {
        let broken = try temporaryFile("b.json", "{\"cases\": [\n  {\"name\": 1}\n]")
        var result = try RuleCheckProcess.run([broken, "ollama:chat"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.contains("\(broken):3:2: unexpected end of JSON text"), result.standardError)
        let unknownField = try temporaryFile(
            "u.json", #"{"cases": [{"name": "a", "conversion": "request_to_aog", "input": {"body": {}}, "expect": {"bodyy": {}}}]}"#)
        result = try RuleCheckProcess.run([unknownField, "ollama:chat"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.contains("unknown field 'bodyy' in expect of case 'a'"), result.standardError)
        result = try RuleCheckProcess.run([path("Tests/Fixtures/ollama/chat.json"), "ollama:nothing"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.contains("the file is for rule ollama:chat, not ollama:nothing"), result.standardError)
    }

    /// A broken service in --templates is printed; the fixtures of rules
    /// that loaded still run, and the exit status says something failed.
    func testFixturesRunWhenAnotherServiceFailedToLoad() throws {
        let template = try temporaryFile(
            "ollama.yaml",
            """
            name: ollama
            services:
              chat:
                request_from_aog:
                  conversion:
                    - converter: jsonata
                      config: '{"messages": messages}'
              embed:
                request_from_aog:
                  conversion:
                    - converter: jsonata
                      config: '{'
            """)
        let fixture = try temporaryFile(
            "chat.json",
            """
            {"rule": "ollama:chat", "cases": [{"name": "carried", "conversion": "request_from_aog",
              "input": {"body": {"messages": []}}, "expect": {"body": {"messages": []}}}]}
            """)
        let directory = (template as NSString).deletingLastPathComponent
        let result = try RuleCheckProcess.run([fixture, "ollama:chat", "--templates", directory])
        XCTAssertEqual(result.status, 2, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("ok   carried"), result.standardOutput)
        XCTAssertTrue(result.standardOutput.hasSuffix("1 passed, 0 failed\n"), result.standardOutput)
        XCTAssertTrue(result.standardError.contains("ollama.yaml:12:"), result.standardError)
    }

    func testLintPrintsPositionsAndExitCodes() throws {
        let template = try temporaryFile(
            "t.yaml",
            "name: t\nservices:\n  chat:\n    support_model: []\n    request_to_aog:\n      conversion:\n        - converter: jsonata\n          config: |\n            { \"a\": $undefinedFn(1) ,}\n"
        )
        let result = try RuleCheckProcess.run(["lint", template])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(
            result.standardOutput.split(separator: "\n").map(String.init),
            [
                "\(template):4:5: warning: unknown key 'support_model' in service chat (ignored); did you mean 'support_models'?",
                "\(template):9:37: error: S0211 The symbol } cannot be used as a unary operator",
            ])
        XCTAssertEqual(try RuleCheckProcess.run(["lint", "builtin"]).status, 0)
        XCTAssertEqual(try RuleCheckProcess.run(["lint", "/no/such/file.yaml"]).status, 2)
    }

    func testListRunExplainAndEval() throws {
        let list = try RuleCheckProcess.run(["list"])
        XCTAssertEqual(list.status, 0)
        XCTAssertTrue(list.standardOutput.contains("ollama:chat\n  conversions: request_to_aog, request_from_aog"), list.standardOutput)
        XCTAssertTrue(list.standardOutput.contains("  default model: deepseek-r1:7b"))

        let run = try RuleCheckProcess.run(
            ["run", "ollama:chat", "request_from_aog", "--var", "model=qwen3", "--var", "stream=false"],
            input: #"{"messages":[],"max_tokens":5}"#)
        XCTAssertEqual(run.status, 0, run.standardError)
        XCTAssertEqual(run.standardOutput, #"{"model":"qwen3","stream":false,"messages":[],"options":{"num_predict":5}}"#)

        let stream = try RuleCheckProcess.run(
            [
                "run", "openai:chat", "--client", "ollama", "--kind", "stream_response",
                "--header", "Content-Type: text/event-stream",
            ],
            input: "data: {\"model\":\"m\",\"choices\":[{\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\ndata: [DONE]\n\n")
        XCTAssertEqual(stream.status, 0, stream.standardError)
        XCTAssertEqual(stream.standardOutput, "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n")

        let failing = try RuleCheckProcess.run(["run", "ollama:chat", "request_from_aog"], input: "not json")
        XCTAssertEqual(failing.status, 1)
        XCTAssertTrue(failing.standardError.contains("body is not JSON"), failing.standardError)

        let explain = try RuleCheckProcess.run(["explain", "openai:chat", "stream_response_to_aog"])
        XCTAssertEqual(explain.status, 0)
        XCTAssertTrue(explain.standardOutput.contains("drop the content when the body (trimmed) matches \"[DONE]\""), explain.standardOutput)
        XCTAssertTrue(explain.standardOutput.contains("message        copied       choices[0].delta"), explain.standardOutput)

        let eval = try RuleCheckProcess.run(["eval", "$sum(items.price) * 2"], input: #"{"items":[{"price":1.5},{"price":2}]}"#)
        XCTAssertEqual(eval.standardOutput, "7\n")
        let evalError = try RuleCheckProcess.run(["eval", "--no-input", "1 +\n  $foo("])
        XCTAssertEqual(evalError.status, 1)
        XCTAssertEqual(evalError.standardError, "error S0207: Unexpected end of expression\n    $foo(\n         ^\n")
    }

    /// The bench measures real conversions: every scenario's output is checked.
    func testBenchScenariosProduceTheExpectedOutputs() throws {
        let result = try RuleCheckProcess.run(["bench", "--verify-only"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(result.standardOutput, "5 passed, 0 failed\n")
    }

    /// The performance guard: no scenario allocates more per conversion
    /// than the limit kept in the repository for this build.
    func testNoScenarioAllocatesMoreThanItsLimit() throws {
        #if DEBUG
            let configuration = "debug"
        #else
            let configuration = "release"
        #endif
        let result = try RuleCheckProcess.run(["bench", "--allocation-limits", path("Tests/Performance/allocation-limits.json")])
        XCTAssertEqual(result.status, 0, result.standardOutput + result.standardError)
        let checked = result.standardOutput.split(separator: "\n").filter {
            $0.contains(" allocations per conversion, \(configuration) limit ") && $0.hasSuffix(": ok")
        }
        XCTAssertEqual(checked.count, 5, result.standardOutput)
    }

    /// The dumped work of every scenario is complete: another engine that
    /// follows it gets the outputs (the command checks them against the
    /// conversions themselves before writing).
    func testBenchDumpWritesEveryScenariosWork() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dump-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try RuleCheckProcess.run(["bench", "--dump", directory.path])
        XCTAssertEqual(result.status, 0, result.standardError)
        for (name, hops, payloads) in [("S1", 1, 1), ("S2", 2, 1), ("S3", 1, 1), ("S4", 2, 200), ("S5", 1, 1)] {
            let work = try JSONSerialization.jsonObject(with: try Data(contentsOf: directory.appendingPathComponent("\(name).json")))
            guard let object = work as? [String: Any], let hopValues = object["hops"] as? [Any],
                let payloadValues = object["payloads"] as? [String], let outputValues = object["outputs"] as? [String]
            else { return XCTFail("\(name): not a work description") }
            XCTAssertEqual(hopValues.count, hops, name)
            XCTAssertEqual(payloadValues.count, payloads, name)
            XCTAssertEqual(outputValues.count, payloads, name)
        }
    }

    func testAnAllocationLimitThatIsExceededFails() throws {
        let limits = try temporaryFile(
            "limits.json", #"{"debug": {"S3": 1}, "release": {"S3": 1}}"#)
        let result = try RuleCheckProcess.run(["bench", "--scenario", "S3", "--allocation-limits", limits])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardOutput.contains("S3: ") && result.standardOutput.hasSuffix("EXCEEDS THE LIMIT\n"), result.standardOutput)
    }

    func testJSONataSuiteCommandReportsPerGroupAndClosingLine() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("suite-\(UUID().uuidString)")
        let group = root.appendingPathComponent("groups/arithmetic")
        try FileManager.default.createDirectory(at: group, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("datasets"), withIntermediateDirectories: true)
        try #"{"expr": "1 + 2", "data": null, "bindings": {}, "result": 3}"#.write(
            to: group.appendingPathComponent("case000.json"), atomically: true, encoding: .utf8)
        try #"{"expr": "1 + 2", "data": null, "bindings": {}, "result": 4}"#.write(
            to: group.appendingPathComponent("case001.json"), atomically: true, encoding: .utf8)
        let result = try RuleCheckProcess.run(["jsonata-suite", root.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardOutput.contains("arithmetic"), result.standardOutput)
        XCTAssertTrue(result.standardOutput.hasSuffix("1 passed, 1 failed\n"), result.standardOutput)
        let json = try RuleCheckProcess.run(["jsonata-suite", root.path, "--json"])
        XCTAssertTrue(json.standardOutput.contains("\"expected\": \"4\""), json.standardOutput)
    }
}
