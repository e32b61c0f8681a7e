/// A function signature such as `<s-n?:s>`: the types a function accepts,
/// checked before each call, with JSONata's coercions (a single value where
/// an array is expected becomes a one-element array; a `-` parameter takes
/// the context when the argument is missing).
struct Signature: Sendable {
    struct Parameter: Sendable {
        /// Accepted type symbols: b n s l a o f j x (u is expanded to b n s l).
        var types: Set<Character>
        /// For `a<T>`: the type every element must have.
        var elementTypes: Set<Character>?
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
            JSONataError(.invalidSignature, position: position + offset + 1,
                         token: offset < characters.count ? String(characters[offset]) : "end")
        }
        while index < characters.count {
            let character = characters[index]
            if character == ":" { break }  // the return type is not checked
            switch character {
            case "b", "n", "s", "l", "o", "j", "x":
                parameters.append(Parameter(types: [character]))
            case "u":
                parameters.append(Parameter(types: ["b", "n", "s", "l"]))
            case "a", "f":
                parameters.append(Parameter(types: [character]))
                if index + 1 < characters.count, characters[index + 1] == "<" {
                    let start = index + 1
                    var depth = 0
                    var end = start
                    while end < characters.count {
                        if characters[end] == "<" { depth += 1 }
                        if characters[end] == ">" { depth -= 1; if depth == 0 { break } }
                        end += 1
                    }
                    guard end < characters.count else { throw fail(start) }
                    if character == "a" {
                        let inner = String(characters[(start + 1)..<end])
                        parameters[parameters.count - 1].elementTypes = inner == "u" ? ["b", "n", "s", "l"] : Set(inner)
                    }
                    index = end
                }
            case "(":
                guard let close = characters[index...].firstIndex(of: ")") else { throw fail(index) }
                var types = Set<Character>()
                for choice in characters[(index + 1)..<close] {
                    if choice == "<" { throw JSONataError(.signatureChoiceParameterized, position: position + index) }
                    if choice == "u" { types.formUnion(["b", "n", "s", "l"]) } else { types.insert(choice) }
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

    /// The type symbol of an argument; "m" for undefined.
    static func symbol(of value: Value?) -> Character {
        guard let value else { return "m" }
        switch value {
        case .null: return "l"
        case .bool: return "b"
        case .number: return "n"
        case .string: return "s"
        case .array: return "a"
        case .object: return "o"
        case .function: return "f"
        case .node(let document, let index):
            switch document.kind(at: index) {
            case .number: return "n"
            case .string: return "s"
            case .array: return "a"
            case .object: return "o"
            case .null: return "l"
            case .boolean: return "b"
            }
        }
    }

    private static func accepts(_ types: Set<Character>, _ symbol: Character) -> Bool {
        if symbol == "m" { return true }
        if types.contains("x") { return true }
        if types.contains("j") && symbol != "f" { return true }
        if types.contains(symbol) { return true }
        // Any single value is accepted where an array is expected; it is wrapped.
        return types.contains("a")
    }

    /// Checks `arguments` and returns them as the function receives them.
    /// - Throws: T0410 when an argument does not fit, T0411 when the context
    ///   does not, T0412 for an array element of the wrong type.
    func validate(_ arguments: [Value?], context: Value?, position: Int,
                  functionName: @autoclosure () -> String) throws(JSONataError) -> [Value?] {
        if fitsDirectly(arguments) { return arguments }
        var arguments = arguments
        let symbols = arguments.map(Self.symbol(of:))
        // A `-` parameter may be left out: the context takes its place.
        guard var assignment = match(symbols, 0, 0) else {
            let bad = firstMismatch(symbols)
            throw JSONataError(.argumentMismatch, position: position, token: String(bad + 1),
                               detail: "Argument \(bad + 1) of function \(functionName()) does not match function signature")
        }
        if let first = parameters.first, first.usesContext, assignment.first == 0 {
            let context = Evaluation.unwrapped(context)
            guard Self.accepts(first.types, Self.symbol(of: context)) else {
                throw JSONataError(.contextMismatch, position: position, token: "1",
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
            if parameter.types.contains("a"), !value.isArray, !parameter.types.contains(Self.symbol(of: value)),
               !parameter.types.contains("x"), !parameter.types.contains("j") {
                value = .array([value], [])
            }
            if let elementTypes = parameter.elementTypes, let elements = value.arrayElements {
                for element in elements where !Self.elementFits(elementTypes, Self.symbol(of: element)) {
                    throw JSONataError(.arrayTypeMismatch, position: position, token: String(argumentIndex + 1),
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
    private func fitsDirectly(_ arguments: [Value?]) -> Bool {
        guard arguments.count <= parameters.count else { return false }
        for (index, parameter) in parameters.enumerated() {
            if parameter.variadic || parameter.elementTypes != nil { return false }
            guard index < arguments.count else {
                if !parameter.optional { return false }
                continue
            }
            let symbol = Self.symbol(of: arguments[index])
            if symbol == "m" { continue }
            let types = parameter.types
            guard types.contains(symbol) || types.contains("x") || (types.contains("j") && symbol != "f") else { return false }
        }
        return true
    }

    private static func elementFits(_ types: Set<Character>, _ symbol: Character) -> Bool {
        types.contains(symbol) || types.contains("x") || (types.contains("j") && symbol != "f")
    }

    private static func typeNames(_ types: Set<Character>) -> String {
        let names: [Character: String] = ["n": "numbers", "s": "strings", "b": "booleans", "o": "objects", "a": "arrays", "f": "functions", "l": "nulls"]
        return types.sorted().compactMap { names[$0] }.joined(separator: " or ")
    }

    /// How many arguments each parameter takes, when the arguments fit.
    private func match(_ symbols: [Character], _ parameterIndex: Int, _ symbolIndex: Int) -> [Int]? {
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
    private func firstMismatch(_ symbols: [Character]) -> Int {
        var parameterIndex = 0
        for (index, symbol) in symbols.enumerated() {
            guard parameterIndex < parameters.count else { return index }
            let parameter = parameters[parameterIndex]
            if !Self.accepts(parameter.types, symbol) {
                if parameter.optional, parameterIndex + 1 < parameters.count,
                   Self.accepts(parameters[parameterIndex + 1].types, symbol) {
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
