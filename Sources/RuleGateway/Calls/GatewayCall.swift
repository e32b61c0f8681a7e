import AsyncHTTPClient
import ConversionRules
import Flavors
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import RuleDSL

/// One call through the gateway: the client's request converted from its
/// flavor to the provider's (two hops through the hub schema), the provider
/// called, its response or stream converted back. Every failure becomes an
/// answer in the client flavor's error form; nothing here throws past
/// ``respond(to:)``.
struct GatewayCall {
    let route: Route
    let snapshot: GatewaySnapshot
    let services: GatewayServices
    let startedAt: ContinuousClock.Instant
    let log: CallLog

    /// The answer to `request`.
    func respond(to request: Request) async -> Response {
        do {
            return try await forward(request)
        } catch let failure as GatewayFailure {
            return failed(failure, providerFlavor: nil)
        } catch {
            return failed(GatewayFailure(status: 500, message: "the gateway failed: \(error)", type: "api_error", code: "internal_error"), providerFlavor: nil)
        }
    }

    private func forward(_ request: Request) async throws -> Response {
        if route.isWebSocket {
            throw GatewayFailure(
                status: 501, message: "\(route.service) is a WebSocket service, which the gateway does not implement yet",
                type: "api_error", code: "not_implemented")
        }
        let upstream: UpstreamService
        do throws(UpstreamService.Unavailable) {
            upstream = try snapshot.upstream(for: route.service)
        } catch {
            throw GatewayFailure(status: error.status, message: error.reason, type: "api_error", code: error.status == 501 ? "not_implemented" : "no_provider")
        }
        let content = try await clientContent(request)
        let variables = try requestVariables(content, upstream: upstream)
        let converted = try convertRequest(content, upstream: upstream, variables: variables)
        guard let converted else { return finished(Response(status: .noContent), providerFlavor: upstream.flavor, bytesOut: 0) }
        guard let lease = services.slots.lease() else {
            throw GatewayFailure(
                status: 503, message: "the gateway has \(services.slots.capacity) provider calls in flight, its limit; try again shortly",
                type: "api_error", code: "too_many_upstream_calls")
        }
        let response = try await call(upstream, with: converted)
        return try await answer(response, upstream: upstream, lease: lease)
    }

    // MARK: The request

    /// The client's headers and body; a GET's body is its query as an
    /// object of string arrays (`?a=1&a=2` is `{"a": ["1", "2"]}`).
    private func clientContent(_ request: Request) async throws -> HTTPContent {
        var headers = ConversionRules.HTTPHeaders()
        for field in request.headers where !HeaderPolicy.notForwardedToProviders.contains(field.name.canonicalName) {
            headers.add(field.name.rawName, field.value)
        }
        if request.method == .get {
            headers.set("Content-Type", "application/json")
            return HTTPContent(headers: headers, body: QueryText.object(from: request.uri.query))
        }
        do {
            let buffer = try await request.body.collect(upTo: services.limits.maximumRequestBytes)
            return HTTPContent(headers: headers, body: Array(buffer.readableBytesView))
        } catch is NIOTooManyBytesError {
            throw GatewayFailure(
                status: 413, message: "the request body is larger than the gateway's limit of \(services.limits.maximumRequestBytes) bytes",
                type: "invalid_request_error", code: "request_too_large")
        }
    }

    /// `$stream` and `$model` for the request conversion: the client body's
    /// top-level `stream` (false when absent) and `model` (else the
    /// provider's default model).
    private func requestVariables(_ content: HTTPContent, upstream: UpstreamService) throws -> [String: Value] {
        var variables: [String: Value] = ["stream": .bool(false)]
        if let model = upstream.defaultModel { variables["model"] = .string(model) }
        if content.isBinary { return variables }
        let document: JSONDocument
        do {
            document = try JSONDocument(bytes: content.body)
        } catch {
            throw GatewayFailure(
                status: 400, message: "the request body is not JSON: \(error)", type: "invalid_request_error", code: "invalid_json")
        }
        guard document.kind(at: document.root) == .object else { return variables }
        if let stream = document.member(of: document.root, key: "stream") {
            switch document.kind(at: stream) {
            case .boolean: variables["stream"] = .bool(document.bool(at: stream))
            case .null: break
            default:
                throw GatewayFailure(status: 400, message: "the request's stream must be true or false", type: "invalid_request_error", code: "invalid_stream")
            }
        }
        if let model = document.member(of: document.root, key: "model"), document.kind(at: model) == .string {
            let name = document.string(at: model)
            if !name.isEmpty { variables["model"] = .string(name) }
        }
        return variables
    }

