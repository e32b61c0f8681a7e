#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Conversion of values to strings as `$string` does it: strings unchanged,
/// numbers rounded to 15 significant digits, everything else as JSON.
enum Stringify {
    /// The `$string` form of `value`. With an `evaluation`, writing counts
    /// against its time limit and stops at its size limit.
    /// - Throws: D3001 for a non-finite number; U1001 past the time limit;
    ///   U1002 past the size limit.
    static func string(_ value: Value, pretty: Bool = false, position: Int, evaluation: Evaluation? = nil) throws(JSONataError) -> String {
        if let text = value.stringValue { return text }
        if case .function = value { return "" }
        var output: [UInt8] = []
        try appendJSON(value, to: &output, pretty: pretty, depth: 0, position: position, evaluation: evaluation)
        return String(decoding: output, as: UTF8.self)
    }

    /// `value` rounded to 15 significant digits, as JSONata writes numbers in strings.
    static func roundedTo15Digits(_ value: Double) -> Double {
        var buffer = [CChar](repeating: 0, count: 40)
        _ = withVaList([value]) { vsnprintf(&buffer, 40, "%.15g", $0) }
        // The largest doubles round up past the last one (1.79769313486232e308
        // is no double): those keep their own digits.
        let rounded = strtod(buffer, nil)
        return rounded.isFinite ? rounded : value
    }

    static func appendJSON(
        _ value: Value, to output: inout [UInt8], pretty: Bool, depth: Int, position: Int, evaluation: Evaluation? = nil
    ) throws(JSONataError) {
        switch value.decodedScalar {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number):
            guard number.isFinite else { throw JSONataError(.stringOfNonFinite, position: position) }
            // Integers keep every digit; fractions are rounded to 15 significant digits.
            JSONNumberFormatting.appendJavaScript(number == number.rounded() ? number : roundedTo15Digits(number), to: &output)
        case .string(let text):
            var writer = JSONWriter(capacity: 0, escapesLineSeparators: false)
            writer.appendString(text)
            output.append(contentsOf: writer.bytes)
        case .function:
            output.append(contentsOf: "\"\"".utf8)
        default:
            if let elements = value.arrayElements {
                try appendContainer(
                    elements.map { (nil as String?, $0) }, open: "[", close: "]", to: &output, pretty: pretty, depth: depth, position: position,
                    evaluation: evaluation)
            } else if let members = value.objectMembers {
                try appendContainer(
                    members.map { (Optional($0.key), $0.value) }, open: "{", close: "}", to: &output, pretty: pretty, depth: depth, position: position,
                    evaluation: evaluation)
            }
        }
    }

    private static func appendContainer(
        _ entries: [(String?, Value)], open: Character, close: Character, to output: inout [UInt8],
        pretty: Bool, depth: Int, position: Int, evaluation: Evaluation?
    ) throws(JSONataError) {
        output.append(contentsOf: String(open).utf8)
        guard !entries.isEmpty else {
            output.append(contentsOf: String(close).utf8)
            return
        }
        for (index, entry) in entries.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            if pretty {
                output.append(UInt8(ascii: "\n"))
                output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (depth + 1) * 2))
            }
            if let key = entry.0 {
                var writer = JSONWriter(capacity: 0, escapesLineSeparators: false)
                writer.appendString(key)
                output.append(contentsOf: writer.bytes)
                output.append(UInt8(ascii: ":"))
                if pretty { output.append(UInt8(ascii: " ")) }
            }
            try appendJSON(entry.1, to: &output, pretty: pretty, depth: depth + 1, position: position, evaluation: evaluation)
            if let evaluation {
                try evaluation.tick(position)
                try evaluation.checkSize(output.count, position: position)
            }
        }
        if pretty {
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
        }
        output.append(contentsOf: String(close).utf8)
    }
}
