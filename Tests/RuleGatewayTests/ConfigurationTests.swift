import Flavors
import Foundation
import XCTest

@testable import RuleGateway

final class ConfigurationTests: XCTestCase {
    func testAConfigurationFileGivesEveryPart() throws {
        let configuration = try GatewayConfiguration(
            yaml: """
                listen: "[::1]:8080"
                templates: [a, b]
                plugins: p
                providers:
                  "*": {flavor: ollama, url: "http://127.0.0.1:11434"}
                  embed: {flavor: openai, url: "https://api.example.com/v1", key_env: EXAMPLE_KEY}
                limits: {max_request_bytes: 1024, max_upstream_calls: 8, upstream_read_seconds: 5}
                """, file: "gateway.yaml")
        XCTAssertEqual(configuration.host, "::1")
        XCTAssertEqual(configuration.port, 8080)
        XCTAssertEqual(configuration.templateDirectories, ["a", "b"])
        XCTAssertEqual(configuration.pluginDirectories, ["p"])
        XCTAssertEqual(configuration.limits.maximumRequestBytes, 1024)
        XCTAssertEqual(configuration.limits.maximumUpstreamCalls, 8)
        XCTAssertEqual(configuration.limits.upstreamReadSeconds, 5)
        XCTAssertEqual(configuration.provider(for: "embed")?.flavor, "openai")
        XCTAssertEqual(configuration.provider(for: "embed")?.keyEnvironmentVariable, "EXAMPLE_KEY")
        XCTAssertEqual(configuration.provider(for: "chat")?.flavor, "ollama")
    }

