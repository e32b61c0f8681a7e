#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `$formatNumber`: XPath F&O 3.1 `format-number` pictures with the
/// decimal-format properties a caller may override.
struct NumberPicture {
    /// The decimal-format properties.
    struct Properties {
        var decimalSeparator: Character = "."
        var groupingSeparator: Character = ","
        var exponentSeparator: Character = "e"
        var infinity = "Infinity"
        var minusSign = "-"
        var notANumber = "NaN"
        var percent = "%"
        var perMille = "\u{2030}"
        var zeroDigit: UInt32 = 0x30
        var optionalDigit: Character = "#"
        var patternSeparator: Character = ";"

        /// Properties with the overrides of an options object applied.
        init(options: [ObjectMember]) {
            for option in options {
                guard let text = option.value.stringValue, let first = text.first else { continue }
                switch option.key {
                case "decimal-separator": decimalSeparator = first
                case "grouping-separator": groupingSeparator = first
                case "exponent-separator": exponentSeparator = first
                case "infinity": infinity = text
                case "minus-sign": minusSign = text
                case "NaN": notANumber = text
                case "percent": percent = text
                case "per-mille": perMille = text
                case "zero-digit": zeroDigit = first.unicodeScalars.first!.value
                case "digit": optionalDigit = first
                case "pattern-separator": patternSeparator = first
                default: break
                }
            }
        }

