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
            return .number(roundHalfEven(value, precision: (arguments[argument: 1].number ?? 0).saturatingInt()))
        },
        NativeFunction("power", "<n-n:n>") { call, arguments throws(JSONataError) in
            guard let base = arguments[argument: 0].number else { return nil }
            // As JSONata: a missing exponent makes no number (D3061), a missing base no result.
            let exponent = arguments[argument: 1].number ?? .nan
            let result = pow(base, exponent)
            guard result.isFinite else {
                throw call.error(
                    .powerNotRepresentable, token: JSONNumberFormatting.javaScriptString(base),
                    detail:
                        "The power function has resulted in a value that cannot be represented as a JSON number: base=\(JSONNumberFormatting.javaScriptString(base)), exponent=\(exponent.isNaN ? "undefined" : JSONNumberFormatting.javaScriptString(exponent))"
                )
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
            return .string(
                try IntegerPicture(picture, position: call.position)
                    .format(value, maximumSize: call.evaluation.limits.maximumValueSize))
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
            let requestedRadix = arguments[argument: 1].number ?? 10
            // Rounded half to even, as JSONata rounds: 3.5 is base 4, 2.5 base 2.
            let radix = roundHalfEven(requestedRadix, precision: 0).saturatingInt()
            guard (2...36).contains(radix) else {
                throw call.error(.radixOutOfRange, token: JSONNumberFormatting.javaScriptString(requestedRadix))
            }
            guard value.isFinite else { throw call.error(.numberOverflow, token: JSONNumberFormatting.javaScriptString(value)) }
            let rounded = roundHalfEven(value, precision: 0)
            // In base 10, as JavaScript writes numbers (1e+21 from 10^21 up).
            let text = radix == 10 ? JSONNumberFormatting.javaScriptString(abs(rounded)) : integerDigits(abs(rounded), radix: radix)
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

    /// The digits of a non-negative integral double in `radix`, exactly:
    /// beyond 2^63 the double is taken apart into its significand and a
    /// power of two, and multiplied out in 32-bit limbs.
    static func integerDigits(_ value: Double, radix: Int) -> String {
        if value < 9.2e18 { return String(Int64(value), radix: radix) }
        var limbs: [UInt32] = [
            UInt32(truncatingIfNeeded: value.significandBitPattern | (1 << 52)),
            UInt32(truncatingIfNeeded: (value.significandBitPattern | (1 << 52)) >> 32),
        ]
        for _ in 0..<(Int(value.exponent) - 52) {
            var carry: UInt32 = 0
            for index in limbs.indices {
                let doubled = UInt64(limbs[index]) << 1 | UInt64(carry)
                limbs[index] = UInt32(truncatingIfNeeded: doubled)
                carry = UInt32(doubled >> 32)
            }
            if carry != 0 { limbs.append(carry) }
        }
        var digits: [Character] = []
        while limbs.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for index in limbs.indices.reversed() {
                let current = remainder << 32 | UInt64(limbs[index])
                limbs[index] = UInt32(current / UInt64(radix))
                remainder = current % UInt64(radix)
            }
            digits.append(Character(String(remainder, radix: radix)))
        }
        return String(digits.reversed())
    }

    /// Rounds to `precision` decimal places, halves to even, working on the
    /// decimal spelling so that 2.675 rounds as written.
    static func roundHalfEven(_ value: Double, precision: Int) -> Double {
        guard value.isFinite else { return value }
        // No double has a digit 400 places after the point, and every double
        // rounds to 0 at 400 places before it: beyond, the text would
        // overflow to an infinity (or the exponent arithmetic would).
        if precision >= 400 { return value }
        if precision <= -400 { return 0 }
        let shifted = shiftDecimal(value, by: precision)
        // Too large to shift: such a value has no digits at that precision.
        guard shifted.isFinite else { return value }
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
            exponent += Int(text[text.index(after: e)...]) ?? 0  // at most 3 digits: "\(value)" of a double
            text = String(text[..<e])
        }
        return Double("\(text)e\(exponent)") ?? value
    }
}
