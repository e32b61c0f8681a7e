/// One token of an expression.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        /// An operator or punctuation: `.`, `[`, `:=`, `~>`, `and` ...
        case symbol(String)
        /// A field name, plain or backtick-quoted.
        case name(String)
        /// `$name`; `$` alone has the empty name, `$$` the name `$`.
        case variable(String)
        case string(String)
        case number(Double)
        /// `true`, `false` or `null`.
        case literal(LiteralValue)
        case regex(pattern: String, flags: String)
        case end
    }

    enum LiteralValue: Sendable, Equatable {
        case bool(Bool)
        case null
    }

    let kind: Kind
    /// Offset of the token's first character in the expression (characters, 0-based).
    let position: Int

    /// The symbol text, when the token is one.
    var symbol: String? {
        if case .symbol(let text) = kind { return text }
        return nil
    }

    /// The token as written, for error messages.
    var text: String {
        switch kind {
        case .symbol(let text): return text
        case .name(let name): return name
        case .variable(let name): return "$" + name
        case .string(let value): return value
        case .number(let value): return JSONNumberFormatting.javaScriptString(value)
        case .literal(.bool(let value)): return value ? "true" : "false"
        case .literal(.null): return "null"
        case .regex(let pattern, _): return pattern
        case .end: return "(end)"
        }
    }
}

/// Splits an expression into tokens. The parser asks for one token at a
/// time, saying whether an operand may start there (where `/` begins a
/// regular expression instead of dividing).
struct Lexer {
    private let characters: [Character]
    private var position = 0

    init(_ source: String) {
        characters = Array(source)
    }

    private static let operatorCharacters: Set<Character> = [
        ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%",
        "|", "=", "<", ">", "^", "&", "!", "~",
    ]
    private static let twoCharacterOperators: Set<String> = [
        "..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??",
    ]

    private func peek(_ offset: Int = 0) -> Character? {
        position + offset < characters.count ? characters[position + offset] : nil
    }

    /// The next token.
    /// - Throws: ``JSONataError`` S0101-S0106, S0201, S0301, S0302 for malformed tokens.
    mutating func next(operandExpected: Bool) throws(JSONataError) -> Token {
        try skipWhitespaceAndComments()
        guard let current = peek() else { return Token(kind: .end, position: position) }
        let start = position
        if current == "/" && operandExpected {
            return try regex(start)
        }
        if let following = peek(1), Self.twoCharacterOperators.contains(String([current, following])) {
            position += 2
            return Token(kind: .symbol(String([current, following])), position: start)
        }
        if current == "!" || current == "~" {
            // Only `!=` and `~>` exist.
            throw JSONataError(.unknownOperator, position: start, token: String(current))
        }
        if Self.operatorCharacters.contains(current) {
            position += 1
            return Token(kind: .symbol(String(current)), position: start)
        }
        if current == "\"" || current == "'" {
            return try string(quote: current, start: start)
        }
        if current.isASCII, current.isNumber {
            return try number(start)
        }
        if current == "`" {
            position += 1
            guard let end = characters[position...].firstIndex(of: "`") else {
                throw JSONataError(.unterminatedQuotedName, position: start)
            }
            let name = String(characters[position..<end])
            position = end + 1
            return Token(kind: .name(name), position: start)
        }
        if current == "$" {
            position += 1
            let name = readName()
            if name.isEmpty, peek() == "$" {
                position += 1
                return Token(kind: .variable("$"), position: start)
            }
            return Token(kind: .variable(name), position: start)
        }
        let name = readName()
        switch name {
        case "and", "or", "in": return Token(kind: .symbol(name), position: start)
        case "true": return Token(kind: .literal(.bool(true)), position: start)
        case "false": return Token(kind: .literal(.bool(false)), position: start)
        case "null": return Token(kind: .literal(.null), position: start)
        default: return Token(kind: .name(name), position: start)
        }
    }

    /// A name runs to the next whitespace or operator character; as in
    /// JSONata, quotes and `$` inside it are part of it (`a"b` is the field
    /// `a"b`, `$a$b` the variable `a$b`).
    private mutating func readName() -> String {
        let start = position
        while let character = peek(), !character.isWhitespace, !Self.operatorCharacters.contains(character) {
            position += 1
        }
        return String(characters[start..<position])
    }

    private mutating func skipWhitespaceAndComments() throws(JSONataError) {
        while let current = peek() {
            if current.isWhitespace {
                position += 1
            } else if current == "/", peek(1) == "*" {
                let start = position
                position += 2
                while true {
                    guard let character = peek() else { throw JSONataError(.unterminatedComment, position: start) }
                    if character == "*", peek(1) == "/" {
                        position += 2
                        break
                    }
                    position += 1
                }
            } else {
                return
            }
        }
    }

