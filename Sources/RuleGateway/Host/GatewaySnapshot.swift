import Flavors
import Foundation
import Synchronization

/// What the gateway serves, fixed when it starts and after each reload: the
/// catalog, its routes and the resolved provider of each service. A call
/// takes the current snapshot once, so its route and provider stay those it
/// started with; its rules are the catalog's when each conversion begins.
struct GatewaySnapshot: Sendable {
    let catalog: RuleCatalog
    let routes: RouteTable
    /// The provider of each configured service, or why it cannot be called.
    private let upstreams: [String: Result<UpstreamService, UpstreamService.Unavailable>]
    /// The entry for every service not listed in `upstreams`.
    private let anyService: ProviderConfiguration?

    init(catalog: RuleCatalog, pluginFlavors: Set<String>, configuration: GatewayConfiguration, environment: [String: String]) {
        self.catalog = catalog
        routes = RouteTable(catalog: catalog, pluginFlavors: pluginFlavors)
        anyService = configuration.providers.last { $0.service == nil }
        var upstreams: [String: Result<UpstreamService, UpstreamService.Unavailable>] = [:]
        let services = Set(configuration.providers.compactMap(\.service))
            .union(anyService.flatMap { catalog.template($0.flavor)?.rules.services.keys }.map(Set.init) ?? [])
        for service in services {
            guard let provider = configuration.provider(for: service) else { continue }
            upstreams[service] = Result { () throws(UpstreamService.Unavailable) in
                try UpstreamService.resolve(service: service, configuration: provider, catalog: catalog, environment: environment)
            }
        }
        self.upstreams = upstreams
    }

    /// The provider of `service`.
    /// - Throws: ``UpstreamService/Unavailable`` when none is configured or it cannot be called.
    func upstream(for service: String) throws(UpstreamService.Unavailable) -> UpstreamService {
        guard let resolved = upstreams[service] else {
            throw UpstreamService.Unavailable(
                status: 503,
                reason:
                    "no provider serves '\(service)': start the gateway with --provider \(service)=FLAVOR@URL (or a providers entry in its configuration file)")
        }
        return try resolved.get()
    }

    /// One line per configured service: its provider and URL, or why it cannot be called.
    var providerDescriptions: [String] {
        upstreams.keys.sorted().map { service in
            switch upstreams[service]! {
            case .success(let upstream): return "\(service): \(upstream.flavor) at \(upstream.method) \(upstream.url.absoluteString)"
            case .failure(let unavailable): return "\(service): unavailable (\(unavailable.reason))"
            }
        }
    }
}

/// The current snapshot, replaced whole on reload.
final class SnapshotBox: Sendable {
    private let snapshot: Mutex<GatewaySnapshot>

    init(_ snapshot: GatewaySnapshot) { self.snapshot = Mutex(snapshot) }

    var current: GatewaySnapshot { snapshot.withLock { $0 } }

    func replace(with new: GatewaySnapshot) { snapshot.withLock { $0 = new } }
}