    func testConfigurationErrorsNameTheirPlace() {
        XCTAssertThrowsError(try GatewayConfiguration(yaml: "listen: 127.0.0.1:16688\nprovider: {}\n", file: "g.yaml")) { error in
            XCTAssertEqual(
                "\(error)", "g.yaml:2:1: unknown key 'provider'; the keys are listen, templates, plugins, providers and limits")
        }
        XCTAssertThrowsError(try GatewayConfiguration(yaml: "limits:\n  max_upstream_calls: zero\n", file: "g.yaml")) { error in
            XCTAssertEqual("\(error)", "g.yaml:2:23: max_upstream_calls must be an integer of at least 1")
        }
        XCTAssertThrowsError(try GatewayConfiguration(yaml: "providers:\n  chat: {url: x}\n", file: "g.yaml")) { error in
            XCTAssertEqual("\(error)", "g.yaml:2:9: the provider of 'chat' names no flavor")
        }
        XCTAssertThrowsError(try GatewayConfiguration(yaml: "listen: [1\n", file: "g.yaml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("g.yaml:2:1: "), "\(error)")
        }
        XCTAssertThrowsError(try GatewayConfiguration.listenAddress("localhost", location: "--listen")) { error in
            XCTAssertEqual("\(error)", "--listen: 'localhost' is not HOST:PORT (for example 127.0.0.1:16688)")
        }
    }

    func testProviderSpecifications() throws {
        let every = try ProviderConfiguration(specification: "ollama@http://127.0.0.1:11434", location: "--provider")
        XCTAssertEqual(every, ProviderConfiguration(flavor: "ollama", url: "http://127.0.0.1:11434"))
        let one = try ProviderConfiguration(specification: "chat=openai@https://h/v1?a=b", location: "--provider")
        XCTAssertEqual(one, ProviderConfiguration(service: "chat", flavor: "openai", url: "https://h/v1?a=b"))
        XCTAssertEqual(try ProviderConfiguration(specification: "embed=aliyun", location: "--provider").url, nil)
        for malformed in ["", "chat=", "=ollama", "ollama@", "chat=@http://h"] {
            XCTAssertThrowsError(try ProviderConfiguration(specification: malformed, location: "--provider"), malformed)
        }
    }

    func testProviderURLsJoinTheirAPIPath() {
        func joined(_ base: String, _ path: String) -> String {
            UpstreamService.joined(base: URL(string: base)!, apiPath: path).absoluteString
        }
        XCTAssertEqual(joined("http://127.0.0.1:11434", "/api/chat"), "http://127.0.0.1:11434/api/chat")
        XCTAssertEqual(joined("https://api.example.com/v1", "/v1/embeddings"), "https://api.example.com/v1/embeddings")
        XCTAssertEqual(joined("https://api.example.com/v1/", "/v1/embeddings"), "https://api.example.com/v1/embeddings")
        XCTAssertEqual(joined("http://h/openai/v1", "/v1/chat/completions"), "http://h/openai/v1/chat/completions")
        XCTAssertEqual(joined("http://h/api/chat", "/api/chat"), "http://h/api/chat")
        XCTAssertEqual(joined("http://h/proxy", "/api/chat"), "http://h/proxy/api/chat")
        XCTAssertEqual(
            joined("http://h/compatible-mode/v1", "/compatible-mode/v1/chat/completions"), "http://h/compatible-mode/v1/chat/completions")
    }

    func testProvidersResolveFromTheirTemplates() throws {
        let catalog = try RuleCatalog()
        let ollama = try UpstreamService.resolve(
            service: "chat", configuration: ProviderConfiguration(flavor: "ollama", url: "http://10.0.0.1:11434"), catalog: catalog,
            environment: [:])
        XCTAssertEqual(ollama.url.absoluteString, "http://10.0.0.1:11434/api/chat")
        XCTAssertEqual(ollama.method, "POST")
        let models = try UpstreamService.resolve(
            service: "models", configuration: ProviderConfiguration(flavor: "ollama"), catalog: catalog, environment: [:])
        XCTAssertEqual(models.url.absoluteString, "http://127.0.0.1:16677/api/tags")
        XCTAssertEqual(models.method, "GET")
        let openai = try UpstreamService.resolve(
            service: "chat", configuration: ProviderConfiguration(flavor: "openai", keyEnvironmentVariable: "KEY"), catalog: catalog,
            environment: ["KEY": "sk-1"])
        XCTAssertEqual(openai.url.absoluteString, "https://api.openai.com/v1/chat/completions")
        XCTAssertEqual(openai.authorization, "Bearer sk-1")

        XCTAssertThrowsError(
            try UpstreamService.resolve(
                service: "chat", configuration: ProviderConfiguration(flavor: "openai"), catalog: catalog, environment: [:])
        ) { error in
            XCTAssertTrue((error as! UpstreamService.Unavailable).reason.contains("--key-env chat=VARIABLE"), "\(error)")
        }
        XCTAssertThrowsError(
            try UpstreamService.resolve(
                service: "speech-to-text-ws", configuration: ProviderConfiguration(flavor: "aliyun"), catalog: catalog, environment: [:])
        ) { error in
            XCTAssertEqual((error as! UpstreamService.Unavailable).status, 501)
        }
        XCTAssertThrowsError(
            try UpstreamService.resolve(
                service: "chat", configuration: ProviderConfiguration(flavor: "nonesuch"), catalog: catalog, environment: [:]))
    }

    func testRoutesAreAOGs() throws {
        let routes = RouteTable(catalog: try RuleCatalog(), pluginFlavors: [])
        XCTAssertEqual(routes.route(method: "POST", path: "/aog/v0.2/services/chat"), Route(clientFlavor: "aog", service: "chat", isWebSocket: false))
        XCTAssertEqual(
            routes.route(method: "POST", path: "/aog/v0.2/api_flavors/openai/v1/chat/completions"),
            Route(clientFlavor: "openai", service: "chat", isWebSocket: false))
        XCTAssertEqual(routes.route(method: "POST", path: "/api/chat"), Route(clientFlavor: "ollama", service: "chat", isWebSocket: false))
        XCTAssertEqual(routes.route(method: "GET", path: "/api/tags/"), Route(clientFlavor: "ollama", service: "models", isWebSocket: false))
        XCTAssertEqual(
            routes.route(method: "GET", path: "/aog/v0.2/services/speech-to-text-ws"),
            Route(clientFlavor: "aog", service: "speech-to-text-ws", isWebSocket: true))
        XCTAssertNil(routes.route(method: "POST", path: "/chat/completions"), "deepseek installs no raw routes")
        XCTAssertNil(routes.route(method: "GET", path: "/api/chat"))
    }

    func testQueriesBecomeBodiesAndBack() throws {
        XCTAssertEqual(String(decoding: QueryText.object(from: "a=1&a=2&b=x%20y"), as: UTF8.self), #"{"a":["1","2"],"b":["x y"]}"#)
        XCTAssertEqual(String(decoding: QueryText.object(from: nil), as: UTF8.self), "{}")
        let url = QueryText.url(URL(string: "http://h/api/tags")!, query: Array(#"{"a":["1","2"],"n":3,"o":{}}"#.utf8))
        XCTAssertEqual(url.absoluteString, "http://h/api/tags?a=1&a=2&n=3")
        XCTAssertEqual(QueryText.url(URL(string: "http://h/x")!, query: Array("{}".utf8)).absoluteString, "http://h/x")
    }
}
