/// Binary operators: arithmetic, comparison, boolean, concatenation, `in`, range.
extension Evaluation {
    func binary(
        _ op: BinaryOperator, _ leftNode: Unmanaged<Node>, _ rightNode: Unmanaged<Node>, _ input: Value?,
        _ frame: Frame, position: Int
    ) throws(JSONataError) -> Value? {
        switch op {
        case .and:
            guard Self.truthy(try evaluate(leftNode, input, frame)) else { return .bool(false) }
            return .bool(Self.truthy(try evaluate(rightNode, input, frame)))
        case .or:
            if Self.truthy(try evaluate(leftNode, input, frame)) { return .bool(true) }
            return .bool(Self.truthy(try evaluate(rightNode, input, frame)))
        default:
            break
        }
        let left = try evaluate(leftNode, input, frame)
        let right = try evaluate(rightNode, input, frame)
        switch op {
        case .add, .subtract, .multiply, .divide, .modulo:
            return try arithmetic(op, left, right, position: position)
        case .equal:
            return .bool(Self.bothDefinedAndEqual(left, right, negated: false))
        case .notEqual:
            return .bool(Self.bothDefinedAndEqual(left, right, negated: true))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            return try compare(op, left, right, position: position)
        case .concatenate:
            let leftText = try left.map { v throws(JSONataError) in try Stringify.string(v, position: position, evaluation: self) } ?? ""
            let rightText = try right.map { v throws(JSONataError) in try Stringify.string(v, position: position, evaluation: self) } ?? ""
            try checkSize(leftText.utf8.count + rightText.utf8.count, position: position)
            return .string(leftText + rightText)
        case .in:
            guard let left, let right else { return .bool(false) }
            return .bool(right.asList.contains { Self.deepEqual(left, $0) })
        case .range:
            return try range(left, right, position: position)
        case .and, .or:
            return nil
        }
    }

    private func arithmetic(_ op: BinaryOperator, _ left: Value?, _ right: Value?, position: Int) throws(JSONataError) -> Value? {
        // Each operand's number is read once (a document number is parsed from its text).
        let a = left?.numberValue
        if left != nil, a == nil {
            throw JSONataError(.leftNotNumber, position: position, token: op.rawValue)
        }
        let b = right?.numberValue
        if right != nil, b == nil {
            throw JSONataError(.rightNotNumber, position: position, token: op.rawValue)
        }
        guard let a, let b else { return nil }
        guard a.isFinite, b.isFinite else {
            throw JSONataError(.numberOverflow, position: position, token: JSONNumberFormatting.javaScriptString(a.isFinite ? b : a))
        }
        let result: Double
        switch op {
        case .add: result = a + b
        case .subtract: result = a - b
        case .multiply: result = a * b
        case .divide: result = a / b
        default: result = a.truncatingRemainder(dividingBy: b)
        }
        // As in JSONata, a result beyond the doubles (`1e308 * 10`, `1/0`)
        // is an infinity that fails where it is used: as an operand (above,
        // D1001), in `$string` (D3001), or as the result (D1001, in
        // `RuleExpression.evaluate`; the writer refuses it in `write`).
        return .number(result)
    }

    private func compare(_ op: BinaryOperator, _ left: Value?, _ right: Value?, position: Int) throws(JSONataError) -> Value? {
        let a = left?.decodedScalar
        let b = right?.decodedScalar
        func comparable(_ value: Value?) -> Bool {
            switch value {
            case .number?, .string?, nil: return true
            default: return false
            }
        }
        guard comparable(a), comparable(b) else {
            throw JSONataError(.comparisonNotComparable, position: position, token: op.rawValue)
        }
        guard let a, let b else { return nil }
        let ordering: Int
        switch (a, b) {
        case (.number(let x), .number(let y)): ordering = x < y ? -1 : (x > y ? 1 : 0)
        case (.string(let x), .string(let y)): ordering = Self.compareStrings(x, y)
        default:
            throw JSONataError(.comparisonTypeMismatch, position: position, token: "\(describe(a)) and \(describe(b))")
        }
        switch op {
        case .less: return .bool(ordering < 0)
        case .lessOrEqual: return .bool(ordering <= 0)
        case .greater: return .bool(ordering > 0)
        default: return .bool(ordering >= 0)
        }
    }

    private func range(_ left: Value?, _ right: Value?, position: Int) throws(JSONataError) -> Value? {
        if let left, left.numberValue.map({ $0 != $0.rounded() }) ?? true {
            throw JSONataError(.rangeLeftNotInteger, position: position)
        }
        if let right, right.numberValue.map({ $0 != $0.rounded() }) ?? true {
            throw JSONataError(.rangeRightNotInteger, position: position)
        }
        guard let low = left?.numberValue, let high = right?.numberValue else { return nil }
        guard low <= high else { return .array([], .sequence) }
        let size = high - low + 1
        guard size <= 10_000_000 else {
            throw JSONataError(.rangeTooLarge, position: position, token: JSONNumberFormatting.javaScriptString(size))
        }
        let count = Int(size)
        try accountForElements(count, joining: 0, position: position)
        // Counted from `low` in doubles: the ends may lie beyond Int's range.
        var items: [Value] = []
        items.reserveCapacity(count)
        for offset in 0..<count {
            try tick(position)
            items.append(.number(low + Double(offset)))
        }
        return .array(items, .sequence)
    }

    /// The result of `=` (or, `negated`, of `!=`): false when either side is
    /// undefined. Takes the operands as they are, without binding copies.
    private static func bothDefinedAndEqual(_ left: Value?, _ right: Value?, negated: Bool) -> Bool {
        guard left != nil, right != nil else { return false }
        return deepEqual(left!, right!) != negated
    }

    /// Equality of values: scalars by value (strings by their code units, as
    /// JSONata compares them: "\u{E9}" is not "e\u{301}", which Swift's `==`
    /// would call equal), arrays element by element, objects by keys and
    /// values, functions by identity.
    static func deepEqual(_ left: Value, _ right: Value) -> Bool {
        // Two values of the same plain kind (what `$type(x) = "string"` and
        // `done = true` compare) are compared in place: the general path
        // below decodes document values and would copy both operands.
        switch left {
        case .string(let x): if case .string(let y) = right { return ObjectValue.sameBytes(x, y) }
        case .number(let x): if case .number(let y) = right { return x == y }
        case .bool(let x): if case .bool(let y) = right { return x == y }
        case .null: if case .null = right { return true }
        default: break
        }
        let a = left.decodedScalar
        let b = right.decodedScalar
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return ObjectValue.sameBytes(x, y)
        case (.function(let x), .function(let y)): return x === y
        default: break
        }
        if let x = a.arrayElements, let y = b.arrayElements {
            return x.count == y.count && zip(x, y).allSatisfy { deepEqual($0, $1) }
        }
        if let x = a.objectMembers, let y = b.objectMembers {
            guard x.count == y.count else { return false }
            var lookup: [String: Value] = [:]
            for member in y { lookup[member.key] = member.value }
            return x.allSatisfy { member in lookup[member.key].map { deepEqual(member.value, $0) } ?? false }
        }
        return false
    }
}
