import ArgumentParser
import Foundation
import Logging
import RuleGateway

/// `rulegateway`: serves the conversion rules over HTTP.
@main
struct RuleGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rulegateway",
        abstract: "Serve the conversion rules over HTTP: AOG's routes for clients, the configured providers upstream.",
        discussion: """
            Clients call AOG's own API (/aog/v0.2/services/SERVICE) or a flavor's (/aog/v0.2/api_flavors/FLAVOR/...,
            and the bare paths of flavors that install raw routes, such as ollama's /api/chat); each call is converted
            to the provider's flavor, sent, and its response or stream converted back.

            Example, every service served by a local Ollama:
              rulegateway --listen 127.0.0.1:16688 --provider ollama@http://127.0.0.1:11434

            Provider keys are read from environment variables named with --key-env (never given on the command line).
            SIGHUP reloads the template directories and plugins; SIGINT or SIGTERM stops after the calls in flight.
            """)

    @Option(help: "A configuration file (YAML: listen, templates, plugins, providers, limits); options given here add to it.")
    var config: String?

    @Option(help: "The address to listen on, HOST:PORT (port 0 picks a free one).")
    var listen: String?

    @Option(
        name: .customLong("provider"),
        help: "[SERVICE=]FLAVOR[@URL]: who serves SERVICE (every service of FLAVOR without SERVICE=), at URL (the template's url without it). Repeatable.")
    var providers: [String] = []

    @Option(name: .customLong("key-env"), help: "[SERVICE=]VARIABLE: the environment variable holding the provider's API key. Repeatable.")
    var keyEnvironmentVariables: [String] = []

    @Option(name: .customLong("templates"), help: "A directory of templates added to the built-in flavors. Repeatable.")
    var templateDirectories: [String] = []

    @Option(name: .customLong("plugin"), help: "A plugin directory (with its plugin.yaml). Repeatable.")
    var pluginDirectories: [String] = []

    @Option(help: "The largest request body accepted, in bytes.")
    var maxRequestBytes: Int?

    @Option(help: "Provider calls in flight at once; more are answered 503.")
    var maxUpstreamCalls: Int?

    @Option(help: "Seconds for a provider to answer with its status and headers.")
    var upstreamTimeout: Int?

    @Option(help: "Seconds a provider may stay silent in the middle of a body or stream.")
    var upstreamReadTimeout: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Flag(help: "Print the routes and the providers, then exit.")
    var printRoutes = false

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("--log-level: '\(logLevel)' is not a log level") }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let configuration: GatewayConfiguration
        let gateway: RuleGateway
        do {
            configuration = try gatewayConfiguration()
            gateway = try RuleGateway(configuration: configuration, logger: Logger(label: "rulegateway"))
        } catch {
            FileHandle.standardError.write(Data("rulegateway: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if printRoutes {
            print((gateway.routeDescriptions + gateway.providerDescriptions).joined(separator: "\n"))
            return
        }
        try await gateway.run { port in
            // Scripts and tests wait for this line.
            FileHandle.standardOutput.write(Data("rulegateway listening on \(configuration.host):\(port)\n".utf8))
        }
    }

    private func gatewayConfiguration() throws -> GatewayConfiguration {
        var configuration = GatewayConfiguration()
        if let config {
            let text: String
            do {
                text = try String(contentsOfFile: config, encoding: .utf8)
            } catch {
                throw GatewayConfigurationError(location: config, message: "cannot read the configuration file: \(error.localizedDescription)")
            }
            configuration = try GatewayConfiguration(yaml: text, file: config)
        }
        if let listen { (configuration.host, configuration.port) = try GatewayConfiguration.listenAddress(listen, location: "--listen") }
        for specification in providers {
            configuration.providers.append(try ProviderConfiguration(specification: specification, location: "--provider"))
        }
        for assignment in keyEnvironmentVariables {
            try assignKey(assignment, to: &configuration.providers)
        }
        configuration.templateDirectories += templateDirectories
        configuration.pluginDirectories += pluginDirectories
        if let maxRequestBytes { configuration.limits.maximumRequestBytes = maxRequestBytes }
        if let maxUpstreamCalls { configuration.limits.maximumUpstreamCalls = max(1, maxUpstreamCalls) }
        if let upstreamTimeout { configuration.limits.upstreamResponseSeconds = max(1, upstreamTimeout) }
        if let upstreamReadTimeout { configuration.limits.upstreamReadSeconds = max(1, upstreamReadTimeout) }
        return configuration
    }

    /// `SERVICE=VARIABLE` names the key of that service's provider;
    /// `VARIABLE` alone, of every provider that names none.
    private func assignKey(_ assignment: String, to providers: inout [ProviderConfiguration]) throws {
        let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.allSatisfy({ !$0.isEmpty }), !parts.isEmpty else {
            throw GatewayConfigurationError(location: "--key-env", message: "'\(assignment)' is not [SERVICE=]VARIABLE")
        }
        if parts.count == 1 {
            for index in providers.indices where providers[index].keyEnvironmentVariable == nil {
                providers[index].keyEnvironmentVariable = parts[0]
            }
            return
        }
        let matching = providers.indices.filter { providers[$0].service == parts[0] }
        guard !matching.isEmpty else {
            throw GatewayConfigurationError(location: "--key-env", message: "no --provider serves '\(parts[0])' (give --provider \(parts[0])=FLAVOR@URL first)")
        }
        for index in matching { providers[index].keyEnvironmentVariable = parts[1] }
    }
}
