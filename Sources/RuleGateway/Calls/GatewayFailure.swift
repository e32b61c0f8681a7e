import ConversionRules
import Flavors
import RuleDSL

/// A call the gateway answers itself, with an error: a request it cannot
/// read or convert, a provider it cannot reach, a limit reached.
struct GatewayFailure: Error, Sendable {
    /// The HTTP status of the answer.
    let status: Int
    /// What went wrong, in words the caller can act on (never a key or a body).
    let message: String
    /// The error's type, in the OpenAI sense (`invalid_request_error`, `api_error`, ...).
    let type: String
    /// A short code naming the case (`no_route`, `request_too_large`, ...).
    let code: String

    /// The hub schema's error object: `{"error": {"message", "type", "code"}}`.
    var hubErrorBody: [UInt8] {
        let error = JSONObject([
            (key: "message", value: .string(message)), (key: "type", value: .string(type)), (key: "code", value: .string(code)),
        ])
        // A tree of strings always serialises.
        return (try? JSONValue.object(JSONObject([(key: "error", value: .object(error))])).serialized()) ?? []
    }

    /// The error in the form the client flavor's rules give a hub error:
    /// the hub error converted by its `response_from_aog` (or, in a stream,
    /// its `stream_response_from_aog`) when that yields an object with an
    /// `error` member; otherwise the hub's form itself. So an ollama client
    /// reads `{"error": "message"}` and an OpenAI-style one
    /// `{"error": {"message", "type", "code"}}`, as each flavor declares.
    func body(clientFlavor: String, service: String, catalog: RuleCatalog, inStream: Bool) -> [UInt8] {
        let hub = hubErrorBody
        guard clientFlavor != TwoHopConverter.aogFlavor,
            let aog = try? catalog.flavor(TwoHopConverter.aogFlavor), let client = try? catalog.flavor(clientFlavor),
            let converter = try? TwoHopConverter(base: inStream ? .streamResponse : .response, service: service, from: aog, to: client),
            case .content(let converted)? = try? converter.convert(
                HTTPContent(headers: ConversionRules.HTTPHeaders([("Content-Type", "application/json")]), body: hub), variables: [:]),
            Self.isErrorForm(converted.body)
        else { return hub }
        return converted.body
    }

    /// Whether `body` is an error form: a JSON object with an `error` member.
    static func isErrorForm(_ body: [UInt8]) -> Bool {
        guard let document = try? JSONDocument(bytes: body), document.kind(at: document.root) == .object else { return false }
        return document.member(of: document.root, key: "error") != nil
    }
}
