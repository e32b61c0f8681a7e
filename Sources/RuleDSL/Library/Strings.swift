import Foundation

/// String functions. Lengths and positions count Unicode code points, as
/// JSONata does.
extension FunctionLibrary {
    static let stringFunctions: [NativeFunction] = [
        NativeFunction("string", "<x-b?:s>") { call, arguments throws(JSONataError) in
            guard let value = arguments[argument: 0] else { return nil }
            let pretty = Evaluation.truthy(arguments[argument: 1])
            return .string(try Stringify.string(value, pretty: pretty, position: call.position, evaluation: call.evaluation))
        },
        NativeFunction("length", "<s-:n>") { _, arguments throws(JSONataError) in
            arguments[argument: 0].string.map { .number(Double($0.unicodeScalars.count)) }
        },
        NativeFunction("substring", "<s-nn?:s>") { _, arguments throws(JSONataError) in
            guard let text = arguments[argument: 0].string else { return nil }
            guard let start = arguments[argument: 1].number else {
                // As JSONata: an undefined start is the beginning when no length
                // follows, and leaves nothing when one does.
                return .string(arguments[argument: 2] == nil ? text : "")
            }
            let scalars = Array(text.unicodeScalars)
            var begin = start.saturatingInt()
            if begin < 0 { begin = max(0, scalars.count + begin) }
            begin = min(begin, scalars.count)
            var end = scalars.count
            if let length = arguments[argument: 2].number {
                // Compared before adding: begin + a length of 1e300 would overflow.
                let wanted = length.saturatingInt()
                end = wanted <= 0 ? begin : (wanted >= scalars.count - begin ? scalars.count : begin + wanted)
            }
            return .string(String(String.UnicodeScalarView(scalars[begin..<max(begin, end)])))
        },
        NativeFunction("substringBefore", "<s-s:s>") { _, arguments throws(JSONataError) in
            guard let text = arguments[argument: 0].string, let separator = arguments[argument: 1].string else {
                return arguments[argument: 0]
            }
            if separator.isEmpty { return .string("") }
            guard let range = text.range(of: separator) else { return .string(text) }
            return .string(String(text[..<range.lowerBound]))
        },
        NativeFunction("substringAfter", "<s-s:s>") { _, arguments throws(JSONataError) in
            guard let text = arguments[argument: 0].string, let separator = arguments[argument: 1].string else {
                return arguments[argument: 0]
            }
            guard let range = text.range(of: separator) else { return .string(text) }
            return .string(String(text[range.upperBound...]))
        },
        NativeFunction("uppercase", "<s-:s>") { _, arguments throws(JSONataError) in
            arguments[argument: 0].string.map { .string($0.uppercased()) }
        },
        NativeFunction("lowercase", "<s-:s>") { _, arguments throws(JSONataError) in
            arguments[argument: 0].string.map { .string($0.lowercased()) }
        },
        NativeFunction("trim", "<s-:s>") { _, arguments throws(JSONataError) in
            arguments[argument: 0].string.map { .string(normalizeWhitespace($0)) }
        },
        NativeFunction("pad", "<s-ns?:s>") { call, arguments throws(JSONataError) in
            guard let text = arguments[argument: 0].string else { return nil }
            // No width, no padding: the text as it is, as in JSONata.
            guard let width = arguments[argument: 1].number else { return .string(text) }
            var padding = arguments[argument: 2].string ?? " "
            if padding.isEmpty { padding = " " }
            let length = text.unicodeScalars.count
            let target = abs(width).saturatingInt()
            guard target > length else { return .string(text) }
            let paddingScalars = Array(padding.unicodeScalars)
            let widest = paddingScalars.map { UTF8.width($0) }.max() ?? 1
            try call.checkSize(text.utf8.count + min(Int.max / 8, target - length) * widest)
            let fill = String(String.UnicodeScalarView((0..<(target - length)).map { paddingScalars[$0 % paddingScalars.count] }))
            return .string(width < 0 ? fill + text : text + fill)
        },
        NativeFunction("contains", "<s-(sf):b>") { call, arguments throws(JSONataError) in
            guard let text = arguments[argument: 0].string else { return nil }
            switch arguments[argument: 1] {
            case .function(let function)?:
                return .bool(!(try matches(call, function, in: text, limit: 1, functionName: "contains")).isEmpty)
            case let other:
                guard let needle = other.string else { return nil }
                return .bool(needle.isEmpty || text.contains(needle))
            }
        },
        NativeFunction("split", "<s-(sf)n?:a<s>>") { call, arguments throws(JSONataError) in
            guard let text = arguments[argument: 0].string else { return nil }
            var limit = Int.max
            if let requested = arguments[argument: 2].number {
                guard requested >= 0 else { throw call.error(.splitLimitNegative) }
                // As JSONata: a matcher splits while fewer parts than the limit
                // exist (a limit of 1.5 keeps 2), a string as JavaScript's split (1).
                limit = arguments[argument: 1]?.isFunction == true ? Self.matchLimit(requested) : requested.saturatingInt()
            }
            var parts: [String]
            switch arguments[argument: 1] {
            case .function(let function)?:
                parts = []
                var last = 0
                let utf16 = Array(text.utf16)
                for match in try matches(call, function, in: text, functionName: "split", rejectingEmpty: true) {
                    guard match.index >= last, match.end <= utf16.count else { throw call.error(.matcherNotFunction, token: "split") }
                    parts.append(String(decoding: utf16[last..<match.index], as: UTF16.self))
                    last = match.end
                }
                parts.append(String(decoding: utf16[last...], as: UTF16.self))
            case let other:
                let separator = other.string ?? ""
                if separator.isEmpty {
                    parts = text.unicodeScalars.map { String($0) }
                } else {
                    parts = text.components(separatedBy: separator)
                }
            }
            return .array(parts.prefix(limit).map { .string($0) }, [])
        },
        NativeFunction("join", "<a<s>s?:s>") { call, arguments throws(JSONataError) in
            guard let elements = arguments[argument: 0]?.arrayElements else { return nil }
            let separator = arguments[argument: 1].string ?? ""
            let parts = elements.compactMap { $0.stringValue }
            try call.checkSize(parts.reduce(separator.utf8.count * max(0, parts.count - 1)) { $0 + $1.utf8.count })
            return .string(parts.joined(separator: separator))
        },
        NativeFunction("match", "<s-f<s:o>n?:a<o>>") { call, arguments throws(JSONataError) in
            guard let text = arguments[argument: 0].string else { return nil }
            guard case .function(let function)? = arguments[argument: 1] else {
                throw call.error(.argumentMismatch, token: "2")
            }
            var limit = Int.max
            if let requested = arguments[argument: 2].number {
                guard requested >= 0 else { throw call.error(.matchLimitNegative) }
                limit = Self.matchLimit(requested)
            }
            let found = try matches(call, function, in: text, limit: limit, functionName: "match", rejectingEmpty: true)
            let objects = found.map { match -> Value in
                var object = ObjectValue()
                object["match"] = .string(match.text)
                object["index"] = .number(Double(match.index))
                object["groups"] = .array(match.groups.map { .string($0) }, [])
                return .object(object)
            }
            return .array(objects, .sequence)
        },
        NativeFunction("replace", "<s-(sf)(sf)n?:s>") { call, arguments throws(JSONataError) in
            try replace(&call, arguments)
        },
        NativeFunction("eval", "<sx?:x>", readsCallerScope: true) { call, arguments throws(JSONataError) in
            guard let source = arguments[argument: 0].string else { return nil }
            let expression: RuleExpression
            do throws(JSONataError) {
                expression = try RuleExpression(source)
            } catch {
                throw JSONataError(.evalSyntax, position: call.position, token: error.message)
            }
            // An undefined context argument is the caller's context, as in JSONata.
            let input = arguments[argument: 1] ?? call.context
            do throws(JSONataError) {
                return try expression.evaluate(input, bindings: call.scope?.evalBindings() ?? [:], limits: call.evaluation.limits)
            } catch {
                throw JSONataError(
                    code: error.code == "D3137" ? error.code : "D3121", position: call.position,
                    token: error.message, message: "Dynamic error evaluating the expression passed to function eval: \(error.message)")
            }
        },
    ]

