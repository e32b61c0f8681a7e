#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Date and time functions: `$now`, `$millis`, `$toMillis`, `$fromMillis`.
/// Timestamps are ISO 8601 in UTC unless a picture string says otherwise.
extension FunctionLibrary {
    static let dateTimeFunctions: [NativeFunction] = [
        NativeFunction("millis", "<:n>") { call, _ throws(JSONataError) in
            .number(Double(call.evaluation.startMilliseconds))
        },
        NativeFunction("now", "<s?s?:s>") { call, arguments throws(JSONataError) in
            let millis = Double(call.evaluation.startMilliseconds)
            if let picture = arguments[argument: 0].string {
                return .string(try DateTimePicture.format(millis, picture: picture, timezone: arguments[argument: 1].string, position: call.position))
            }
            return .string(ISODateTime.format(millis))
        },
        NativeFunction("toMillis", "<s-s?:n>") { call, arguments throws(JSONataError) in
            guard let text = arguments[argument: 0].string else { return nil }
            if let picture = arguments[argument: 1].string {
                return try DateTimePicture.parse(text, picture: picture, position: call.position).map { .number($0) }
            }
            guard let millis = ISODateTime.parse(text) else { throw call.error(.notISOTimestamp, token: text) }
            return .number(millis)
        },
        NativeFunction("fromMillis", "<n-s?s?:s>") { call, arguments throws(JSONataError) in
            guard let number = arguments[argument: 0].number else { return nil }
            try ISODateTime.checkRange(number, position: call.position)
            // A fraction of a millisecond is cut toward zero, as JavaScript's Date does.
            let millis = number.rounded(.towardZero)
            if arguments[argument: 1] != nil || arguments[argument: 2] != nil {
                let picture = arguments[argument: 1].string ?? "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"
                return .string(try DateTimePicture.format(millis, picture: picture, timezone: arguments[argument: 2].string, position: call.position))
            }
            return .string(ISODateTime.format(millis))
        },
    ]
}

/// ISO 8601 timestamps.
enum ISODateTime {
    /// The instants a date can be written for: within 8.64e15 milliseconds
    /// (about 273,790 years) of the epoch, as in JavaScript. A provider's
    /// `created` in nanoseconds, or 1e300, lies outside.
    static let representableMilliseconds: ClosedRange<Double> = -8.64e15...8.64e15

    /// Fails with D3150 unless `millis` is a date that can be written.
    static func checkRange(_ millis: Double, position: Int) throws(JSONataError) {
        guard !representableMilliseconds.contains(millis) else { return }
        throw JSONataError(.dateOutOfRange, position: position, token: JSONNumberFormatting.javaScriptString(millis))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    /// The date of a day number since 1970-01-01.
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The day number since 1970-01-01 and the millisecond of that day of an instant.
    static func daysAndMilliseconds(_ millis: Double) -> (days: Int, millisecond: Int) {
        let total = Int(millis.rounded(.down))
        var days = total / 86_400_000
        var rest = total % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        return (days, rest)
    }

    /// `YYYY-MM-DDThh:mm:ss.sssZ` for milliseconds since the epoch (written
    /// into one small buffer: timestamps are converted for every stream chunk).
    static func format(_ millis: Double) -> String {
        let (days, rest) = daysAndMilliseconds(millis)
        let date = civilFromDays(days)
        // The year takes four digits, or more when it needs them, after a
        // sign when it is before year 0.
        let year = abs(date.year)
        var yearDigits = 4
        var limit = 10_000
        while year >= limit {
            yearDigits += 1
            limit *= 10
        }
        let yearWidth = yearDigits + (date.year < 0 ? 1 : 0)
        // Written in place: no intermediate byte array (this runs per stream chunk in some rules).
        return String(unsafeUninitializedCapacity: yearWidth + 20) { buffer in
            // A plain countdown on unsigned values: a stride loop and signed
            // division cost several times as much (this runs per chunk).
            @inline(__always) func put(_ value: Int, _ width: Int, at offset: Int) {
                var remaining = UInt(value)
                var position = offset + width
                while position > offset {
                    position &-= 1
                    buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                    remaining /= 10
                }
            }
            if date.year < 0 { buffer[0] = UInt8(ascii: "-") }
            put(year, yearDigits, at: yearWidth - yearDigits)
            let time = yearWidth  // where the fields after the year start
            buffer[time] = UInt8(ascii: "-")
            put(date.month, 2, at: time + 1)
            buffer[time + 3] = UInt8(ascii: "-")
            put(date.day, 2, at: time + 4)
            buffer[time + 6] = UInt8(ascii: "T")
            put(rest / 3_600_000, 2, at: time + 7)
            buffer[time + 9] = UInt8(ascii: ":")
            put(rest / 60_000 % 60, 2, at: time + 10)
            buffer[time + 12] = UInt8(ascii: ":")
            put(rest / 1000 % 60, 2, at: time + 13)
            buffer[time + 15] = UInt8(ascii: ".")
            put(rest % 1000, 3, at: time + 16)
            buffer[time + 19] = UInt8(ascii: "Z")
            return time + 20
        }
    }

    /// Milliseconds since the epoch of an ISO 8601 timestamp: a year, a date,
    /// or a date and time with optional seconds, fraction (any number of
    /// digits; beyond milliseconds truncated) and offset (`Z`, `±hh:mm`, `±hhmm`).
    static func parse(_ text: String) -> Double? {
        let characters = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= characters.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                let byte = characters[index + offset]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func accept(_ byte: UInt8) -> Bool {
            guard index < characters.count, characters[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4) else { return nil }
        var month = 1
        var day = 1
        var hour = 0
        var minute = 0
        var second = 0
        var millis = 0
        var offsetMinutes = 0
        if accept(UInt8(ascii: "-")) {
            guard let value = number(2), (1...12).contains(value) else { return nil }
            month = value
            if accept(UInt8(ascii: "-")) {
                guard let value = number(2), (1...31).contains(value) else { return nil }
                day = value
            }
        }
        if accept(UInt8(ascii: "T")) {
            guard let h = number(2), accept(UInt8(ascii: ":")), let m = number(2), h < 24, m < 60 else { return nil }
            hour = h
            minute = m
            if accept(UInt8(ascii: ":")) {
                guard let s = number(2), s < 61 else { return nil }
                second = s
                if accept(UInt8(ascii: ".")) || accept(UInt8(ascii: ",")) {
                    var digits = 0
                    var fraction = 0
                    while index < characters.count, characters[index] >= 48, characters[index] <= 57 {
                        if digits < 3 { fraction = fraction * 10 + Int(characters[index] - 48) }
                        digits += 1
                        index += 1
                    }
                    guard digits > 0 else { return nil }
                    for _ in min(digits, 3)..<3 { fraction *= 10 }
                    millis = fraction
                }
            }
            if accept(UInt8(ascii: "Z")) {
                offsetMinutes = 0
            } else if index < characters.count, characters[index] == UInt8(ascii: "+") || characters[index] == UInt8(ascii: "-") {
                let sign = characters[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                guard let h = number(2) else { return nil }
                _ = accept(UInt8(ascii: ":"))
                let m = number(2) ?? 0
                offsetMinutes = sign * (h * 60 + m)
            }
        }
        guard index == characters.count else { return nil }
        let days = daysFromCivil(year, month, day)
        let total = ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60 + second
        return Double(total) * 1000 + Double(millis)
    }
}
