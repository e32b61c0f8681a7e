import ConversionRules
import Flavors
import Foundation
import RuleDSL
import XCTest

final class PluginManifestTests: XCTestCase {
    private static let pluginDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Resources/sample-plugin").path

    func testManifestFieldsAreRead() throws {
        let manifest = try PluginManifest.load(directory: Self.pluginDirectory)
        XCTAssertEqual(manifest.provider.name, "acme-plugin")
        XCTAssertEqual(manifest.provider.type, "local")
        XCTAssertEqual(manifest.services.map(\.configRef), ["ollama:chat", "acme:embed"])
        XCTAssertEqual(manifest.services[0].timeout, 30)
        XCTAssertTrue(manifest.services[0].supportsStreaming)
        XCTAssertEqual(manifest.services[1].extraHeaders, ["X-Acme": "1"])
        XCTAssertEqual(manifest.platforms["linux_amd64"], PluginManifest.Platform(executable: "bin/linux/acme", dependencies: ["libfoo.so"]))
        XCTAssertEqual(manifest.warnings, [])
        let resources = try manifest.expandedResources(
            pluginDirectory: "/opt/acme", home: "/home/u", aogDataDirectory: "/var/lib/aog",
            workingDirectory: "/tmp")
        XCTAssertEqual(resources["data_dir"], "/var/lib/aog/engine/acme")
        XCTAssertEqual(resources["ollama.models_dir"], "/var/lib/aog/engine/acme/models")
        XCTAssertEqual(resources["ollama.download_dir"], "/home/u/Downloads")
    }

    func testConfigRefsResolveBuiltinFirstThenPluginTemplates() throws {
        let catalog = try RuleCatalog()
        try catalog.addPlugin(directory: Self.pluginDirectory)
        let plugin = try catalog.flavor("acme-plugin")
        let chat = try plugin.service("chat")
        XCTAssertEqual(chat.name, "acme-plugin:chat")
        XCTAssertEqual(chat.definedConversions.count, 6, "ollama:chat's conversions")
        let embed = try plugin.service("embed")
        guard case .content(let content) = try embed.convert(.requestFromAOG, HTTPContent(text: #"{"input":"hi"}"#), variables: ["model": .string("e1")]) else {
            return XCTFail("dropped")
        }
        XCTAssertEqual(String(decoding: content.body, as: UTF8.self), #"{"model":"e1","texts":["hi"]}"#)
        XCTAssertEqual(catalog.template("acme-plugin")?.metadata["chat"]?.url, "http://127.0.0.1:18080/v1/chat")
        // A two-hop request from an OpenAI client to the plugin provider.
        let converter = try TwoHopConverter(base: .request, service: "chat", from: try catalog.flavor("openai"), to: plugin)
        guard
            case .content(let converted) = try converter.convert(
                HTTPContent(text: #"{"messages":[],"temperature":1}"#),
                variables: ["model": .string("m"), "stream": .bool(false)])
        else {
            return XCTFail("dropped")
        }
        XCTAssertEqual(
            try JSONValue(parsing: converted.body), try JSONValue(parsing: #"{"model":"m","stream":false,"messages":[],"options":{"temperature":1}}"#))
    }

    func testManifestErrorsNameTheServiceAndPosition() {
        let text = """
            provider:
              name: broken
              type: cloud
            services:
              - service_name: chat
              - service_name: embed
                config_ref: "ollama"
                timeout: soon
                colour: blue
            """
        XCTAssertEqual(
            PluginManifest.lint(text: text, file: "plugin.yaml").map(\.description),
            [
                "plugin.yaml:3:9: error: provider.type must be local or remote, not 'cloud'",
                "plugin.yaml:5:5: error: service chat needs a config_ref (FLAVOR:SERVICE, e.g. ollama:chat)",
                "plugin.yaml:7:17: error: config_ref 'ollama' of service embed must be FLAVOR:SERVICE",
                "plugin.yaml:8:14: error: timeout must be an integer number of seconds",
                "plugin.yaml:9:5: warning: unknown key 'colour' in a service (ignored)",
            ])
    }

    func testAConfigRefToAMissingServiceIsAnError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        {"provider": {"name": "p", "type": "remote"}, "services": [{"service_name": "chat", "config_ref": "ollama:nothing"}]}
        """.write(to: directory.appendingPathComponent("plugin.json"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RuleCatalog().addPlugin(directory: directory.path)) { error in
            XCTAssertTrue("\(error)".contains("service chat: config_ref ollama:nothing: flavor ollama has no service nothing"), "\(error)")
        }
    }

    /// Names are plain, so a config_ref cannot reach a file outside the
    /// plugin's templates/ folder.
    func testNamesMustBePlain() {
        let text = """
            provider:
              name: ../x
              type: remote
            services:
              - service_name: a/b
                config_ref: "../../outside/evil:chat"
              - service_name: ok
                config_ref: "ollama:c d"
            """
        XCTAssertEqual(
            PluginManifest.lint(text: text, file: "plugin.yaml").map(\.description),
            [
                "plugin.yaml:2:9: error: provider.name '../x' is not a plain name: use letters, digits, '.', '_' and '-', starting with a letter or digit",
                "plugin.yaml:5:5: error: service_name 'a/b' is not a plain name: use letters, digits, '.', '_' and '-', starting with a letter or digit",
                "plugin.yaml:6:17: error: config_ref '../../outside/evil:chat' of service a/b: flavor and service must be plain names (letters, digits, '.', '_' and '-'); a flavor is found in the catalog or in the plugin's templates/ folder",
                "plugin.yaml:8:17: error: config_ref 'ollama:c d' of service ok: flavor and service must be plain names (letters, digits, '.', '_' and '-'); a flavor is found in the catalog or in the plugin's templates/ folder",
            ])
    }

    /// A plugin named after a built-in flavor once replaced it silently
    /// (and openai:models disappeared).
    func testAPluginMayNotTakeAnExistingFlavorsName() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        provider:
          name: openai
          type: remote
        services:
          - service_name: chat
            config_ref: ollama:chat
        """.write(to: directory.appendingPathComponent("plugin.yaml"), atomically: true, encoding: .utf8)
        let catalog = try RuleCatalog()
        XCTAssertThrowsError(try catalog.addPlugin(directory: directory.path)) { error in
            XCTAssertTrue("\(error)".contains("plugin.yaml:2:9: provider name 'openai' is already the name of a flavor"), "\(error)")
        }
        XCTAssertEqual(try catalog.rule("openai:models").template.file, "builtin:openai.yaml")
    }
}
