import Foundation

/// An `action_if` step with the action `drop`: the content is dropped when
/// its body (optionally trimmed of white space) equals the pattern, or, for a
/// regular expression, when the pattern is found anywhere in it.
public struct DropRule: @unchecked Sendable {
    public let trim: Bool
    public let pattern: String
    /// The compiled pattern when it is a regular expression (immutable, so shareable).
    private let regex: NSRegularExpression?

    /// Creates the rule.
    /// - Throws: ``DropRule/InvalidPattern`` when `isRegex` and the pattern does not compile.
    public init(pattern: String, isRegex: Bool, trim: Bool) throws(InvalidPattern) {
        self.trim = trim
        self.pattern = pattern
        if isRegex {
            do {
                regex = try NSRegularExpression(pattern: pattern)
            } catch {
                throw InvalidPattern(pattern: pattern)
            }
        } else {
            regex = nil
        }
    }

    /// A regular expression that does not compile.
    public struct InvalidPattern: Error, CustomStringConvertible {
        public let pattern: String
        public var description: String { "invalid regular expression: \(pattern)" }
    }

    /// Whether `body` matches, so that the content is dropped.
    public func matches(_ body: [UInt8]) -> Bool {
        var text = String(decoding: body, as: UTF8.self)
        if trim { text = text.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let regex else { return text == pattern }
        return regex.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
    }
}
