/// Matchers: what `$contains`, `$split`, `$match` and `$replace` search
/// with when their pattern argument is a function. A regular expression is
/// one; any other function may be one too (a custom matcher), as JSONata
/// specifies: called with the string, it returns undefined (no match) or an
/// object `{match, start, end, groups, next}`, where `next()` returns the
/// following match the same way.
extension FunctionLibrary {
    /// Every match of `matcher` in `text`, at most `limit`, in UTF-16 offsets.
    /// - Throws: T1010 when a custom matcher returns anything but undefined or
    ///   a match object; errors raised by the matcher itself.
    /// The matches of `matcher` (a regular expression or a custom matcher
    /// function) in `text`, at most `limit`.
    /// - Throws: D1004 for a match of no characters when `rejectingEmpty`
    ///   (as `$match`, `$split` and `$replace` do in JSONata; `$contains` does not).
    static func matches(
        _ call: NativeCall, _ matcher: FunctionValue, in text: String, limit: Int = .max,
        functionName: String, rejectingEmpty: Bool = false
    ) throws(JSONataError) -> [RegexPattern.Match] {
        let found = try allMatches(call, matcher, in: text, limit: limit, functionName: functionName)
        if rejectingEmpty, found.contains(where: { $0.end <= $0.index }) { throw call.error(.zeroLengthMatch) }
        return found
    }

    private static func allMatches(
        _ call: NativeCall, _ matcher: FunctionValue, in text: String, limit: Int,
        functionName: String
    ) throws(JSONataError) -> [RegexPattern.Match] {
        if case .regex(let pattern) = matcher.implementation {
            let evaluation = call.evaluation
            return try pattern.matches(
                in: text, limit: limit, isPastDeadline: evaluation.isPastDeadline,
                timeout: { Evaluation.timeout(at: call.position) })
        }
        var matches: [RegexPattern.Match] = []
        var result = try call.call(matcher, [.string(text)])
        while matches.count < limit, let current = result {
            let (match, next) = try customMatch(current, call: call, functionName: functionName)
            matches.append(match)
            guard let next else { break }
            result = try call.call(next, [])
        }
        return matches
    }

    /// One match object of a custom matcher, and its `next` function.
    private static func customMatch(
        _ value: Value, call: NativeCall,
        functionName: String
    ) throws(JSONataError) -> (RegexPattern.Match, FunctionValue?) {
        let malformed = call.error(.matcherNotFunction, token: functionName)
        guard value.isObject, let text = value.member("match")?.stringValue,
            let start = value.member("start")?.numberValue, let end = value.member("end")?.numberValue,
            start >= 0, end >= start, start == start.rounded(), end == end.rounded()
        else { throw malformed }
        var groups: [String] = []
        if let groupValues = value.member("groups") {
            guard let elements = groupValues.arrayElements else { throw malformed }
            groups = elements.map { $0.stringValue ?? "" }
        }
        var next: FunctionValue?
        if let nextValue = value.member("next") {
            guard case .function(let function) = nextValue else { throw malformed }
            next = function
        }
        return (RegexPattern.Match(text: text, index: start.saturatingInt(), end: end.saturatingInt(), groups: groups), next)
    }
}
