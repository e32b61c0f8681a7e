/// A function signature such as `<s-n?:s>`: the types a function accepts,
/// checked before each call, with JSONata's coercions (a single value where
/// an array is expected becomes a one-element array; a `-` parameter takes
/// the context when the argument is missing).
struct Signature: Sendable {
    /// A set of the signature's type symbols as bits, so that checking a
    /// call's arguments costs a few instructions and no hashing.
    struct Types: OptionSet, Sendable {
        let rawValue: UInt16
        init(rawValue: UInt16) { self.rawValue = rawValue }

        static let boolean = Types(rawValue: 1 << 0)
        static let number = Types(rawValue: 1 << 1)
        static let string = Types(rawValue: 1 << 2)
        static let null = Types(rawValue: 1 << 3)
        static let array = Types(rawValue: 1 << 4)
        static let object = Types(rawValue: 1 << 5)
        static let function = Types(rawValue: 1 << 6)
        /// `j`: any JSON value (not a function).
        static let json = Types(rawValue: 1 << 7)
        /// `x`: any value.
        static let any = Types(rawValue: 1 << 8)
        /// The symbol of an undefined argument (never in a signature).
        static let missing = Types(rawValue: 1 << 9)
        /// `u`: boolean, number, string or null.
        static let simple: Types = [.boolean, .number, .string, .null]

        /// The types of one signature symbol; nil for a character that is none.
        init?(symbol: Character) {
            switch symbol {
            case "b": self = .boolean
            case "n": self = .number
            case "s": self = .string
            case "l": self = .null
            case "a": self = .array
            case "o": self = .object
            case "f": self = .function
            case "j": self = .json
            case "x": self = .any
            case "u": self = .simple
            default: return nil
            }
        }
    }

    struct Parameter: Sendable {
        /// Accepted types (u is expanded to b n s l).
        var types: Types
        /// For `a<T>`: the type every element must have.
        var elementTypes: Types?
        var optional = false
        var variadic = false
        var usesContext = false
    }

    let parameters: [Parameter]
    let text: String

    /// Parses `<...>`.
    /// - Throws: S0401 for a malformed signature, S0402 for a parameterised type in a choice.
    init(_ text: String, position: Int) throws(JSONataError) {
        self.text = text
        let characters = Array(text.dropFirst().dropLast())
        var parameters: [Parameter] = []
        var index = 0
        func fail(_ offset: Int) -> JSONataError {
            JSONataError(
                .invalidSignature, position: position + offset + 1,
                token: offset < characters.count ? String(characters[offset]) : "end")
        }
        while index < characters.count {
            let character = characters[index]
            if character == ":" { break }  // the return type is not checked
            switch character {
            case "b", "n", "s", "l", "o", "j", "x", "u":
                parameters.append(Parameter(types: Types(symbol: character)!))
            case "a", "f":
                parameters.append(Parameter(types: Types(symbol: character)!))
                if index + 1 < characters.count, characters[index + 1] == "<" {
                    let start = index + 1
                    var depth = 0
                    var end = start
                    while end < characters.count {
                        if characters[end] == "<" { depth += 1 }
                        if characters[end] == ">" {
                            depth -= 1
                            if depth == 0 { break }
                        }
                        end += 1
                    }
                    guard end < characters.count else { throw fail(start) }
                    if character == "a" {
                        var inner = Types()
                        for symbol in characters[(start + 1)..<end] {
                            if let types = Types(symbol: symbol) { inner.formUnion(types) }
                        }
                        parameters[parameters.count - 1].elementTypes = inner
                    }
                    index = end
                }
            case "(":
                guard let close = characters[index...].firstIndex(of: ")") else { throw fail(index) }
                var types = Types()
                for choice in characters[(index + 1)..<close] {
                    if choice == "<" { throw JSONataError(.signatureChoiceParameterized, position: position + index) }
                    guard let choiceTypes = Types(symbol: choice) else { throw fail(index) }
                    types.formUnion(choiceTypes)
                }
                parameters.append(Parameter(types: types))
                index = close
            case "?", "+", "-":
                guard !parameters.isEmpty else { throw fail(index) }
                if character == "?" { parameters[parameters.count - 1].optional = true }
                if character == "+" { parameters[parameters.count - 1].variadic = true }
                if character == "-" { parameters[parameters.count - 1].usesContext = true }
            default:
                throw fail(index)
            }
            index += 1
        }
        self.parameters = parameters
    }

    /// The type of an argument; ``Types/missing`` for undefined.
    static func symbol(of value: Value?) -> Types {
        guard let value else { return .missing }
        switch value {
        case .null: return .null
        case .bool: return .boolean
        case .number: return .number
        case .string: return .string
        case .array: return .array
        case .object: return .object
        case .function: return .function
        case .node(let document, let index):
            switch document.kind(at: index) {
            case .number: return .number
            case .string: return .string
            case .array: return .array
            case .object: return .object
            case .null: return .null
            case .boolean: return .boolean
            }
        }
    }

    private static func accepts(_ types: Types, _ symbol: Types) -> Bool {
        // An undefined argument fits every parameter but one that takes only
        // a function: `$map([1], $undefined)` is an error, not undefined.
        if symbol == .missing { return types != .function }
        // Any single value is accepted where an array is expected; it is wrapped.
        return elementFits(types, symbol) || types.contains(.array)
    }

