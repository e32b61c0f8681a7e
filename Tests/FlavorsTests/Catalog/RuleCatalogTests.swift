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
        try write("ollama.yaml", """
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
        try write("ollama.yaml", "name: ollama\nservices:\n  chat:\n    request_from_aog:\n      conversion:\n        - converter: jsonata\n          config: '{'\n")
        let diagnostics = try catalog.addDirectory(directory.path)
        XCTAssertEqual(diagnostics.map(\.severity), [.error])
        XCTAssertTrue(diagnostics[0].description.hasSuffix("ollama.yaml:7:19: error: S0203 Expected } before end of expression")
                      || diagnostics[0].description.contains("ollama.yaml:7:"), diagnostics[0].description)
        XCTAssertEqual(try convert(catalog), #"{"custom":true}"#)
        // A good edit is swapped in.
        try write("ollama.yaml", "name: ollama\nservices:\n  chat:\n    request_from_aog:\n      conversion:\n        - converter: jsonata\n          config: '{\"v\": 2}'\n")
        try catalog.addDirectory(directory.path)
        XCTAssertEqual(try convert(catalog), #"{"v":2}"#)
    }

    func testAnOriginalAOGTemplateLoadsWithWarningsOnly() throws {
        // Keys AOG's own templates carry that the format does not have.
        try write("legacy.yaml", """
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
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
