/// Base64 as JSONata defines it: a string stands for binary data, one byte
/// per character (U+0000 to U+00FF), as JavaScript's `btoa` and `atob` have
/// it. UTF-8 text is not what `$base64encode` encodes: `"é"` is the one byte
/// E9 (`"6Q=="`), and decoding `"w6k="` gives the two characters `"Ã©"`.
enum Base64Binary {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The base64 text of `text`'s characters taken as bytes, padded with `=`.
    /// - Returns: the text, or the first character beyond U+00FF (which is
    ///   no byte) with its offset in UTF-16 code units.
    static func encode(_ text: String) -> Result<String, CharacterBeyondByte> {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf16.count)
        for (offset, unit) in text.utf16.enumerated() {
            guard unit <= 0xFF else { return .failure(CharacterBeyondByte(offset: offset, unit: unit)) }
            bytes.append(UInt8(unit))
        }
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            let group = (0..<3).reduce(UInt32(0)) { word, shift in
                word << 8 | UInt32(shift < count ? bytes[index + shift] : 0)
            }
            for sextet in 0..<4 {
                guard sextet <= count else {
                    output.append(UInt8(ascii: "="))
                    continue
                }
                output.append(alphabet[Int(group >> (18 - 6 * sextet) & 0x3F)])
            }
            index += 3
        }
        return .success(String(decoding: output, as: UTF8.self))
    }

    /// The bytes that `text` encodes, each as the character of that code
    /// point. Decoding is lenient, as `atob` in JavaScript runtimes that
    /// JSONata runs on: characters outside the alphabet are skipped (`-` and
    /// `_` count as `+` and `/`), the first `=` ends the data, and bits that
    /// make no whole byte are dropped.
    static func decode(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var bits: UInt32 = 0
        var bitCount = 0
        for scalar in text.unicodeScalars {
            if scalar == "=" { break }
            guard let sextet = sextet(of: scalar) else { continue }
            bits = bits << 6 | sextet
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(Unicode.Scalar(UInt8(truncatingIfNeeded: bits >> UInt32(bitCount))))
                bits &= (1 << UInt32(bitCount)) - 1
            }
        }
        return String(output)
    }

    private static func sextet(of scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "A"..."Z": return scalar.value - 65
        case "a"..."z": return scalar.value - 97 + 26
        case "0"..."9": return scalar.value - 48 + 52
        case "+", "-": return 62
        case "/", "_": return 63
        default: return nil
        }
    }

    /// A character that no byte stands for, at `offset` UTF-16 code units.
    struct CharacterBeyondByte: Error {
        let offset: Int
        let unit: UInt16
    }
}
