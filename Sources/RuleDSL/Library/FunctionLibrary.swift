/// The built-in functions, by name (without the `$`).
enum FunctionLibrary {
    static let functions: [String: NativeFunction] = {
        var table: [String: NativeFunction] = [:]
        for function in stringFunctions + numberFunctions + aggregationFunctions + arrayFunctions
            + objectFunctions + higherOrderFunctions + dateTimeFunctions + encodingFunctions
        {
            table[function.name] = function
        }
        return table
    }()
}

extension Optional where Wrapped == Value {
    /// The argument as a string (the signature has checked its type).
    var string: String? { self?.stringValue }
    /// The argument as a number (the signature has checked its type).
    var number: Double? { self?.numberValue }
}

extension Array where Element == Value? {
    /// The argument at `index`, or undefined when not given.
    subscript(argument index: Int) -> Value? {
        index < count ? self[index] : nil
    }
}
