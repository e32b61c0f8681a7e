import Flavors
import Foundation

/// What a route serves: a service, spoken in a client flavor.
public struct Route: Sendable, Equatable {
    /// The flavor the client speaks (`aog` on the gateway's own API).
    public let clientFlavor: String
    /// The service called.
    public let service: String
    /// Whether the service is a WebSocket one (the client upgrades).
    public let isWebSocket: Bool
}

/// The HTTP routes of the catalog's flavors, as AOG installs them:
///
/// - `aog`'s endpoints at `/aog/v0.2/services/PATH` (a `WEBSOCKET` endpoint
///   at `GET /aog/v0.2/services/SERVICE`);
/// - every other template flavor's endpoints at
///   `/aog/v0.2/api_flavors/FLAVOR/PATH`, and also at their bare `PATH`
///   when the service has `install_raw_routes: true`.
///
/// Plugin flavors and gRPC services install none; only GET and POST are routed.
public struct RouteTable: Sendable {
    /// The prefix of every route but the raw ones.
    public static let prefix = "/aog/v0.2"

    private var routes: [String: Route] = [:]
    /// Endpoints that could not become routes, with the reason.
    public private(set) var warnings: [String] = []

    /// The routes of every flavor in `catalog` except `pluginFlavors`.
    public init(catalog: RuleCatalog, pluginFlavors: Set<String>) {
        for flavor in catalog.flavorNames where !pluginFlavors.contains(flavor) {
            guard let template = catalog.template(flavor) else { continue }
            for service in template.metadata.keys.sorted() {
                addRoutes(of: template, service: service)
            }
        }
    }

    /// The route a request's method and path reach, if any.
    public func route(method: String, path: String) -> Route? {
        routes[Self.key(method, Self.normalized(path))]
    }

    /// Every route, as `METHOD PATH`, sorted.
    public var descriptions: [String] { routes.keys.sorted() }

    private mutating func addRoutes(of template: FlavorTemplate, service: String) {
        guard let metadata = template.metadata[service], template.rules.services[service] != nil else { return }
        let protocolName = metadata.protocol.uppercased()
        if protocolName == "GRPC" || protocolName == "GRPC_STREAM" { return }
        for endpoint in metadata.endpoints {
            guard let space = endpoint.firstIndex(of: " ") else {
                warnings.append("\(template.name):\(service): endpoint '\(endpoint)' is not 'METHOD /path'; no route")
                continue
            }
            let method = endpoint[..<space].trimmingCharacters(in: .whitespaces).uppercased()
            let path = Self.normalized(String(endpoint[space...].trimmingCharacters(in: .whitespaces)))
            if template.name == "aog" {
                if method == "WEBSOCKET" {
                    add("GET", "\(Self.prefix)/services/\(service)", Route(clientFlavor: "aog", service: service, isWebSocket: true))
                } else {
                    add(method, "\(Self.prefix)/services\(path)", Route(clientFlavor: "aog", service: service, isWebSocket: false))
                }
                continue
            }
            let route = Route(clientFlavor: template.name, service: service, isWebSocket: metadata.exposeProtocol.uppercased() == "WEBSOCKET")
            add(method, "\(Self.prefix)/api_flavors/\(template.name)\(path)", route)
            if metadata.installRawRoutes { add(method, path, route) }
        }
    }

    private mutating func add(_ method: String, _ path: String, _ route: Route) {
        guard method == "GET" || method == "POST" else {
            warnings.append("\(route.clientFlavor):\(route.service): method \(method) of \(path) is not served (only GET and POST)")
            return
        }
        let key = Self.key(method, path)
        if let existing = routes[key], existing != route {
            warnings.append("\(key) is served by \(existing.clientFlavor):\(existing.service), not \(route.clientFlavor):\(route.service)")
            return
        }
        routes[key] = route
    }

    private static func key(_ method: String, _ path: String) -> String { "\(method) \(path)" }

    /// `path` with one leading slash, no repeated or trailing slashes.
    static func normalized(_ path: String) -> String {
        "/" + path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }
}