    private mutating func string(quote: Character, start: Int) throws(JSONataError) -> Token {
        position += 1
        var value = ""
        while let character = peek() {
            position += 1
            if character == quote {
                return Token(kind: .string(value), position: start)
            }
            guard character == "\\" else {
                value.append(character)
                continue
            }
            guard let escaped = peek() else { break }
            position += 1
            switch escaped {
            case "\"", "\\", "/", "'": value.append(escaped)
            case "b": value.append("\u{8}")
            case "f": value.append("\u{C}")
            case "n": value.append("\n")
            case "r": value.append("\r")
            case "t": value.append("\t")
            case "u":
                guard let unit = hex4() else { throw JSONataError(.invalidUnicodeEscape, position: position - 2) }
                if (0xD800...0xDBFF).contains(unit), peek() == "\\", peek(1) == "u" {
                    position += 2
                    if let low = hex4(), (0xDC00...0xDFFF).contains(low) {
                        let scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        value.unicodeScalars.append(Unicode.Scalar(scalar)!)
                        continue
                    }
                    throw JSONataError(.invalidUnicodeEscape, position: position - 2)
                }
                guard let scalar = Unicode.Scalar(unit) else {
                    throw JSONataError(.invalidUnicodeEscape, position: position - 2)
                }
                value.unicodeScalars.append(scalar)
            default:
                throw JSONataError(.invalidEscape, position: position - 1, token: String(escaped))
            }
        }
        throw JSONataError(.unterminatedString, position: start)
    }

    private mutating func hex4() -> UInt32? {
        guard position + 4 <= characters.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = characters[position + offset].hexDigitValue else { return nil }
            value = value << 4 | UInt32(digit)
        }
        position += 4
        return value
    }

    /// Numbers as JSON spells them (the sign is an operator), with JSONata's
    /// restriction that a number cannot end in `.` (so `1..5` is a range).
    private mutating func number(_ start: Int) throws(JSONataError) -> Token {
        func digits() { while let character = peek(), character.isASCII, character.isNumber { position += 1 } }
        if peek() == "0" { position += 1 } else { digits() }
        if peek() == ".", let following = peek(1), following.isASCII, following.isNumber {
            position += 1
            digits()
        }
        if let character = peek(), character == "e" || character == "E" {
            let mark = position
            position += 1
            if let sign = peek(), sign == "+" || sign == "-" { position += 1 }
            if let digit = peek(), digit.isASCII, digit.isNumber { digits() } else { position = mark }
        }
        let text = String(characters[start..<position])
        guard let value = Double(text), value.isFinite else {
            throw JSONataError(.numberOutOfRange, position: start, token: text)
        }
        return Token(kind: .number(value), position: start)
    }

    /// Reads `<...>` with nested angle brackets from `start` (its `<`) and
    /// moves past the closing `>`.
    mutating func readBalancedAngles(from start: Int) throws(JSONataError) -> String {
        position = start
        var depth = 0
        while let character = peek() {
            position += 1
            if character == "<" { depth += 1 }
            if character == ">" {
                depth -= 1
                if depth == 0 { return String(characters[start..<position]) }
            }
        }
        throw JSONataError(.invalidSignature, position: start, token: "end of signature")
    }

    /// A regular expression literal, `/pattern/flags`. As in JSONata, a `/`
    /// closes it only outside brackets: `(`, `[` and `{` open and `)`, `]`
    /// and `}` close one (unless escaped), so `/[/]/` and `/(a/b)/` are one
    /// literal each, and `/a)/` or `/[(]/` never ends (S0302).
    private mutating func regex(_ start: Int) throws(JSONataError) -> Token {
        position += 1
        var pattern = ""
        var depth = 0
        while let character = peek() {
            if character == "\\" {
                pattern.append(character)
                position += 1
                if let escaped = peek() {
                    pattern.append(escaped)
                    position += 1
                }
                continue
            }
            if character == "(" || character == "[" || character == "{" { depth += 1 }
            if character == ")" || character == "]" || character == "}" { depth -= 1 }
            if character == "/" && depth == 0 {
                position += 1
                guard !pattern.isEmpty else { throw JSONataError(.emptyRegex, position: start) }
                var flags = ""
                while let flag = peek(), flag == "i" || flag == "m" || flag == "g" || flag == "s" || flag == "x" || flag == "u" || flag == "y" {
                    flags.append(flag)
                    position += 1
                }
                return Token(kind: .regex(pattern: pattern, flags: flags), position: start)
            }
            pattern.append(character)
            position += 1
        }
        throw JSONataError(.unterminatedRegex, position: start)
    }
}