    /// The request in the provider's flavor, or nil when a rule dropped it.
    private func convertRequest(_ content: HTTPContent, upstream: UpstreamService, variables: [String: Value]) throws -> HTTPContent? {
        do {
            let converter = try converter(.request, from: route.clientFlavor, to: upstream.flavor)
            switch try converter.convert(content, variables: variables) {
            case .content(let converted): return converted
            case .dropped: return nil
            }
        } catch let error as GatewayFailure {
            throw error
        } catch {
            throw GatewayFailure(
                status: 400, message: "the request could not be converted for \(upstream.flavor): \(error)",
                type: "invalid_request_error", code: "request_conversion_failed")
        }
    }

    private func converter(_ base: ConversionKind.Base, from source: String, to target: String) throws -> TwoHopConverter {
        try TwoHopConverter(base: base, service: route.service, from: snapshot.catalog.flavor(source), to: snapshot.catalog.flavor(target))
    }

    // MARK: The provider call

    private func call(_ upstream: UpstreamService, with content: HTTPContent) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: upstream.url.absoluteString)
        request.method = upstream.method == "GET" ? .GET : .POST
        for (name, value) in content.headers where !HeaderPolicy.notForwardedToProviders.contains(name.lowercased()) {
            if !request.headers.contains(name: name) { request.headers.add(name: name, value: value) }
        }
        for (name, value) in upstream.extraHeaders { request.headers.replaceOrAdd(name: name, value: value) }
        if let authorization = upstream.authorization { request.headers.replaceOrAdd(name: "Authorization", value: authorization) }
        if upstream.method == "GET" {
            request.url = QueryText.url(upstream.url, query: content.body).absoluteString
            request.headers.remove(name: "Content-Type")
        } else {
            request.body = .bytes(ByteBuffer(bytes: content.body))
        }
        log.recordBytesIn(content.body.count)
        do {
            return try await services.client.execute(request, timeout: .seconds(Int64(services.limits.upstreamResponseSeconds)))
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw GatewayFailure(
                status: 504, message: "the provider (\(upstream.flavor)) did not answer within \(services.limits.upstreamResponseSeconds) s",
                type: "api_error", code: "upstream_timeout")
        } catch {
            throw GatewayFailure(
                status: 502, message: "the provider (\(upstream.flavor)) at \(upstream.url.host ?? "") could not be reached: \(error)",
                type: "api_error", code: "upstream_unreachable")
        }
    }

    // MARK: The response

    private func answer(_ response: HTTPClientResponse, upstream: UpstreamService, lease: UpstreamSlots.Lease) async throws -> Response {
        let status = Int(response.status.code)
        let headers = ConversionRules.HTTPHeaders(response.headers.map { (name: $0.name, value: $0.value) })
        let body = UpstreamBody(response.body, idleSeconds: services.limits.upstreamReadSeconds)
        guard (200..<300).contains(status) else {
            return try await providerError(status: status, headers: headers, body: body, upstream: upstream)
        }
        if StreamFraming(contentType: headers["Content-Type"]) != nil {
            return try await stream(body, status: status, headers: headers, upstream: upstream, lease: lease)
        }
        if HTTPContent(headers: headers).isBinary {
            return passThrough(body, status: status, headers: headers, upstream: upstream, lease: lease)
        }
        let bytes = try await collect(body, upstream: upstream)
        let converted: StepOutcome
        do {
            converted = try converter(.response, from: upstream.flavor, to: route.clientFlavor)
                .convert(HTTPContent(headers: headers, body: bytes), variables: ["id": .string(services.ids.next())])
        } catch {
            throw GatewayFailure(
                status: 502, message: "the provider's response could not be converted: \(error)", type: "api_error", code: "response_conversion_failed")
        }
        guard case .content(let content) = converted else {
            return finished(Response(status: .noContent), providerFlavor: upstream.flavor, bytesOut: 0)
        }
        return finished(
            Response(
                status: .init(code: status), headers: HeaderPolicy.clientFields(content.headers), body: .init(byteBuffer: ByteBuffer(bytes: content.body))),
            providerFlavor: upstream.flavor, bytesOut: content.body.count)
    }

    private func collect(_ body: UpstreamBody, upstream: UpstreamService) async throws -> [UInt8] {
        do {
            return try await body.collect(upTo: services.limits.maximumResponseBytes)
        } catch is NIOTooManyBytesError {
            throw GatewayFailure(
                status: 502, message: "the provider's response is larger than the gateway's limit of \(services.limits.maximumResponseBytes) bytes",
                type: "api_error", code: "response_too_large")
        } catch let silence as UpstreamBody.Silence {
            throw GatewayFailure(status: 504, message: "\(silence)", type: "api_error", code: "upstream_timeout")
        } catch {
            throw GatewayFailure(status: 502, message: "the provider's response broke off: \(error)", type: "api_error", code: "upstream_failed")
        }
    }

    /// A provider's error answer, in the client's error form and with the
    /// provider's status: converted by the rules when they map it to an
    /// `error` member, else described by the gateway.
    private func providerError(
        status: Int, headers: ConversionRules.HTTPHeaders, body: UpstreamBody, upstream: UpstreamService
    ) async throws -> Response {
        let text = try await collect(body, upstream: upstream)
        if let converted = try? converter(.response, from: upstream.flavor, to: route.clientFlavor)
            .convert(HTTPContent(headers: headers, body: text), variables: ["id": .string(services.ids.next())]),
            case .content(let content) = converted, GatewayFailure.isErrorForm(content.body)
        {
            return finished(
                Response(
                    status: .init(code: status), headers: HeaderPolicy.clientFields(content.headers), body: .init(byteBuffer: ByteBuffer(bytes: content.body))),
                providerFlavor: upstream.flavor, bytesOut: content.body.count)
        }
        let excerpt = String(decoding: text.prefix(500), as: UTF8.self)
        throw GatewayFailure(
            status: status, message: "the provider (\(upstream.flavor)) answered \(status)\(excerpt.isEmpty ? "" : ": \(excerpt)")",
            type: status < 500 ? "invalid_request_error" : "api_error", code: "upstream_status_\(status)")
    }

    private func stream(
        _ body: UpstreamBody, status: Int, headers: ConversionRules.HTTPHeaders, upstream: UpstreamService,
        lease: UpstreamSlots.Lease
    ) async throws -> Response {
        let relay = try StreamRelay(
            converter: converter(.streamResponse, from: upstream.flavor, to: route.clientFlavor), inputHeaders: headers,
            id: services.ids.next(), upstream: body, lease: lease)
        let first: StreamOutput
        do {
            first = try await relay.firstOutput()
        } catch {
            throw GatewayFailure(status: 502, message: "the provider's stream failed: \(error)", type: "api_error", code: "stream_failed")
        }
        var fields = HeaderPolicy.clientFields(relay.outputHeaders)
        if relay.framing == .serverSentEvents { fields[.cacheControl] = "no-cache" }
        let call = self
        return Response(
            status: .init(code: status), headers: fields,
            body: ResponseBody { writer in
                let bytesOut = try await relay.relay(first, to: &writer) { message in
                    GatewayFailure(status: 502, message: message, type: "api_error", code: "stream_failed")
                        .body(clientFlavor: call.route.clientFlavor, service: call.route.service, catalog: call.snapshot.catalog, inStream: true)
                }
                call.log.write(status: status, providerFlavor: upstream.flavor, bytesOut: bytesOut, elapsed: ContinuousClock.now - call.startedAt)
            })
    }

    /// Audio, images and other binary bodies: passed as they arrive.
    private func passThrough(
        _ body: UpstreamBody, status: Int, headers: ConversionRules.HTTPHeaders, upstream: UpstreamService,
        lease: UpstreamSlots.Lease
    ) -> Response {
        let call = self
        return Response(
            status: .init(code: status), headers: HeaderPolicy.clientFields(headers),
            body: ResponseBody { writer in
                var bytesOut = 0
                while let buffer = try await body.next() {
                    bytesOut += buffer.readableBytes
                    try await writer.write(buffer)
                }
                try await writer.finish(nil)
                withExtendedLifetime(lease) {}
                call.log.write(status: status, providerFlavor: upstream.flavor, bytesOut: bytesOut, elapsed: ContinuousClock.now - call.startedAt)
            })
    }

    // MARK: Answers

    private func failed(_ failure: GatewayFailure, providerFlavor: String?) -> Response {
        let body = failure.body(clientFlavor: route.clientFlavor, service: route.service, catalog: snapshot.catalog, inStream: false)
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        log.write(status: failure.status, providerFlavor: providerFlavor, bytesOut: body.count, elapsed: ContinuousClock.now - startedAt, error: failure.code)
        return Response(status: .init(code: failure.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private func finished(_ response: Response, providerFlavor: String, bytesOut: Int) -> Response {
        log.write(status: Int(response.status.code), providerFlavor: providerFlavor, bytesOut: bytesOut, elapsed: ContinuousClock.now - startedAt)
        return response
    }
}
