/// Why writing an expression's result failed.
public enum ResultWriteError: Error, Sendable {
    /// The evaluation failed.
    case evaluation(JSONataError)
    /// The result has no JSON spelling (a number that is not finite).
    case writing(JSONWriteError)
}

extension ResultWriteError: CustomStringConvertible {
    /// The carried error's message.
    public var description: String {
        switch self {
        case .evaluation(let error): return "\(error)"
        case .writing(let error): return error.description
        }
    }
}
