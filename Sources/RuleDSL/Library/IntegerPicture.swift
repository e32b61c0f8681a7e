/// Integer pictures of XPath F&O (as `$formatInteger`, `$parseInteger` and
/// the date/time components use them): decimal digit patterns with grouping
/// separators, roman numerals (`I`, `i`), words (`W`, `w`, `Ww`), letters
/// (`A`, `a`), each optionally with the ordinal modifier `;o`.
struct IntegerPicture {
    enum Format {
        /// Digits of one decimal family (`zero` is its zero character),
        /// at least `minimumDigits` of them, with grouping separators.
        case decimal(zero: UInt32, minimumDigits: Int, groups: Grouping)
        case roman(uppercase: Bool)
        case words(WordCase)
        case letters(uppercase: Bool)
    }

    enum WordCase { case lower, upper, title }

    /// Grouping separators, counted in digits from the right.
    struct Grouping {
        var separators: [(position: Int, character: Character)] = []
        /// Set when the separators are at regular intervals of the same
        /// character: then they repeat across all digits.
        var regular: (interval: Int, character: Character)?
    }

    let format: Format
    let ordinal: Bool
    /// Where the call that uses the picture is, for errors.
    let position: Int

    /// Parses a picture.
    /// - Throws: D3130 for an unsupported primary token, D3131 for digits of two families.
    init(_ picture: String, position: Int) throws(JSONataError) {
        var primary = picture
        var modifier = ""
        if let semicolon = picture.lastIndex(of: ";") {
            primary = String(picture[..<semicolon])
            modifier = String(picture[picture.index(after: semicolon)...])
        }
        ordinal = modifier.hasPrefix("o")
        self.position = position
        switch primary {
        case "I": format = .roman(uppercase: true)
        case "i": format = .roman(uppercase: false)
        case "W": format = .words(.upper)
        case "w": format = .words(.lower)
        case "Ww": format = .words(.title)
        case "A": format = .letters(uppercase: true)
        case "a": format = .letters(uppercase: false)
        default: format = try Self.decimalFormat(primary, position: position)
        }
    }

    private static func decimalFormat(_ primary: String, position: Int) throws(JSONataError) -> Format {
        var zero: UInt32? = nil
        var minimumDigits = 0
        var digitCount = 0
        var separators: [(offset: Int, character: Character)] = []
        for character in primary.reversed() {
            guard let scalar = character.unicodeScalars.first else { continue }
            if let digitZero = decimalZero(of: scalar) {
                if let zero, zero != digitZero {
                    throw JSONataError(.pictureDecimalDigitFamilies, position: position)
                }
                zero = digitZero
                minimumDigits += 1
                digitCount += 1
            } else if character == "#" {
                digitCount += 1
            } else if character.isLetter {
                throw JSONataError(
                    code: "D3130", position: position, token: primary,
                    message: "Formatting or parsing an integer as a sequence starting with \(character) is not supported by this implementation")
            } else {
                separators.append((digitCount, character))
            }
        }
        guard let zero else {
            throw JSONataError(
                code: "D3130", position: position, token: primary,
                message: "Formatting or parsing an integer as a sequence starting with \(primary) is not supported by this implementation")
        }
        var grouping = Grouping(separators: separators.map { ($0.offset, $0.character) })
        if let first = separators.first, first.offset > 0,
            separators.enumerated().allSatisfy({ $0.element.offset == first.offset * ($0.offset + 1) && $0.element.character == first.character })
        {
            grouping.regular = (first.offset, first.character)
        }
        return .decimal(zero: zero, minimumDigits: minimumDigits, groups: grouping)
    }

    /// The zero of the decimal digit family `scalar` belongs to, if it is a decimal digit.
    static func decimalZero(of scalar: Unicode.Scalar) -> UInt32? {
        guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else { return nil }
        return scalar.value - UInt32(value)
    }

    // MARK: - Formatting