    /// Checks `arguments` and returns them as the function receives them.
    /// - Throws: T0410 when an argument does not fit, T0411 when the context
    ///   does not, T0412 for an array element of the wrong type.
    func validate(
        _ arguments: [Value?], context: Value?, position: Int,
        functionName: @autoclosure () -> String
    ) throws(JSONataError) -> [Value?] {
        if fitsDirectly(arguments) { return arguments }
        var arguments = arguments
        let symbols = arguments.map(Self.symbol(of:))
        // A `-` parameter may be left out: the context takes its place.
        guard var assignment = match(symbols, 0, 0) else {
            let bad = firstMismatch(symbols)
            throw JSONataError(
                .argumentMismatch, position: position, token: String(bad + 1),
                detail: "Argument \(bad + 1) of function \(functionName()) does not match function signature")
        }
        if let first = parameters.first, first.usesContext, assignment.first == 0 {
            let context = Evaluation.unwrapped(context)
            guard Self.accepts(first.types, Self.symbol(of: context)) else {
                throw JSONataError(
                    .contextMismatch, position: position, token: "1",
                    detail: "Context value is not a compatible type with argument 1 of function \(functionName())")
            }
            arguments.insert(context, at: 0)
            assignment[0] = 1
        }
        var result: [Value?] = []
        var parameterOfArgument: [Int] = []
        for (parameterIndex, count) in assignment.enumerated() {
            for _ in 0..<count { parameterOfArgument.append(parameterIndex) }
        }
        var fillParameters: [Int: Int] = [:]
        for (argumentIndex, argument) in arguments.enumerated() {
            let parameter = parameters[parameterOfArgument[argumentIndex]]
            fillParameters[parameterOfArgument[argumentIndex], default: 0] += 1
            guard var value = argument else {
                result.append(nil)
                continue
            }
            if parameter.types.contains(.array), !value.isArray, !parameter.types.contains(Self.symbol(of: value)),
                !parameter.types.contains(.any), !parameter.types.contains(.json)
            {
                value = .array([value], [])
            }
            if let elementTypes = parameter.elementTypes, let elements = value.arrayElements {
                for element in elements where !Self.elementFits(elementTypes, Self.symbol(of: element)) {
                    throw JSONataError(
                        .arrayTypeMismatch, position: position, token: String(argumentIndex + 1),
                        detail: "Argument \(argumentIndex + 1) of function \(functionName()) must be an array of \(Self.typeNames(elementTypes))")
                }
            }
            result.append(value)
        }
        return result
    }

    /// Whether each argument has exactly a type its parameter accepts (no
    /// context, no wrapping into an array, no element checks): the common
    /// call, which needs no search.
    func fitsDirectly(_ arguments: [Value?]) -> Bool {
        guard arguments.count <= parameters.count else { return false }
        for (index, parameter) in parameters.enumerated() {
            if parameter.variadic || parameter.elementTypes != nil { return false }
            guard index < arguments.count else {
                if !parameter.optional { return false }
                continue
            }
            let symbol = Self.symbol(of: arguments[index])
            if symbol == .missing, parameter.types != .function { continue }
            guard Self.elementFits(parameter.types, symbol) else { return false }
        }
        return true
    }

    private static func elementFits(_ types: Types, _ symbol: Types) -> Bool {
        types.contains(symbol) || types.contains(.any) || (types.contains(.json) && symbol != .function)
    }

    private static func typeNames(_ types: Types) -> String {
        // In the order of the symbols' letters, as JSONata's messages list them.
        let names: [(Types, String)] = [
            (.array, "arrays"), (.boolean, "booleans"), (.function, "functions"),
            (.null, "nulls"), (.number, "numbers"), (.object, "objects"), (.string, "strings"),
        ]
        return names.filter { types.contains($0.0) }.map(\.1).joined(separator: " or ")
    }

    /// How many arguments each parameter takes, when the arguments fit.
    private func match(_ symbols: [Types], _ parameterIndex: Int, _ symbolIndex: Int) -> [Int]? {
        if parameterIndex == parameters.count {
            return symbolIndex == symbols.count ? [] : nil
        }
        let parameter = parameters[parameterIndex]
        let fits = { (offset: Int) -> Bool in
            offset < symbols.count && Self.accepts(parameter.types, symbols[offset])
        }
        if parameter.variadic {
            var count = 0
            while fits(symbolIndex + count) { count += 1 }
            while count >= 1 {
                if let rest = match(symbols, parameterIndex + 1, symbolIndex + count) { return [count] + rest }
                count -= 1
            }
            if parameter.optional, let rest = match(symbols, parameterIndex + 1, symbolIndex) { return [0] + rest }
            return nil
        }
        if fits(symbolIndex), let rest = match(symbols, parameterIndex + 1, symbolIndex + 1) { return [1] + rest }
        if parameter.optional || (parameter.usesContext && parameterIndex == 0), let rest = match(symbols, parameterIndex + 1, symbolIndex) {
            return [0] + rest
        }
        return nil
    }

    /// The index of the first argument that does not fit, for the error message.
    private func firstMismatch(_ symbols: [Types]) -> Int {
        var parameterIndex = 0
        for (index, symbol) in symbols.enumerated() {
            guard parameterIndex < parameters.count else { return index }
            let parameter = parameters[parameterIndex]
            if !Self.accepts(parameter.types, symbol) {
                if parameter.optional, parameterIndex + 1 < parameters.count,
                    Self.accepts(parameters[parameterIndex + 1].types, symbol)
                {
                    parameterIndex += 2
                    continue
                }
                return index
            }
            if !parameter.variadic { parameterIndex += 1 }
        }
        return symbols.count
    }
}
