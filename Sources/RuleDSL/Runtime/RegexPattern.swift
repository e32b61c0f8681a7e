import Foundation

/// A compiled regular expression of the language (`/pattern/flags`, JavaScript
/// syntax, which the ICU engine behind NSRegularExpression reads the same
/// once `JavaScriptPattern` has spelled out JavaScript's ASCII classes).
/// Immutable; safe to share between threads.
struct RegexPattern: @unchecked Sendable {
    /// One match: its text, where it starts (in UTF-16 units, as JavaScript
    /// counts) and its capture groups.
    struct Match {
        let text: String
        let index: Int
        let end: Int
        let groups: [String]
    }

    let pattern: String
    let flags: String
    private let expression: NSRegularExpression

    /// Compiles `pattern` with flags `i` (ignore case), `m` (multi-line) and `s` (dot matches newlines).
    /// - Throws: S0301-style syntax error when the pattern is not a valid regular expression.
    init(pattern: String, flags: String, position: Int) throws(JSONataError) {
        self.pattern = pattern
        self.flags = flags
        var options: NSRegularExpression.Options = []
        if flags.contains("i") { options.insert(.caseInsensitive) }
        if flags.contains("m") { options.insert(.anchorsMatchLines) }
        if flags.contains("s") { options.insert(.dotMatchesLineSeparators) }
        do {
            expression = try NSRegularExpression(pattern: JavaScriptPattern.icuPattern(pattern), options: options)
        } catch {
            throw JSONataError(
                code: "S0303", position: position, token: pattern,
                message: "Invalid regular expression: /\(pattern)/")
        }
    }

    /// The matches in `text`, in order, starting at UTF-16 offset `start`,
    /// at most `limit` of them.
    ///
    /// A pattern like `(a+)+$` takes time exponential in the subject's
    /// length, so matching asks ICU to report progress while it works (also
    /// within one match attempt) and stops when `isPastDeadline` says so.
    /// - Throws: `timeout(position)` when it stopped for the deadline.
    func matches(
        in text: String, from start: Int = 0, limit: Int = .max, isPastDeadline: () -> Bool,
        timeout: () -> JSONataError
    ) throws(JSONataError) -> [Match] {
        let string = text as NSString
        guard start <= string.length, limit > 0 else { return [] }
        let range = NSRange(location: start, length: string.length - start)
        var found: [Match] = []
        var timedOut = false
        // Foundation declares the block escaping; it runs only during the call.
        withoutActuallyEscaping(isPastDeadline) { isPastDeadline in
            expression.enumerateMatches(in: text, options: [.reportProgress], range: range) { result, _, stop in
                if let result {
                    found.append(Self.match(result, in: string))
                    if found.count >= limit { stop.pointee = true }
                } else if isPastDeadline() {
                    timedOut = true
                    stop.pointee = true
                }
            }
        }
        if timedOut { throw timeout() }
        return found
    }

    private static func match(_ result: NSTextCheckingResult, in string: NSString) -> Match {
        var groups: [String] = []
        if result.numberOfRanges > 1 {
            for group in 1..<result.numberOfRanges {
                let groupRange = result.range(at: group)
                groups.append(groupRange.location == NSNotFound ? "" : string.substring(with: groupRange))
            }
        }
        return Match(
            text: string.substring(with: result.range), index: result.range.location,
            end: result.range.location + result.range.length, groups: groups)
    }
}