    /// `value` (rounded toward zero) written by the picture.
    /// - Throws: D1001 for a value that is not finite; U1002 when the text
    ///   would be longer than `maximumSize` bytes (roman numerals of 1e16
    ///   are ten trillion Ms).
    func format(_ value: Double, maximumSize: Int = EvaluationLimits().maximumValueSize) throws(JSONataError) -> String {
        guard value.isFinite else {
            throw JSONataError(.numberOverflow, position: position, token: JSONNumberFormatting.javaScriptString(value))
        }
        let negative = value < 0
        // A fraction is dropped toward negative infinity, as JSONata does (-0.5 is written as -1).
        let magnitude = abs(value.rounded(.down))
        var text: String
        switch format {
        case .decimal(let zero, let minimumDigits, let grouping):
            text = Self.decimal(magnitude, zero: zero, minimumDigits: minimumDigits, grouping: grouping)
            if ordinal { text += Self.ordinalSuffix(magnitude) }
        case .roman(let uppercase):
            // One M a thousand: the length is known before it is written.
            guard magnitude / 1000 < Double(maximumSize) else {
                throw JSONataError(.valueTooLarge, position: position, token: "roman numerals of \(JSONNumberFormatting.javaScriptString(magnitude))")
            }
            text = Self.roman(Int(magnitude))
            if !uppercase { text = text.lowercased() }
        case .words(let wordCase):
            text = NumberWords.words(magnitude, ordinal: ordinal)
            switch wordCase {
            case .lower: break
            case .upper: text = text.uppercased()
            case .title: text = NumberWords.titleCased(text)
            }
        case .letters(let uppercase):
            text = Self.letters(magnitude, uppercase: uppercase)
        }
        return negative ? "-" + text : text
    }

    private static func decimal(_ value: Double, zero: UInt32, minimumDigits: Int, grouping: Grouping) -> String {
        var digits = Array(JSONNumberFormatting.integerDigits(value))
        while digits.count < minimumDigits { digits.insert("0", at: 0) }
        var output: [Character] = []
        for (offsetFromRight, digit) in digits.reversed().enumerated() {
            if offsetFromRight > 0 {
                if let regular = grouping.regular {
                    if offsetFromRight % regular.interval == 0 { output.append(regular.character) }
                } else if let separator = grouping.separators.first(where: { $0.position == offsetFromRight }) {
                    output.append(separator.character)
                }
            }
            let scalar = Unicode.Scalar(zero + UInt32(digit.wholeNumberValue ?? 0)) ?? "0"
            output.append(Character(scalar))
        }
        return String(output.reversed())
    }

    static func ordinalSuffix(_ value: Double) -> String {
        let lastTwo = Int(value.truncatingRemainder(dividingBy: 100))
        if (11...13).contains(lastTwo) { return "th" }
        switch lastTwo % 10 {
        case 1: return "st"
        case 2: return "nd"
        case 3: return "rd"
        default: return "th"
        }
    }

    private static let romanNumerals: [(Int, String)] = [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ]

    static func roman(_ value: Int) -> String {
        var remaining = value
        var text = ""
        for (amount, numeral) in romanNumerals {
            while remaining >= amount {
                text += numeral
                remaining -= amount
            }
        }
        return text
    }

    /// Bijective base 26 (`a`...`z`, `aa`...), computed in doubles so that
    /// any finite magnitude is written (1e300 takes 213 letters).
    static func letters(_ value: Double, uppercase: Bool) -> String {
        var remaining = value
        var scalars: [Unicode.Scalar] = []
        let base = uppercase ? UInt32(65) : UInt32(97)
        while remaining >= 1 {
            remaining -= 1
            let digit = remaining.truncatingRemainder(dividingBy: 26)
            scalars.append(Unicode.Scalar(base + UInt32(digit))!)
            remaining = ((remaining - digit) / 26).rounded(.down)
        }
        return String(String.UnicodeScalarView(scalars.reversed()))
    }

    // MARK: - Parsing

    /// The integer that `text` writes in this picture, or nil when it does not fit.
    func parse(_ text: String) -> Double? {
        switch format {
        case .decimal(let zero, _, let grouping):
            var scalars = Array(text.unicodeScalars)
            // As JSONata: an ordinal's last two characters are its suffix,
            // whatever they are; irregular separators are removed, and of
            // regular ones (`#:##0`) only commas.
            if ordinal { scalars = Array(scalars.dropLast(2)) }
            let separators: Set<Character> =
                grouping.separators.isEmpty ? [] : grouping.regular != nil ? [","] : Set(grouping.separators.map(\.character))
            scalars.removeAll { separators.contains(Character($0)) }
            let digits = scalars.map { scalar in
                (zero...zero + 9).contains(scalar.value) ? Unicode.Scalar(48 + scalar.value - zero)! : scalar
            }
            return JavaScriptInteger.parse(String(String.UnicodeScalarView(digits)))
        case .roman:
            return Self.parseRoman(text.uppercased())
        case .words:
            return NumberWords.parse(text.lowercased())
        case .letters(let uppercase):
            // As JSONata: every UTF-16 code unit counts, a letter or not ("A"
            // is 1, "Z" 26, "AA" 27). Sixteen letters already pass Int's
            // range, so the number is built in double-double arithmetic (a
            // double and its rounding error, about 106 bits) and rounded
            // once at the end: the nearest double to what the letters denote.
            let beforeFirst = uppercase ? 64.0 : 96.0
            var high = 0.0
            var low = 0.0
            for unit in text.utf16 {
                (high, low) = Self.timesTwentySixPlus(high, low, Double(unit) - beforeFirst)
            }
            let value = high + low
            return value.isFinite ? value : nil
        }
    }