    /// How many matches a limit allows: JSONata goes on while fewer than
    /// `limit` were found, so a fraction counts as the next whole number.
    static func matchLimit(_ requested: Double) -> Int {
        requested.rounded(.up).saturatingInt()
    }

    /// Collapses runs of whitespace to one space and trims both ends, as `$trim` does.
    static func normalizeWhitespace(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    private static func replace(_ call: inout NativeCall, _ arguments: [Value?]) throws(JSONataError) -> Value? {
        guard let text = arguments[argument: 0].string else { return nil }
        // An empty pattern is reported before a negative limit, as in JSONata.
        if case .string(let pattern)? = arguments[argument: 1]?.decodedScalar, pattern.isEmpty {
            throw call.error(.replaceEmptyPattern)
        }
        var limit = Int.max
        if let requested = arguments[argument: 3].number {
            guard requested >= 0 else { throw call.error(.replaceLimitNegative) }
            limit = matchLimit(requested)
        }
        let replacement = arguments[argument: 2]
        if case .function(let function)? = arguments[argument: 1] {
            let utf16 = Array(text.utf16)
            var result = ""
            var last = 0
            for match in try matches(call, function, in: text, limit: limit, functionName: "replace", rejectingEmpty: true) {
                guard match.index >= last, match.end <= utf16.count else { throw call.error(.matcherNotFunction, token: "replace") }
                result += String(decoding: utf16[last..<match.index], as: UTF16.self)
                result += try replacementText(&call, replacement, match)
                try call.checkSize(result.utf8.count)
                last = match.end
            }
            result += String(decoding: utf16[last...], as: UTF16.self)
            return .string(result)
        }
        guard let pattern = arguments[argument: 1].string else { return nil }
        guard let replacementString = replacement.string else {
            // Without a replacement the text stands when the pattern does not
            // occur, as in JSONata; where it occurs, this is an error (JSONata
            // would write "undefined" into the text).
            guard limit > 0, text.contains(pattern) else { return .string(text) }
            throw call.error(.argumentMismatch, token: "3", detail: "Argument 3 of function $replace does not match function signature")
        }
        var result = ""
        var remaining = Substring(text)
        var count = 0
        while count < limit, let range = remaining.range(of: pattern) {
            result += remaining[..<range.lowerBound] + replacementString
            remaining = remaining[range.upperBound...]
            count += 1
            try call.tick()
            try call.checkSize(result.utf8.count)
        }
        return .string(result + remaining)
    }

    /// The text that replaces `match`: a string with `$0`, `$1`... references, or a function's result.
    private static func replacementText(_ call: inout NativeCall, _ replacement: Value?, _ match: RegexPattern.Match) throws(JSONataError) -> String {
        if case .function(let function)? = replacement {
            var object = ObjectValue()
            object["match"] = .string(match.text)
            object["index"] = .number(Double(match.index))
            object["groups"] = .array(match.groups.map { .string($0) }, [])
            let result = try call.call(function, [.object(object)])
            guard let text = result?.stringValue else { throw call.error(.replacementNotString) }
            return text
        }
        guard let template = replacement.string else { return "" }
        var output = ""
        let characters = Array(template)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard character == "$", index + 1 < characters.count else {
                output.append(character)
                index += 1
                continue
            }
            let next = characters[index + 1]
            if next == "$" {
                output.append("$")
                index += 2
                continue
            }
            guard next.isASCII, let firstDigit = next.wholeNumberValue else {
                output.append(character)
                index += 1
                continue
            }
            // Take the longest group number that exists (at least one digit).
            var groupNumber = firstDigit
            var consumed = 2
            while index + consumed < characters.count, let digit = characters[index + consumed].wholeNumberValue,
                characters[index + consumed].isASCII, groupNumber * 10 + digit <= match.groups.count
            {
                groupNumber = groupNumber * 10 + digit
                consumed += 1
            }
            if groupNumber == 0 {
                output += match.text
            } else if groupNumber <= match.groups.count {
                output += match.groups[groupNumber - 1]
            }
            index += consumed
        }
        return output
    }
}
