import Hummingbird
import NIOCore

/// Answers every request: `GET /health`, the routes of the current
/// snapshot, and a 404 in the hub's error form for anything else.
struct GatewayResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let snapshots: SnapshotBox
    let services: GatewayServices

    func respond(to request: Request, context: Context) async throws -> Response {
        let startedAt = ContinuousClock.now
        let path = request.uri.path
        let method = request.method.rawValue
        if method == "GET", path == "/health" || path == "\(RouteTable.prefix)/services/health" {
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        let snapshot = snapshots.current
        guard let route = snapshot.routes.route(method: method, path: path) else {
            let failure = GatewayFailure(
                status: 404,
                message:
                    "no route for \(method) \(path); the gateway serves its own API under \(RouteTable.prefix)/services/ and each flavor's under \(RouteTable.prefix)/api_flavors/FLAVOR/",
                type: "invalid_request_error", code: "no_route")
            CallLog(logger: services.logger, method: method, path: path, route: nil)
                .write(status: 404, providerFlavor: nil, bytesOut: 0, elapsed: ContinuousClock.now - startedAt, error: failure.code)
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            return Response(status: .notFound, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: failure.hubErrorBody)))
        }
        let call = GatewayCall(
            route: route, snapshot: snapshot, services: services, startedAt: startedAt,
            log: CallLog(logger: services.logger, method: method, path: path, route: route))
        return await call.respond(to: request)
    }
}