    /// `(high + low) * 26 + digit` as a double-double: the sum and product
    /// are split into their rounded value and exact rounding error (the
    /// error of `high * 26` by a fused multiply-add, of a sum by two-sum).
    private static func timesTwentySixPlus(_ high: Double, _ low: Double, _ digit: Double) -> (Double, Double) {
        let product = high * 26
        let productError = (-product).addingProduct(high, 26)
        let sum = product + digit
        let addend = sum - product
        let sumError = (product - (sum - addend)) + (digit - addend)
        let error = productError + low * 26 + sumError
        let normalized = sum + error
        return (normalized, error - (normalized - sum))
    }

    private static func parseRoman(_ text: String) -> Double? {
        let values: [Character: Int] = ["I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000]
        var total = 0
        var previous = 0
        for character in text.reversed() {
            guard let value = values[character] else { return nil }
            if value < previous {
                total -= value
            } else {
                total += value
                previous = value
            }
        }
        return Double(total)
    }
}

/// English number words as XPath's `w` pictures write them:
/// "three thousand, seven hundred and thirty-first".
enum NumberWords {
    private static let small = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen",
    ]
    private static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    private static let magnitudes: [(Double, String)] = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")]
    private static let ordinalWords = [
        "one": "first", "two": "second", "three": "third", "five": "fifth",
        "eight": "eighth", "nine": "ninth", "twelve": "twelfth",
    ]

    static func words(_ value: Double, ordinal: Bool) -> String {
        let text = cardinal(value)
        guard ordinal else { return text }
        // Only the last word takes the ordinal form.
        let splitIndex = text.lastIndex { $0 == " " || $0 == "-" }.map { text.index(after: $0) } ?? text.startIndex
        let last = String(text[splitIndex...])
        let ordinalLast: String
        if let special = ordinalWords[last] {
            ordinalLast = special
        } else if last.hasSuffix("y") {
            ordinalLast = last.dropLast() + "ieth"
        } else {
            ordinalLast = last + "th"
        }
        return text[..<splitIndex] + ordinalLast
    }

    private static func cardinal(_ value: Double) -> String {
        if value < 20 { return small[Int(value)] }
        if value < 100 {
            let unit = Int(value) % 10
            return tens[Int(value) / 10] + (unit > 0 ? "-" + small[unit] : "")
        }
        if value < 1000 {
            let rest = Int(value) % 100
            return small[Int(value) / 100] + " hundred" + (rest > 0 ? " and " + cardinal(Double(rest)) : "")
        }
        let (magnitude, name) = magnitudes.first { value >= $0.0 }!
        let head = (value / magnitude).rounded(.down)
        let rest = value - head * magnitude
        let text = cardinal(head) + " " + name
        if rest <= 0 { return text }
        return text + (rest < 100 ? " and " : ", ") + cardinal(rest)
    }

    /// Capitalises each word except "and" ("Five Hundred and Fifty-Five").
    static func titleCased(_ text: String) -> String {
        var output = ""
        var word = ""
        func flush() {
            output += word == "and" ? word : word.prefix(1).uppercased() + word.dropFirst()
            word = ""
        }
        for character in text {
            if character == " " || character == "-" || character == "," {
                flush()
                output.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return output
    }

    /// The value of lowercase English number words, cardinal or ordinal.
    static func parse(_ text: String) -> Double? {
        var total: Double = 0
        var current: Double = 0
        let cardinalOfOrdinal = Dictionary(uniqueKeysWithValues: ordinalWords.map { ($1, $0) })
        let words = text.split { $0 == " " || $0 == "-" || $0 == "," }.map(String.init).filter { $0 != "and" }
        if words.isEmpty { return nil }
        for var word in words {
            if let cardinal = cardinalOfOrdinal[word] {
                word = cardinal
            } else if word.hasSuffix("ieth") {
                word = word.dropLast(4) + "y"
            } else if word.hasSuffix("th"), small.firstIndex(of: word) == nil {
                word = String(word.dropLast(2))
            }
            if let value = small.firstIndex(of: word) {
                current += Double(value)
            } else if let value = tens.firstIndex(of: word), value >= 2 {
                current += Double(value * 10)
            } else if word == "hundred" {
                current *= 100
            } else if let magnitude = magnitudes.first(where: { $0.1 == word })?.0 {
                if current == 0 {
                    total *= magnitude
                } else if total + current < magnitude {
                    total = (total + current) * magnitude
                } else {
                    total += current * magnitude
                }
                current = 0
            } else {
                return nil
            }
        }
        let value = total + current
        return value.isFinite ? value : nil
    }
}
