import Foundation

/// XPath F&O date/time pictures for `$fromMillis`, `$toMillis` and `$now`:
/// literal text, `[[` and `]]` for brackets, and markers such as `[Y0001]`,
/// `[MNn,3-3]`, `[D1o]`, `[H01]`, `[f001]`, `[Z01:01t]`.
enum DateTimePicture {
    /// The widest a field's width modifier may make it (`[Y,1000]`).
    static let widestField = 1000

    /// One marker of a picture: component, presentation and width.
    struct Marker {
        let component: Character
        /// The presentation modifier without ordinal or `t` suffixes ("0001", "Nn", "w", "I").
        let presentation: String
        let ordinal: Bool
        /// `t`: a zero time-zone offset is written "Z".
        let zuluForZero: Bool
        let minimumWidth: Int?
        let maximumWidth: Int?

        var isName: Bool { presentation.hasPrefix("N") || presentation == "n" }
    }

    enum Part {
        case literal(String)
        case marker(Marker)
    }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ]
    private static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    // MARK: - Picture analysis

    /// Splits a picture into literal text and markers.
    /// - Throws: D3135 for an unclosed marker, D3132 for an unknown component,
    ///   D3133 for a name presentation on a component that has no names.
    static func analyse(_ picture: String, position: Int) throws(JSONataError) -> [Part] {
        try checkBrackets(picture, position: position)
        var parts: [Part] = []
        var literal = ""
        let characters = Array(picture)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "[", index + 1 < characters.count, characters[index + 1] == "[" {
                literal.append("[")
                index += 2
                continue
            }
            if character == "]", index + 1 < characters.count, characters[index + 1] == "]" {
                literal.append("]")
                index += 2
                continue
            }
            guard character == "[" else {
                literal.append(character)
                index += 1
                continue
            }
            guard let close = characters[index...].firstIndex(of: "]") else {
                throw JSONataError(.pictureUnterminated, position: position)
            }
            if !literal.isEmpty {
                parts.append(.literal(literal))
                literal = ""
            }
            let body = String(characters[(index + 1)..<close].filter { !$0.isWhitespace })
            parts.append(.marker(try marker(body, position: position)))
            index = close + 1
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return parts
    }

    /// Every `[` that is not `[[` must be closed.
    private static func checkBrackets(_ picture: String, position: Int) throws(JSONataError) {
        let characters = Array(picture)
        var index = 0
        while index < characters.count {
            if characters[index] == "[" {
                if index + 1 < characters.count, characters[index + 1] == "[" {
                    index += 2
                    continue
                }
                guard characters[index...].contains("]") else { throw JSONataError(.pictureUnterminated, position: position) }
                index = characters[index...].firstIndex(of: "]")!
            }
            index += 1
        }
    }

    private static func marker(_ body: String, position: Int) throws(JSONataError) -> Marker {
        guard let component = body.first, "YMDdFWwXxHhPmsfZzCE".contains(component) else {
            throw JSONataError(.pictureUnknownComponent, position: position, token: String(body.first ?? " "))
        }
        var modifier = String(body.dropFirst())
        var minimumWidth: Int? = nil
        var maximumWidth: Int? = nil
        if let comma = modifier.lastIndex(of: ","), isWidth(modifier[modifier.index(after: comma)...]) {
            let width = modifier[modifier.index(after: comma)...]
            modifier = String(modifier[..<comma])
            let bounds = width.split(separator: "-", omittingEmptySubsequences: false)
            // Widths beyond `widestField` count as that: no field is wider,
            // and a width of 1e18 would otherwise ask for that much padding.
            minimumWidth = Int(bounds[0]).map { min($0, Self.widestField) }
            if bounds.count > 1 { maximumWidth = Int(bounds[1]).map { min($0, Self.widestField) } }
        }
        var ordinal = false
        var zulu = false
        if component == "Z" || component == "z", modifier.hasSuffix("t") {
            zulu = true
            modifier.removeLast()
        }
        if modifier.count > 1 || modifier == "o", modifier.hasSuffix("o") {
            ordinal = true
            modifier.removeLast()
        }
        if modifier.isEmpty {
            switch component {
            case "F", "P", "C", "E": modifier = "n"
            case "m", "s": modifier = "01"
            case "Z", "z": modifier = "01:01"
            default: modifier = "1"
            }
        }
        let marker = Marker(
            component: component, presentation: modifier, ordinal: ordinal, zuluForZero: zulu,
            minimumWidth: minimumWidth, maximumWidth: maximumWidth)
        if marker.isName, !"MFPCExz".contains(component) {
            throw JSONataError(.pictureComponentNotSupported, position: position, token: String(component))
        }
        return marker
    }

    private static func isWidth(_ text: Substring) -> Bool {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(bounds.count) else { return false }
        return bounds.allSatisfy { $0 == "*" || (!$0.isEmpty && $0.allSatisfy(\.isNumber)) }
    }

    // MARK: - Formatting

    /// Formats `millis` by `picture` in time zone `timezone` ("+0100", "-0500"; UTC when nil).
    /// - Throws: errors of ``analyse(_:position:)``, D3134 for an over-long time-zone picture.
    static func format(_ millis: Double, picture: String, timezone: String?, position: Int) throws(JSONataError) -> String {
        try ISODateTime.checkRange(millis, position: position)
        let offsetMinutes = timezone.flatMap(parseOffset) ?? 0
        let fields = Fields(millis: millis + Double(offsetMinutes) * 60_000)
        var output = ""
        for part in try analyse(picture, position: position) {
            switch part {
            case .literal(let text): output += text
            case .marker(let marker): output += try format(marker, fields, offsetMinutes: offsetMinutes, position: position)
            }
        }
        return output
    }

    /// Calendar fields of an instant (already shifted to local time).
    struct Fields {
        let year, month, day, dayOfYear, weekday, hour, minute, second, millisecond: Int
        let isoWeekYear, isoWeek, weekOfMonthMonth, weekOfMonth: Int

        init(millis: Double) {
            let (days, rest) = ISODateTime.daysAndMilliseconds(millis)
            let date = ISODateTime.civilFromDays(days)
            year = date.year
            month = date.month
            day = date.day
            dayOfYear = days - ISODateTime.daysFromCivil(date.year, 1, 1) + 1
            weekday = ((days % 7 + 7 + 3) % 7) + 1  // 1970-01-01 was a Thursday; Monday is 1
            hour = rest / 3_600_000
            minute = rest / 60_000 % 60
            second = rest / 1000 % 60
            millisecond = rest % 1000
            // The week's Thursday decides which year and month a week belongs to.
            let thursday = ISODateTime.civilFromDays(days - weekday + 4)
            isoWeekYear = thursday.year
            let thursdayDayOfYear = days - weekday + 4 - ISODateTime.daysFromCivil(thursday.year, 1, 1) + 1
            isoWeek = (thursdayDayOfYear - 1) / 7 + 1
            weekOfMonthMonth = thursday.month
            weekOfMonth = (thursday.day - 1) / 7 + 1
        }
    }

    private static func format(_ marker: Marker, _ fields: Fields, offsetMinutes: Int, position: Int) throws(JSONataError) -> String {
        switch marker.component {
        case "Y": return try integer(marker, fields.year, truncateYear: true, position: position)
        case "M": return marker.isName ? name(monthNames[fields.month - 1], marker) : try integer(marker, fields.month, position: position)
        case "D": return try integer(marker, fields.day, position: position)
        case "d": return try integer(marker, fields.dayOfYear, position: position)
        case "F": return marker.isName ? name(dayNames[fields.weekday - 1], marker) : try integer(marker, fields.weekday, position: position)
        case "W": return try integer(marker, fields.isoWeek, position: position)
        case "w": return try integer(marker, fields.weekOfMonth, position: position)
        case "X": return try integer(marker, fields.isoWeekYear, position: position)
        case "x":
            return marker.isName ? name(monthNames[fields.weekOfMonthMonth - 1], marker) : try integer(marker, fields.weekOfMonthMonth, position: position)
        case "H": return try integer(marker, fields.hour, position: position)
        case "h": return try integer(marker, fields.hour % 12 == 0 ? 12 : fields.hour % 12, position: position)
        case "P": return name(fields.hour < 12 ? "am" : "pm", marker, lowercaseDefault: true)
        case "m": return try integer(marker, fields.minute, position: position)
        case "s": return try integer(marker, fields.second, position: position)
        case "f": return fraction(marker, fields.millisecond)
        case "Z": return try timezone(marker, offsetMinutes, position: position)
        case "z":
            return "GMT"
                + (try timezone(
                    Marker(
                        component: "Z", presentation: marker.presentation == "01:01" ? "01:01" : marker.presentation,
                        ordinal: false, zuluForZero: false, minimumWidth: nil, maximumWidth: nil),
                    offsetMinutes, position: position))
        default: return "ISO"  // C (calendar) and E (era)
        }
    }

    private static func integer(_ marker: Marker, _ value: Int, truncateYear: Bool = false, position: Int) throws(JSONataError) -> String {
        var presentation = marker.presentation
        let digitCount = presentation.filter { $0.isNumber }.count
        if let minimum = marker.minimumWidth, digitCount < minimum, presentation.allSatisfy({ $0.isNumber || $0 == "#" }) {
            presentation = String(repeating: "0", count: minimum - digitCount) + presentation
        }
        if let maximum = marker.maximumWidth, presentation.filter({ $0.isNumber }).count > maximum,
            presentation.allSatisfy({ $0.isNumber || $0 == "#" })
        {
            presentation = String(repeating: "0", count: maximum)
        }
        var value = value
        if truncateYear {
            let mandatory = presentation.filter { $0.isNumber }.count
            if let maximum = marker.maximumWidth {
                if maximum < 18 { value %= Int(pow(10, Double(maximum))) }
            } else if mandatory == 2 {
                value %= 100
            }
        }
        let picture = try IntegerPicture(presentation + (marker.ordinal ? ";o" : ""), position: position)
        return try picture.format(Double(value))
    }

    private static func name(_ text: String, _ marker: Marker, lowercaseDefault: Bool = false) -> String {
        var result = text
        if let maximum = marker.maximumWidth, result.count > maximum { result = String(result.prefix(maximum)) }
        switch marker.presentation {
        case "N": return result.uppercased()
        case "n": return result.lowercased()
        default: return lowercaseDefault ? result.lowercased() : result
        }
    }

    private static func fraction(_ marker: Marker, _ millisecond: Int) -> String {
        let width = max(1, marker.presentation.filter { $0.isNumber || $0 == "#" }.count)
        var digits = String(millisecond).leftPadded(to: 3)
        if width < 3 { digits = String(digits.prefix(width)) }
        while digits.count < width { digits += "0" }
        return digits
    }

    private static func timezone(_ marker: Marker, _ offsetMinutes: Int, position: Int) throws(JSONataError) -> String {
        if offsetMinutes == 0 && marker.zuluForZero { return "Z" }
        let sign = offsetMinutes < 0 ? "-" : "+"
        let hours = abs(offsetMinutes) / 60
        let minutes = abs(offsetMinutes) % 60
        let digits = marker.presentation.filter { $0.isNumber }
        if digits.count > 4 { throw JSONataError(.pictureNameTooLong, position: position) }
        if marker.presentation.contains(":") {
            let hourDigits = marker.presentation.prefix { $0 != ":" }.count
            return sign + String(hours).leftPadded(to: hourDigits) + ":" + String(minutes).leftPadded(to: 2)
        }
        if digits.count <= 2 {
            let hourText = String(hours).leftPadded(to: digits.count)
            return sign + hourText + (minutes > 0 ? ":" + String(minutes).leftPadded(to: 2) : "")
        }
        return sign + String(hours).leftPadded(to: digits.count - 2) + String(minutes).leftPadded(to: 2)
    }

    /// Minutes east of UTC of "+hhmm", "-hh:mm", "hhmm" or "Z".
    static func parseOffset(_ text: String) -> Int? {
        if text == "Z" { return 0 }
        var body = Substring(text)
        var sign = 1
        if let first = body.first, first == "+" || first == "-" {
            sign = first == "-" ? -1 : 1
            body = body.dropFirst()
        }
        let digits = body.filter { $0.isNumber }
        // At most hhmm: longer digit runs are not offsets (and would overflow).
        guard !digits.isEmpty, digits.count <= 4, digits.count == body.count - (body.contains(":") ? 1 : 0) else { return nil }
        let number = Int(digits) ?? 0
        if body.contains(":") {
            let pieces = body.split(separator: ":")
            return sign * ((Int(pieces[0]) ?? 0) * 60 + (Int(pieces.count > 1 ? pieces[1] : "0") ?? 0))
        }
        return digits.count <= 2 ? sign * number * 60 : sign * (number / 100 * 60 + number % 100)
    }

    // MARK: - Parsing

    /// The instant `text` writes in `picture`, or nil when the text does not match.
    /// - Throws: errors of ``analyse(_:position:)``, D3136 when the picture's
    ///   components cannot determine an instant.
    static func parse(_ text: String, picture: String, position: Int) throws(JSONataError) -> Double? {
        let parts = try analyse(picture, position: position)
        let markers = parts.compactMap { if case .marker(let marker) = $0 { return marker } else { return nil } }
        guard !markers.isEmpty else { return nil }
        try checkComponents(markers, position: position)
        var pattern = "^"
        for (index, part) in parts.enumerated() {
            switch part {
            case .literal(let literal):
                pattern += NSRegularExpression.escapedPattern(for: literal)
            case .marker(let marker):
                var followedByMarker = false
                if index + 1 < parts.count, case .marker = parts[index + 1] { followedByMarker = true }
                pattern += "(" + regex(for: marker, fixedWidth: followedByMarker) + ")"
            }
        }
        pattern += "$"
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return nil }
        let string = text as NSString
        guard let match = expression.firstMatch(in: text, options: [], range: NSRange(location: 0, length: string.length)) else {
            return nil
        }
        var values: [Character: Int] = [:]
        var offsetMinutes = 0
        var isPM: Bool? = nil
        for (index, marker) in markers.enumerated() {
            let captured = string.substring(with: match.range(at: index + 1))
            switch marker.component {
            case "M" where marker.isName, "x" where marker.isName:
                guard let month = monthNames.firstIndex(where: { $0.lowercased().hasPrefix(captured.lowercased()) }) else { return nil }
                values[marker.component] = month + 1
            case "F":
                continue
            case "P":
                isPM = captured.lowercased() == "pm"
            case "Z", "z":
                let offsetText = marker.component == "z" ? String(captured.dropFirst(3)) : captured
                offsetMinutes = offsetText.isEmpty ? 0 : (parseOffset(offsetText) ?? 0)
            case "f":
                let digits = captured.prefix(3)
                values["f"] = (Int(digits) ?? 0) * Int(pow(10, Double(3 - digits.count)))
            default:
                var presentation = marker.presentation
                if presentation.allSatisfy({ $0.isNumber || $0 == "#" }) { presentation = "1" }
                let picture = try IntegerPicture(presentation + (marker.ordinal ? ";o" : ""), position: position)
                guard let value = picture.parse(captured) else { return nil }
                // A component beyond a billion (a year of twenty digits) is
                // no date; as an Int it would overflow the day count.
                guard abs(value) <= 1e9 else {
                    throw JSONataError(.dateOutOfRange, position: position, token: "\"\(text)\"")
                }
                values[marker.component] = Int(value)
            }
        }
        if let isPM, let hour = values["h"] {
            values["H"] = hour % 12 + (isPM ? 12 : 0)
        }
        let millis = instant(values, offsetMinutes: offsetMinutes)
        try ISODateTime.checkRange(millis, position: position)
        return millis
    }

    /// Pictures must name the date and time components without gaps.
    private static func checkComponents(_ markers: [Marker], position: Int) throws(JSONataError) {
        let present = Set(markers.map(\.component))
        func fail() -> JSONataError { JSONataError(.timezoneMissing, position: position) }
        if !present.isDisjoint(with: ["X", "W", "x", "w"]) { throw fail() }
        let date: [Bool] = ["Y", "M", "D"].map { present.contains($0) }
        if date == [true, false, true] { throw fail() }
        if present.contains("d"), present.contains("M") || present.contains("D") { throw fail() }
        let time: [Bool] = [present.contains("H") || present.contains("h"), present.contains("m"), present.contains("s"), present.contains("f")]
        if let first = time.firstIndex(of: true) {
            let last = time.lastIndex(of: true)!
            if first != 0 || time[first...last].contains(false) { throw fail() }
        }
    }

    private static func regex(for marker: Marker, fixedWidth: Bool) -> String {
        switch marker.component {
        case "M" where marker.isName, "x" where marker.isName:
            return monthNames.map { "\($0)|\($0.prefix(3))" }.joined(separator: "|")
        case "F" where marker.isName:
            return dayNames.map { "\($0)|\($0.prefix(3))" }.joined(separator: "|")
        case "P": return "am|pm"
        case "Z": return "Z|[+-][0-9]{1,2}(?::?[0-9]{2})?"
        case "z": return "GMT(?:[+-][0-9]{1,2}(?::?[0-9]{2})?)?"
        default: break
        }
        let presentation = marker.presentation
        if marker.ordinal, presentation.allSatisfy({ $0.isNumber || $0 == "#" }) { return "[0-9]+(?:st|nd|rd|th)" }
        if presentation.allSatisfy({ $0.isNumber || $0 == "#" || $0 == "," }) {
            let width = presentation.filter { $0.isNumber || $0 == "#" }.count
            if fixedWidth { return "[0-9]{\(marker.maximumWidth ?? width)}" }
            if let maximum = marker.maximumWidth { return "[0-9]{1,\(maximum)}" }
            return "[0-9]+"
        }
        switch presentation.lowercased() {
        case "i": return "[ivxlcdm]+"
        case "w", "ww": return "[a-z ,-]+?"
        case "a": return "[a-z]+"
        default: return "[a-z0-9]+"
        }
    }

    /// Milliseconds since the epoch from parsed components; missing
    /// components above the most significant one given come from today,
    /// those below it are their lowest value.
    private static func instant(_ values: [Character: Int], offsetMinutes: Int) -> Double {
        let today = Fields(millis: Double(Int64(Date().timeIntervalSince1970 * 1000)))
        let hasDate = values["Y"] != nil || values["M"] != nil || values["D"] != nil || values["d"] != nil
        var year = values["Y"] ?? today.year
        var month = values["M"] ?? (values["Y"] != nil || values["d"] != nil ? 1 : today.month)
        var day = values["D"] ?? (values["Y"] != nil || values["M"] != nil || values["d"] != nil ? 1 : today.day)
        if !hasDate {
            year = today.year
            month = today.month
            day = today.day
        }
        var days = ISODateTime.daysFromCivil(year, month, day)
        if let dayOfYear = values["d"] { days = ISODateTime.daysFromCivil(year, 1, 1) + dayOfYear - 1 }
        let seconds = ((days * 24 + (values["H"] ?? 0)) * 60 + (values["m"] ?? 0) - offsetMinutes) * 60 + (values["s"] ?? 0)
        return Double(seconds) * 1000 + Double(values["f"] ?? 0)
    }
}
