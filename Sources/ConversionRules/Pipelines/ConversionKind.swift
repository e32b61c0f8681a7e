/// The six conversions a service of a flavor may define.
public enum ConversionKind: String, Sendable, CaseIterable {
    case requestToAOG = "request_to_aog"
    case requestFromAOG = "request_from_aog"
    case responseToAOG = "response_to_aog"
    case responseFromAOG = "response_from_aog"
    case streamResponseToAOG = "stream_response_to_aog"
    case streamResponseFromAOG = "stream_response_from_aog"

    /// The base of a two-hop conversion: what is converted.
    public enum Base: String, Sendable {
        case request
        case response
        case streamResponse = "stream_response"

        /// The conversion from the source flavor to AOG.
        public var toAOG: ConversionKind {
            switch self {
            case .request: return .requestToAOG
            case .response: return .responseToAOG
            case .streamResponse: return .streamResponseToAOG
            }
        }

        /// The conversion from AOG to the target flavor.
        public var fromAOG: ConversionKind {
            switch self {
            case .request: return .requestFromAOG
            case .response: return .responseFromAOG
            case .streamResponse: return .streamResponseFromAOG
            }
        }
    }

    /// The conversion's place in ``allCases``.
    var position: Int {
        switch self {
        case .requestToAOG: return 0
        case .requestFromAOG: return 1
        case .responseToAOG: return 2
        case .responseFromAOG: return 3
        case .streamResponseToAOG: return 4
        case .streamResponseFromAOG: return 5
        }
    }

    /// Whether the conversion works on stream payloads.
    public var isStream: Bool { self == .streamResponseToAOG || self == .streamResponseFromAOG }
}
