#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numeric functions.
extension FunctionLibrary {
    static let numberFunctions: [NativeFunction] = [
        NativeFunction("number", "<(nsb)-:n>") { call, arguments throws(JSONataError) in
            guard let value = arguments[argument: 0]?.decodedScalar else { return nil }
            switch value {
            case .number: return value
            case .bool(let flag): return .number(flag ? 1 : 0)
            case .string(let text):
                guard let number = parseNumber(text) else { throw call.error(.notANumber, token: "\"\(text)\"") }
                return .number(number)
            default:
                throw call.error(.notANumber, token: value.typeName)
            }
        },
        NativeFunction("abs", "<n-:n>") { _, arguments throws(JSONataError) in
            arguments[argument: 0].number.map { .number(abs($0)) }
        },
        NativeFunction("floor", "<n-:n>") { _, arguments throws(JSONataError) in
            arguments[argument: 0].number.map { .number(($0).rounded(.down)) }
        },
        NativeFunction("ceil", "<n-:n>") { _, arguments throws(JSONataError) in
            arguments[argument: 0].number.map { .number(($0).rounded(.up)) }
        },
        NativeFunction("round", "<n-n?:n>") { _, arguments throws(JSONataError) in
            guard let value = arguments[argument: 0].number else { return nil }
            return .number(roundHalfEven(value, precision: Int(arguments[argument: 1].number ?? 0)))
        },
        NativeFunction("power", "<n-n:n>") { call, arguments throws(JSONataError) in
            guard let base = arguments[argument: 0].number, let exponent = arguments[argument: 1].number else { return nil }
            let result = pow(base, exponent)
            guard result.isFinite else {
                throw call.error(.powerNotRepresentable, token: JSONNumberFormatting.javaScriptString(base),
                                 detail: "The power function has resulted in a value that cannot be represented as a JSON number: base=\(JSONNumberFormatting.javaScriptString(base)), exponent=\(JSONNumberFormatting.javaScriptString(exponent))")
            }
            return .number(result)
        },
        NativeFunction("sqrt", "<n-:n>") { call, arguments throws(JSONataError) in
            guard let value = arguments[argument: 0].number else { return nil }
            guard value >= 0 else { throw call.error(.sqrtNegative, token: JSONNumberFormatting.javaScriptString(value)) }
            return .number(value.squareRoot())
        },
        NativeFunction("random", "<:n>") { _, _ throws(JSONataError) in
            .number(Double.random(in: 0..<1))
        },
        NativeFunction("formatInteger", "<n-s:s>") { call, arguments throws(JSONataError) in
            guard let value = arguments[argument: 0].number, let picture = arguments[argument: 1].string else { return nil }
            return .string(try IntegerPicture(picture, position: call.position).format(value))
        },
        NativeFunction("parseInteger", "<s-s:n>") { call, arguments throws(JSONataError) in
            guard let text = arguments[argument: 0].string, let picture = arguments[argument: 1].string else { return nil }
            return try IntegerPicture(picture, position: call.position).parse(text).map { .number($0) }
        },
        NativeFunction("formatNumber", "<n-so?:s>") { call, arguments throws(JSONataError) in
            guard let value = arguments[argument: 0].number, let picture = arguments[argument: 1].string else { return nil }
            let options = arguments[argument: 2]?.objectMembers ?? []
            return .string(try NumberPicture(picture, options: options, position: call.position).format(value))
        },
        NativeFunction("formatBase", "<n-n?:s>") { call, arguments throws(JSONataError) in
            guard let value = arguments[argument: 0].number else { return nil }
            let radix = Int(arguments[argument: 1].number ?? 10)
            guard (2...36).contains(radix) else { throw call.error(.radixOutOfRange, token: String(radix)) }
            let rounded = roundHalfEven(value, precision: 0)
            let text = String(Int64(abs(rounded)), radix: radix)
            return .string(rounded < 0 ? "-" + text : text)
        },
    ]

    /// A number in JSON number syntax (surrounding whitespace allowed), or a
    /// hexadecimal, octal or binary integer with a 0x, 0o or 0b prefix.
    static func parseNumber(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let prefixes: [(String, Int)] = [("0x", 16), ("0X", 16), ("0o", 8), ("0O", 8), ("0b", 2), ("0B", 2)]
        for (prefix, radix) in prefixes where trimmed.hasPrefix(prefix) {
            return UInt64(trimmed.dropFirst(2), radix: radix).map { Double($0) }
        }
        // Decimal: JSON number syntax, except that leading zeros are allowed.
        var body = Substring(trimmed)
        var negative = false
        if body.first == "-" {
            negative = true
            body = body.dropFirst()
        }
        let withoutLeadingZeros = body.drop { $0 == "0" }
        let normalized = (negative ? "-" : "") + (withoutLeadingZeros.first?.isNumber == true ? String(withoutLeadingZeros) : "0" + withoutLeadingZeros)
        guard !body.isEmpty, let document = try? JSONDocument(text: normalized), document.kind(at: document.root) == .number else { return nil }
        let value = document.double(at: document.root)
        return value.isFinite ? value : nil
    }

    /// Rounds to `precision` decimal places, halves to even, working on the
    /// decimal spelling so that 2.675 rounds as written.
    static func roundHalfEven(_ value: Double, precision: Int) -> Double {
        guard value.isFinite else { return value }
        let shifted = shiftDecimal(value, by: precision)
        var rounded = shifted.rounded()
        if abs(shifted - shifted.rounded(.towardZero)) == 0.5 {
            rounded = 2 * (shifted / 2).rounded()
        }
        let result = shiftDecimal(rounded, by: -precision)
        return result == 0 ? 0 : result
    }

    /// `value` x 10^places, done on the decimal text to avoid binary error.
    static func shiftDecimal(_ value: Double, by places: Int) -> Double {
        guard places != 0 else { return value }
        var text = "\(value)"
        var exponent = places
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent += Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        return Double("\(text)e\(exponent)") ?? value
    }
}