        func isDigit(_ character: Character) -> Bool {
            guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return false }
            return scalar.value >= zeroDigit && scalar.value <= zeroDigit + 9
        }
    }

    /// One analysed sub-picture.
    struct SubPicture {
        var prefix = ""
        var suffix = ""
        var integerGroupingPositions: [Int] = []
        var regularGrouping: Int? = nil
        var fractionGroupingPositions: [Int] = []
        var minimumIntegerDigits = 0
        var minimumFractionDigits = 0
        var maximumFractionDigits = 0
        var minimumExponentDigits = 0
        var scalingFactor = 0
        var hasDecimalSeparator = false
        var isPercent = false
        var isPerMille = false
    }

    let properties: Properties
    let positive: SubPicture
    let negative: SubPicture?

    /// Analyses `picture`.
    /// - Throws: D3080-D3093 for a malformed picture.
    init(_ picture: String, options: [ObjectMember], position: Int) throws(JSONataError) {
        properties = Properties(options: options)
        let parts = picture.split(separator: properties.patternSeparator, omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else { throw JSONataError(.pictureTooManyParts, position: position) }
        positive = try Self.analyse(parts[0], properties, position: position)
        negative = parts.count == 2 ? try Self.analyse(parts[1], properties, position: position) : nil
    }

    // MARK: - Analysis

    private static func analyse(_ picture: String, _ properties: Properties, position: Int) throws(JSONataError) -> SubPicture {
        func fail(_ code: JSONataError.Code) -> JSONataError { JSONataError(code, position: position) }
        var result = SubPicture()
        let characters = Array(picture)
        func isActive(_ index: Int) -> Bool {
            let character = characters[index]
            if properties.isDigit(character) || character == properties.optionalDigit
                || character == properties.decimalSeparator || character == properties.groupingSeparator
            {
                return true
            }
            // The exponent separator is active only between a mantissa and exponent digits.
            if character == properties.exponentSeparator, index > 0, index + 1 < characters.count {
                let before = characters[index - 1]
                let after = characters[index + 1]
                let mantissaBefore = properties.isDigit(before) || before == properties.optionalDigit || before == properties.decimalSeparator
                return mantissaBefore && (properties.isDigit(after) || after == properties.optionalDigit)
            }
            return false
        }
        guard let firstActive = characters.indices.first(where: isActive),
            let lastActive = characters.indices.last(where: isActive)
        else {
            // An empty picture has no digit; one of passive characters only, no number between them.
            throw fail(characters.isEmpty ? .pictureNoDigits : .picturePassiveBetweenActive)
        }
        let percentCount = picture.components(separatedBy: properties.percent).count - 1
        let perMilleCount = picture.components(separatedBy: properties.perMille).count - 1
        if percentCount > 1 { throw fail(.picturePercentTwice) }
        if perMilleCount > 1 { throw fail(.picturePerMilleTwice) }
        if percentCount > 0 && perMilleCount > 0 { throw fail(.picturePercentAndPerMille) }
        result.isPercent = percentCount > 0
        result.isPerMille = perMilleCount > 0

        result.prefix = String(characters[..<firstActive])
        result.suffix = String(characters[(lastActive + 1)...])
        let body = Array(characters[firstActive...lastActive])
        for index in firstActive...lastActive where !isActive(index) {
            throw fail(.picturePassiveBetweenActive)
        }
        // Split mantissa and exponent.
        var mantissa = body
        var exponent: [Character] = []
        if let exponentIndex = body.indices.first(where: { isActive($0 + firstActive) && body[$0] == properties.exponentSeparator }) {
            mantissa = Array(body[..<exponentIndex])
            exponent = Array(body[(exponentIndex + 1)...])
            if result.isPercent || result.isPerMille { throw fail(.pictureExponentWithPercent) }
            if exponent.isEmpty || !exponent.allSatisfy(properties.isDigit) { throw fail(.pictureExponentDigits) }
            result.minimumExponentDigits = exponent.count
        }
        let decimalCount = mantissa.filter { $0 == properties.decimalSeparator }.count
        if decimalCount > 1 { throw fail(.pictureDecimalSeparators) }
        guard mantissa.contains(where: { properties.isDigit($0) || $0 == properties.optionalDigit }) else {
            throw fail(.pictureNoDigits)
        }
        result.hasDecimalSeparator = decimalCount == 1
        let decimalIndex = mantissa.firstIndex(of: properties.decimalSeparator)
        let integerPart = Array(mantissa[..<(decimalIndex ?? mantissa.count)])
        let fractionPart = decimalIndex.map { Array(mantissa[($0 + 1)...]) } ?? []
        try checkGrouping(integerPart, fractionPart, hasDecimal: decimalIndex != nil, properties, fail)

        // Integer part: digits and grouping positions from the right.
        var digitsFromRight = 0
        for character in integerPart.reversed() {
            if character == properties.groupingSeparator {
                result.integerGroupingPositions.append(digitsFromRight)
            } else {
                digitsFromRight += 1
                if properties.isDigit(character) { result.minimumIntegerDigits += 1 }
            }
        }
        if let first = result.integerGroupingPositions.first,
            result.integerGroupingPositions.enumerated().allSatisfy({ $0.element == first * ($0.offset + 1) })
        {
            result.regularGrouping = first
        }
        var fractionDigits = 0
        for character in fractionPart {
            if character == properties.groupingSeparator {
                result.fractionGroupingPositions.append(fractionDigits)
            } else {
                fractionDigits += 1
                if properties.isDigit(character) { result.minimumFractionDigits += 1 }
            }
        }
        result.maximumFractionDigits = fractionDigits
        if result.minimumIntegerDigits == 0 && result.minimumFractionDigits == 0 && result.maximumFractionDigits > 0 {
            // Some digit is written: `#.#` formats 5 as "5.0" and 0 as ".0".
            result.minimumFractionDigits = 1
        }
        if result.minimumIntegerDigits == 0 && result.maximumFractionDigits == 0 {
            if result.minimumExponentDigits > 0 {
                result.minimumFractionDigits = 1
                result.maximumFractionDigits = 1
            } else {
                result.minimumIntegerDigits = 1
            }
        }
        result.scalingFactor = result.minimumIntegerDigits
        if result.minimumExponentDigits > 0, result.minimumIntegerDigits == 0, integerPart.contains(properties.optionalDigit) {
            result.minimumIntegerDigits = 1
        }
        return result
    }

    private static func checkGrouping(
        _ integerPart: [Character], _ fractionPart: [Character], hasDecimal: Bool,
        _ properties: Properties, _ fail: (JSONataError.Code) -> JSONataError
    ) throws(JSONataError) {
        let grouping = properties.groupingSeparator
        if hasDecimal && (integerPart.last == grouping || fractionPart.first == grouping) {
            throw fail(.pictureGroupingNextToDecimal)
        }
        if !hasDecimal && integerPart.last == grouping { throw fail(.pictureGroupingAtEnd) }
        let all = integerPart + [" "] + fractionPart
        for index in all.indices.dropLast() where all[index] == grouping && all[index + 1] == grouping {
            throw fail(.pictureAdjacentGroupings)
        }
        if let firstDigit = integerPart.firstIndex(where: properties.isDigit),
            integerPart[firstDigit...].contains(properties.optionalDigit)
        {
            throw fail(.pictureIntegerAfterOptional)
        }
        if let firstOptional = fractionPart.firstIndex(of: properties.optionalDigit),
            fractionPart[firstOptional...].contains(where: properties.isDigit)
        {
            throw fail(.pictureFractionAfterOptional)
        }
    }

    // MARK: - Formatting

    /// `value` formatted by the picture.
    func format(_ value: Double) -> String {
        if value.isNaN { return properties.notANumber }
        let isNegative = value < 0
        var picture = positive
        var prefix = positive.prefix
        if isNegative {
            if let negative {
                picture = negative
                prefix = negative.prefix
            } else {
                prefix = properties.minusSign + positive.prefix
            }
        }
        var magnitude = abs(value)
        if picture.isPercent { magnitude *= 100 } else if picture.isPerMille { magnitude *= 1000 }
        if magnitude.isInfinite { return prefix + properties.infinity + picture.suffix }
        var exponent = 0
        if picture.minimumExponentDigits > 0, magnitude != 0 {
            exponent = Self.exponent(of: magnitude, integerDigits: picture.scalingFactor)
            magnitude = Self.shift(magnitude, by: -exponent)
        }
        let rounded = FunctionLibrary.roundHalfEven(magnitude, precision: picture.maximumFractionDigits)
        var (integerDigits, fractionDigits) = Self.splitDigits(rounded, fractionDigits: picture.maximumFractionDigits)
        integerDigits = String(integerDigits.drop { $0 == "0" })
        // Padded and trimmed in one step each: digit by digit, a picture of
        // 100,000 zeros took seconds (the digits are ASCII: utf8.count is their number).
        integerDigits = String(repeating: "0", count: max(0, picture.minimumIntegerDigits - integerDigits.utf8.count)) + integerDigits
        let trailingZeros = fractionDigits.reversed().prefix { $0 == "0" }.count
        fractionDigits.removeLast(min(trailingZeros, max(0, fractionDigits.utf8.count - picture.minimumFractionDigits)))
        let integerGroups = Set(picture.integerGroupingPositions)
        let fractionGroups = Set(picture.fractionGroupingPositions)
        var integerText = ""
        for (offset, digit) in integerDigits.reversed().enumerated() {
            if offset > 0 {
                if let interval = picture.regularGrouping {
                    if offset % interval == 0 { integerText.append(properties.groupingSeparator) }
                } else if integerGroups.contains(offset) {
                    integerText.append(properties.groupingSeparator)
                }
            }
            integerText.append(mapDigit(digit))
        }
        integerText = String(integerText.reversed())
        var fractionText = ""
        for (offset, digit) in fractionDigits.enumerated() {
            if offset > 0, fractionGroups.contains(offset) { fractionText.append(properties.groupingSeparator) }
            fractionText.append(mapDigit(digit))
        }
        var text = prefix + integerText
        if !fractionText.isEmpty { text += String(properties.decimalSeparator) + fractionText }
        if picture.minimumExponentDigits > 0 {
            var exponentDigits = String(abs(exponent))
            exponentDigits = String(repeating: "0", count: max(0, picture.minimumExponentDigits - exponentDigits.utf8.count)) + exponentDigits
            text +=
                String(properties.exponentSeparator) + (exponent < 0 ? properties.minusSign : "")
                + String(exponentDigits.map(mapDigit))
        }
        return text + picture.suffix
    }

    private func mapDigit(_ digit: Character) -> Character {
        Character(Unicode.Scalar(properties.zeroDigit + UInt32(digit.wholeNumberValue ?? 0)) ?? "0")
    }

    /// The exponent that leaves `integerDigits` (N) digits before the
    /// point, as JSONata scales: a value above 10^N is divided by ten until
    /// it is at most 10^N, one below 10^(N-1) multiplied until it is at
    /// least that. So 100 with `0.0e0` is 10.0e1, and a rounding that
    /// carries (9.99 to 10.0) is not scaled again.
    private static func exponent(of magnitude: Double, integerDigits: Int) -> Int {
        let digits = log10(magnitude)
        if digits > Double(integerDigits) { return Int((digits - Double(integerDigits)).rounded(.up)) }
        if digits < Double(integerDigits - 1) { return Int(digits.rounded(.down)) - (integerDigits - 1) }
        return 0
    }

    private static func shift(_ value: Double, by places: Int) -> Double {
        FunctionLibrary.shiftDecimal(value, by: places)
    }

    /// The integer and fraction digits of a non-negative value already rounded
    /// to `fractionDigits` places.
    private static func splitDigits(_ value: Double, fractionDigits: Int) -> (String, String) {
        var buffer = [CChar](repeating: 0, count: 400)
        let length = withVaList([fractionDigits, value]) { vsnprintf(&buffer, 400, "%.*f", $0) }
        let text = String(decoding: buffer.prefix(max(0, min(Int(length), 399))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let point = text.firstIndex(of: ".") else { return (text, "") }
        return (String(text[..<point]), String(text[text.index(after: point)...]))
    }
}
