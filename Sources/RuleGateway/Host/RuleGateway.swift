import AsyncHTTPClient
import Flavors
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The gateway host: serves the rules of a catalog over HTTP, AOG's routes
/// on one side and the configured providers on the other.
///
/// ```swift
/// var configuration = GatewayConfiguration()
/// configuration.providers = [ProviderConfiguration(flavor: "ollama", url: "http://127.0.0.1:11434")]
/// let gateway = try RuleGateway(configuration: configuration, logger: Logger(label: "rulegateway"))
/// try await gateway.run()  // until SIGINT or SIGTERM; SIGHUP reloads
/// ```
public struct RuleGateway: Sendable {
    /// What the gateway serves.
    public let configuration: GatewayConfiguration
    private let environment: [String: String]
    private let logger: Logger
    private let catalog: RuleCatalog
    private let snapshots: SnapshotBox

    /// Loads the catalog (the built-in flavors, then the configuration's
    /// template directories and plugins) and resolves every provider.
    /// Template diagnostics are logged; a service whose template has an
    /// error is not served, the others are.
    /// - Parameter environment: where provider keys are read (the
    ///   process's environment by default).
    /// - Throws: ``GatewayConfigurationError`` for a directory or plugin
    ///   that cannot be read at all.
    public init(
        configuration: GatewayConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger
    ) throws {
        self.configuration = configuration
        self.environment = environment
        self.logger = logger
        catalog = try RuleCatalog()
        let pluginFlavors = try Self.load(configuration, into: catalog, logger: logger)
        snapshots = SnapshotBox(GatewaySnapshot(catalog: catalog, pluginFlavors: pluginFlavors, configuration: configuration, environment: environment))
        logSnapshot(snapshots.current)
    }

    /// Serves until SIGINT or SIGTERM (then drains calls in flight). SIGHUP
    /// reloads the template directories and plugins; a service that fails
    /// to reload keeps its previous version.
    /// - Parameter onListening: called with the port once the server listens.
    /// - Throws: when the address cannot be bound.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration())
        let services = GatewayServices(
            client: client, slots: UpstreamSlots(capacity: configuration.limits.maximumUpstreamCalls),
            limits: configuration.limits, ids: ResponseIdentifiers(), logger: logger)
        let application = Application(
            responder: GatewayResponder(snapshots: snapshots, services: services),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            services: [ReloadOnHangUp(reload: reload)],
            onServerRunning: { [logger] channel in
                let port = channel.localAddress?.port ?? 0
                logger.notice("listening", metadata: ["address": "\(configuration.host):\(port)"])
                await onListening(port)
            },
            logger: logger)
        do {
            try await application.runService()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// Reloads the template directories and plugins, then resolves the
    /// providers again. Diagnostics are logged; a failure keeps the
    /// previous snapshot.
    public func reload() {
        do {
            let pluginFlavors = try Self.load(configuration, into: catalog, logger: logger)
            let snapshot = GatewaySnapshot(catalog: catalog, pluginFlavors: pluginFlavors, configuration: configuration, environment: environment)
            snapshots.replace(with: snapshot)
            logger.notice("reloaded", metadata: ["routes": "\(snapshot.routes.descriptions.count)"])
            logSnapshot(snapshot)
        } catch {
            logger.error("reload failed; the previous templates stay", metadata: ["error": "\(error)"])
        }
    }

    /// The routes served, as `METHOD PATH`.
    public var routeDescriptions: [String] { snapshots.current.routes.descriptions }

    /// One line per configured service: its provider and URL, or why it cannot be called.
    public var providerDescriptions: [String] { snapshots.current.providerDescriptions }

    private static func load(_ configuration: GatewayConfiguration, into catalog: RuleCatalog, logger: Logger) throws -> Set<String> {
        for directory in configuration.templateDirectories {
            do {
                for diagnostic in try catalog.addDirectory(directory) {
                    logger.log(level: diagnostic.severity == .error ? .error : .warning, "\(diagnostic)")
                }
            } catch {
                throw GatewayConfigurationError(location: directory, message: "the template directory cannot be loaded: \(error)")
            }
        }
        var pluginFlavors: Set<String> = []
        for directory in configuration.pluginDirectories {
            do {
                pluginFlavors.insert(try catalog.addPlugin(directory: directory).provider.name)
            } catch {
                throw GatewayConfigurationError(location: directory, message: "the plugin cannot be loaded: \(error)")
            }
        }
        return pluginFlavors
    }

    private func logSnapshot(_ snapshot: GatewaySnapshot) {
        for warning in snapshot.routes.warnings { logger.warning("\(warning)") }
        for line in snapshot.providerDescriptions { logger.info("provider", metadata: ["service": "\(line)"]) }
    }

    private func clientConfiguration() -> HTTPClient.Configuration {
        let limits = configuration.limits
        var client = HTTPClient.Configuration()
        // No read timeout: it would also count the time a slow client holds
        // a stream back; UpstreamBody counts only the provider's silence.
        client.timeout = .init(connect: .seconds(Int64(limits.upstreamConnectSeconds)), read: nil)
        client.decompression = .disabled
        // A redirect would carry the provider's key elsewhere.
        client.redirectConfiguration = .disallow
        // Every call in flight may need a connection of its own to the same provider.
        client.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: limits.maximumUpstreamCalls)
        return client
    }
}

/// Reloads the gateway's templates on each SIGHUP.
private struct ReloadOnHangUp: Service {
    let reload: @Sendable () -> Void

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            reload()
        }
    }
}
