import Foundation

/// An `action_if` step with the action `drop`: the content is dropped when
/// its body (optionally trimmed of white space) equals the pattern, or, for a
/// regular expression, when the pattern is found anywhere in it.
public struct DropRule: @unchecked Sendable {
    public let trim: Bool
    public let pattern: String
    private let patternBytes: [UInt8]
    /// The compiled pattern when it is a regular expression (immutable, so shareable).
    private let regex: NSRegularExpression?

    /// Creates the rule.
    /// - Throws: ``DropRule/InvalidPattern`` when `isRegex` and the pattern does not compile.
    public init(pattern: String, isRegex: Bool, trim: Bool) throws(InvalidPattern) {
        self.trim = trim
        self.pattern = pattern
        self.patternBytes = Array(pattern.utf8)
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
        guard let regex else { return literalMatches(body) }
        var text = String(decoding: body, as: UTF8.self)
        if trim { text = Self.trimmed(text) }
        return regex.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
    }

    /// The literal comparison works on the bytes: ASCII white space is
    /// trimmed in place, and only a body that then starts or ends with a
    /// non-ASCII byte is trimmed as Unicode text.
    private func literalMatches(_ body: [UInt8]) -> Bool {
        guard trim else { return body == patternBytes }
        var start = 0
        var end = body.count
        while start < end, Self.isASCIISpace(body[start]) { start += 1 }
        while end > start, Self.isASCIISpace(body[end - 1]) { end -= 1 }
        if start < end, body[start] >= 0x80 || body[end - 1] >= 0x80 {
            return Array(Self.trimmed(String(decoding: body[start..<end], as: UTF8.self)).utf8) == patternBytes
        }
        return end - start == patternBytes.count && body[start..<end].elementsEqual(patternBytes)
    }

    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// `text` without leading and trailing Unicode white space.
    private static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
