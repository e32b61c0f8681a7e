/// JavaScript's `parseInt(text)`, which `$parseInteger` applies to decimal
/// pictures: leading white space and a sign are skipped, `0x` starts a
/// hexadecimal number, and the digits end at the first character that is
/// none (`"12px"` is 12, `"1e3"` is 1).
enum JavaScriptInteger {
    /// The integer at the start of `text`; nil where JavaScript gives NaN
    /// (no digit).
    static func parse(_ text: String) -> Double? {
        var scalars = Substring(text).unicodeScalars.drop { $0.properties.isWhitespace || $0 == "\u{FEFF}" }
        var sign = 1.0
        if let first = scalars.first, first == "-" || first == "+" {
            if first == "-" { sign = -1 }
            scalars = scalars.dropFirst()
        }
        var radix: UInt32 = 10
        if scalars.starts(with: "0x".unicodeScalars) || scalars.starts(with: "0X".unicodeScalars) {
            radix = 16
            scalars = scalars.dropFirst(2)
        }
        let digits = scalars.prefix { digitValue($0, radix: radix) != nil }
        guard !digits.isEmpty else { return nil }
        if radix == 10 {
            // Through the decimal reader, so that long numbers round as JavaScript's do.
            return Double(String(String.UnicodeScalarView(digits))).map { sign * $0 }
        }
        return sign * digits.reduce(0.0) { $0 * Double(radix) + Double(digitValue($1, radix: radix)!) }
    }

    private static func digitValue(_ scalar: Unicode.Scalar, radix: UInt32) -> UInt32? {
        let value: UInt32
        switch scalar {
        case "0"..."9": value = scalar.value - 48
        case "a"..."z": value = scalar.value - 97 + 10
        case "A"..."Z": value = scalar.value - 65 + 10
        default: return nil
        }
        return value < radix ? value : nil
    }
}
