import ConversionRules
import Flavors
import Foundation
import XCTest

final class RuleCatalogTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ name: String, _ text: String) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    private func convert(_ catalog: RuleCatalog) throws -> String {
        let rule = try catalog.rule("ollama:chat")
        guard case .content(let content) = try rule.rules.convert(.requestFromAOG, HTTPContent(text: "{}"), variables: [:]) else { return "dropped" }
        return String(decoding: content.body, as: UTF8.self)
    }

    func testConfigRefLookupAndErrors() throws {
        let catalog = try RuleCatalog()
        XCTAssertEqual(try catalog.rule("aliyun:embed").metadata.defaultModel, "text-embedding-v1")
        XCTAssertThrowsError(try catalog.rule("ollama")) { XCTAssertEqual("\($0)", "config_ref 'ollama' must be FLAVOR:SERVICE, e.g. ollama:chat") }
        XCTAssertThrowsError(try catalog.rule("nope:chat")) { XCTAssertTrue("\($0)".contains("no flavor 'nope'")) }
        XCTAssertThrowsError(try catalog.rule("ollama:rerank")) { XCTAssertEqual("\($0)", "flavor ollama has no service rerank") }
        XCTAssertEqual(catalog.flavorNames, ["aliyun", "aog", "baidu", "deepseek", "ollama", "openai", "openvino", "tencent"])
    }

    func testAddedDirectoryOverridesBuiltinAndReloadKeepsTheLastGoodVersion() throws {
        let catalog = try RuleCatalog()
        XCTAssertEqual(try convert(catalog), #"{"options":{}}"#)
        try write(
            "ollama.yaml",
            """
            name: ollama
            services:
              chat:
                request_from_aog:
                  conversion:
                    - converter: jsonata
                      config: '{"custom": true}'
            """)
        XCTAssertEqual(try catalog.addDirectory(directory.path), [])
        XCTAssertEqual(try convert(catalog), #"{"custom":true}"#)
        // A broken edit does not replace the version in service.
        try write(
            "ollama.yaml", "name: ollama\nservices:\n  chat:\n    request_from_aog:\n      conversion:\n        - converter: jsonata\n          config: '{'\n")
        let diagnostics = try catalog.addDirectory(directory.path)
        XCTAssertEqual(diagnostics.map(\.severity), [.error])
        XCTAssertTrue(
            diagnostics[0].description.hasSuffix("ollama.yaml:7:19: error: S0203 Expected } before end of expression")
                || diagnostics[0].description.contains("ollama.yaml:7:"), diagnostics[0].description)
        XCTAssertEqual(try convert(catalog), #"{"custom":true}"#)
        // A good edit is swapped in.
        try write(
            "ollama.yaml",
            "name: ollama\nservices:\n  chat:\n    request_from_aog:\n      conversion:\n        - converter: jsonata\n          config: '{\"v\": 2}'\n")
        try catalog.addDirectory(directory.path)
        XCTAssertEqual(try convert(catalog), #"{"v":2}"#)
    }

    func testAnOriginalAOGTemplateLoadsWithWarningsOnly() throws {
        // Keys AOG's own templates carry that the format does not have.
        try write(
            "legacy.yaml",
            """
            version: "v0.1"
            name: legacy
            auth_type: "apikey"
            services:
              speech-to-text:
                support_model: ["asr"]
                auth_fileds: [app_key]
                install_raw_routes:
                extra_headers: '{}'
                request_to_aog:
                  conversion:
                    - converter: jsonata
                      config: |
                        { "speech": speech }
            """)
        let diagnostics = try RuleCatalog().addDirectory(directory.path)
        XCTAssertEqual(diagnostics.map(\.severity), [.warning, .warning, .warning])
        XCTAssertTrue(diagnostics[1].message.contains("did you mean 'support_models'"))
    }

    /// A service with an error fails alone: the file's other services load
    /// and serve, the error names its place, and a reload that breaks a
    /// service keeps that service's last good version.
    func testAFailingServiceFailsAloneAndKeepsItsLastGoodVersion() throws {
        let catalog = try RuleCatalog()
        let good = """
            name: acme
            services:
              chat:
                request_from_aog:
                  conversion:
                    - converter: jsonata
                      config: '{"chat": VERSION}'
              embed:
                request_from_aog:
                  conversion:
                    - converter: jsonata
                      config: '{"embed": VERSION}'
            """
        try write("acme.yaml", good.replacingOccurrences(of: "VERSION", with: "1"))
        XCTAssertEqual(try catalog.addDirectory(directory.path), [])
        try write("acme.yaml", good.replacingOccurrences(of: "{\"chat\": VERSION}", with: "{").replacingOccurrences(of: "VERSION", with: "2"))
        let diagnostics = try catalog.addDirectory(directory.path)
        XCTAssertEqual(diagnostics.map(\.severity), [.error])
        XCTAssertTrue(diagnostics[0].description.contains("acme.yaml:7:"), diagnostics[0].description)
        let template = try XCTUnwrap(catalog.template("acme"))
        XCTAssertEqual(template.failedServices, ["chat"])
        XCTAssertEqual(try body(catalog, "acme:embed"), #"{"embed":2}"#)
        XCTAssertEqual(try body(catalog, "acme:chat"), #"{"chat":1}"#)

        let fresh = try RuleCatalog()
        _ = try fresh.addDirectory(directory.path)
        XCTAssertEqual(try body(fresh, "acme:embed"), #"{"embed":2}"#)
        XCTAssertThrowsError(try fresh.rule("acme:chat"))
    }

    /// The templates of the original gateway, as it shipped them: keys the
    /// format does not have (a top-level auth_type, support_model,
    /// auth_fileds) and an extra_headers that is not JSON. Reproduced from
    /// the built-in templates; they load with warnings only, the malformed
    /// value left out, and every fixture passes against them.
    func testTemplatesWithTheOriginalGatewaysDefectsLoadAndPassEveryFixture() throws {
        for name in BuiltinTemplates.flavorNames {
            var text = BuiltinTemplates.text(of: name)!
            switch name {
            case "baidu":
                text = text.replacingOccurrences(
                    of: #"extra_headers: '{"Content-Type": "application/x-www-form-urlencoded"}'"#,
                    with: #"extra_headers: '{"Content-Type", "application/x-www-form-urlencoded"}'"#)
            case "aliyun":
                text = text.replacingOccurrences(of: "    support_models: [qwen-tts]", with: "    support_model: [qwen-tts]\n    auth_fileds: [api_key]")
            case "openai":
                text = text.replacingOccurrences(of: "name: openai\n", with: "name: openai\nauth_type: \"apikey\"\n")
            default: break
            }
            try write("\(name).yaml", text)
        }
        let catalog = try RuleCatalog()
        let diagnostics = try catalog.addDirectory(directory.path)
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }, [])
        let messages = diagnostics.map(\.description)
        XCTAssertTrue(
            messages.contains { $0.contains("baidu.yaml:") && $0.contains("extra_headers must be") && $0.contains("loads without it") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("openai.yaml:") && $0.contains(":1: warning: unknown key 'auth_type' in the template") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("unknown key 'support_model'") && $0.contains("did you mean 'support_models'") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("unknown key 'auth_fileds'") }, "\(messages)")
        XCTAssertEqual(try catalog.rule("baidu:text-to-speech").metadata.extraHeaders, [:])
        XCTAssertEqual(try catalog.rule("baidu:text-to-speech").template.file, directory.appendingPathComponent("baidu.yaml").path)

        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures")
        var cases = 0
        for flavor in try FileManager.default.contentsOfDirectory(atPath: fixtures.path).sorted() {
            for file in try FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent(flavor).path).sorted() {
                let url = fixtures.appendingPathComponent(flavor).appendingPathComponent(file)
                let fixture = try FixtureFile(bytes: Array(try Data(contentsOf: url)), file: file)
                let rule = try catalog.rule(try XCTUnwrap(fixture.rule))
                for result in FixtureRunner.run(fixture, rule: rule, catalog: catalog) {
                    XCTAssertTrue(result.passed, "\(flavor)/\(file): \(result.name)\n" + result.differences.joined(separator: "\n"))
                    cases += 1
                }
            }
        }
        XCTAssertGreaterThan(cases, 100)
    }

    func testAFileThatIsNotUTF8NamesTheByte() throws {
        try Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0x0A, 0x61, 0xFF, 0x62]).write(to: directory.appendingPathComponent("bad.yaml"))
        let diagnostics = try RuleCatalog().addDirectory(directory.path)
        XCTAssertEqual(
            diagnostics.map(\.description),
            [
                directory.appendingPathComponent("bad.yaml").path + ":2:2: error: the file is not UTF-8 text: invalid byte 0xff at byte offset 8"
            ])
    }

    private func body(_ catalog: RuleCatalog, _ configRef: String) throws -> String {
        let rule = try catalog.rule(configRef)
        guard case .content(let content) = try rule.rules.convert(.requestFromAOG, HTTPContent(text: "{}"), variables: [:]) else { return "dropped" }
        return String(decoding: content.body, as: UTF8.self)
    }

    func testLookupsFromManyThreadsWhileReloading() throws {
        let catalog = try RuleCatalog()
        try write("ollama.yaml", "name: ollama\nservices:\n  chat: {}\n")
        let failures = LockedCount()
        let path = directory.path
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            for _ in 0..<50 {
                if index == 0 {
                    _ = try? catalog.addDirectory(path)
                } else if (try? catalog.rule("ollama:chat")) == nil {
                    failures.add()
                }
            }
        }
        XCTAssertEqual(failures.value, 0)
    }
}

final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() {
        lock.lock()
        count += 1
        lock.unlock()
    }
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
