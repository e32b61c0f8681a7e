/// Writing doubles as JavaScript's `Number.prototype.toString` (and so
/// `JSON.stringify`) spells them: the shortest digits that read back to the
/// same double, in plain notation for decimal exponents from -6 to 20 and in
/// exponent notation (`1e+21`, `1e-7`) outside it.
public enum JSONNumberFormatting {
    /// Appends the JavaScript spelling of `value` to `output`. `-0` is
    /// written `0`; NaN and infinities as `NaN`, `Infinity`, `-Infinity`,
    /// which are not JSON: writers of JSON reject them before calling this.
    public static func appendJavaScript(_ value: Double, to output: inout [UInt8]) {
        if value == 0 {
            output.append(UInt8(ascii: "0"))
            return
        }
        guard value.isFinite else {
            // Not JSON (the writer refuses these); spelled as JavaScript does, for messages.
            output.append(contentsOf: (value.isNaN ? "NaN" : value < 0 ? "-Infinity" : "Infinity").utf8)
            return
        }
        // Integers up to 2^53 in magnitude (2^53 included: Swift spells it
        // "9007199254740992.0") are their digits.
        if value == value.rounded(.towardZero), abs(value) <= 9.007199254740992e15 {
            appendInteger(Int64(value), to: &output)
            return
        }
        // Swift's description has the shortest round-trip digits too; without
        // an exponent (and, the value not being integral, without a trailing
        // ".0") it is already spelled as JavaScript spells it. It is a small
        // string, stored inline: no allocation on this path.
        let description = value.description
        if !description.utf8.contains(UInt8(ascii: "e")) {
            output.append(contentsOf: description.utf8)
            return
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(17)
        var pointPosition = 0
        shortestDigits(abs(value), digits: &digits, pointPosition: &pointPosition)
        if value < 0 { output.append(UInt8(ascii: "-")) }
        appendFormatted(digits: digits, pointPosition: pointPosition, to: &output)
    }

    /// The JavaScript spelling of a finite `value` as a string.
    public static func javaScriptString(_ value: Double) -> String {
        var output: [UInt8] = []
        appendJavaScript(value, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// The decimal digits of a non-negative integral `value`, without exponent.
    public static func integerDigits(_ value: Double) -> String {
        if value < 9.2e18 { return String(Int64(value)) }
        var digits: [UInt8] = []
        var pointPosition = 0
        shortestDigits(value, digits: &digits, pointPosition: &pointPosition)
        digits.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, pointPosition - digits.count)))
        return String(decoding: digits, as: UTF8.self)
    }

    /// Appends the decimal digits of `value`.
    public static func appendInteger(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes on the stack: enough for 20 digits
        withUnsafeMutableBytes(of: &buffer) { raw in
            var index = raw.count
            repeat {
                index -= 1
                raw[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            output.append(contentsOf: raw[index...])
        }
    }

    /// The shortest round-trip decimal digits of a positive finite `value`
    /// (no leading or trailing zeros) and the position of the decimal point
    /// relative to them: value = 0.d1d2...dk x 10^pointPosition.
    ///
    /// Swift's `description` produces the shortest round-trip digits; only its
    /// layout differs from JavaScript's, so the digits are taken from it.
    static func shortestDigits(_ value: Double, digits: inout [UInt8], pointPosition: inout Int) {
        let text = value.description.utf8
        var exponent = 0
        var digitsBeforePoint = 0
        var seenPoint = false
        var iterator = text.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(byte)
                if !seenPoint { digitsBeforePoint += 1 }
            case UInt8(ascii: "."):
                seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                var sign = 1
                var magnitude = 0
                while let exponentByte = iterator.next() {
                    if exponentByte == UInt8(ascii: "-") {
                        sign = -1
                    } else if exponentByte != UInt8(ascii: "+") {
                        magnitude = magnitude * 10 + Int(exponentByte - UInt8(ascii: "0"))
                    }
                }
                exponent = sign * magnitude
            default:
                break
            }
        }
        pointPosition = digitsBeforePoint + exponent
        var leadingZeros = 0
        while leadingZeros < digits.count - 1, digits[leadingZeros] == UInt8(ascii: "0") { leadingZeros += 1 }
        if leadingZeros > 0 {
            digits.removeFirst(leadingZeros)
            pointPosition -= leadingZeros
        }
        while digits.count > 1, digits.last == UInt8(ascii: "0") { digits.removeLast() }
    }

    private static func appendFormatted(digits: [UInt8], pointPosition n: Int, to output: inout [UInt8]) {
        let k = digits.count
        if k <= n && n <= 21 {
            output.append(contentsOf: digits)
            output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: n - k))
        } else if 0 < n && n <= 21 {
            output.append(contentsOf: digits[0..<n])
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: digits[n...])
        } else if -6 < n && n <= 0 {
            output.append(UInt8(ascii: "0"))
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -n))
            output.append(contentsOf: digits)
        } else {
            output.append(digits[0])
            if k > 1 {
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: digits[1...])
            }
            output.append(UInt8(ascii: "e"))
            let exponent = n - 1
            output.append(exponent >= 0 ? UInt8(ascii: "+") : UInt8(ascii: "-"))
            appendInteger(Int64(abs(exponent)), to: &output)
        }
    }
}
