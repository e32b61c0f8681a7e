import AsyncHTTPClient
import Logging

/// What every call shares: the HTTP client and its connection pools, the
/// provider-call slots, the limits, the id source and the logger.
struct GatewayServices: Sendable {
    let client: HTTPClient
    let slots: UpstreamSlots
    let limits: GatewayLimits
    let ids: ResponseIdentifiers
    let logger: Logger
}
