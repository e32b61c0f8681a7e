/// Parses an expression into its tree, by top-down operator precedence.
struct Parser {
    typealias Node = RuleExpression.Node

    private var lexer: Lexer
    private var current: Token
    /// A literal used as a path step: reported after the whole expression
    /// parsed, so that a syntax error later in the text is reported first.
    private var literalStepError: JSONataError?
    /// How many `expression` calls are open: parentheses, brackets and
    /// right operands nest the parser's own recursion.
    private var nesting = 0
    /// The lowest stack address the parser may reach: a thread with a small
    /// stack (or a build whose frames are large) meets it before the nesting
    /// limit, and the parse fails with U1001 instead of overflowing.
    private let stackFloor: UInt = StackBounds.floor()

    /// The deepest an expression's tree may be. Every pass over the tree
    /// (checks, evaluation, release) recurses through it, so a deeper one
    /// (`((((...))))`, or `1 + 1 + ...` 200,000 terms long) fails to compile
    /// with U1001 instead of overflowing the thread's stack.
    static let maximumNesting = 1_000

    private static let bindingPowers: [String: Int] = [
        ".": 75, "[": 80, "]": 0, "{": 70, "}": 0, "(": 80, ")": 0, ",": 0, "@": 80, "#": 80, ";": 0,
        ":": 0, "?": 20, "+": 50, "-": 50, "*": 60, "/": 60, "%": 60, "|": 0, "=": 40, "<": 40,
        ">": 40, "^": 40, "**": 60, ":=": 10, "!=": 40, "<=": 40, ">=": 40, "~>": 40,
        "?:": 40, "??": 40, "and": 30, "or": 25, "in": 40, "&": 50, "!": 0, "~": 0,
    ]

    /// Parses `source` completely.
    /// - Throws: ``JSONataError`` with an S0xxx code.
    static func parse(_ source: String) throws(JSONataError) -> Node {
        var parser = Parser(lexer: Lexer(source), current: Token(kind: .end, position: 0))
        parser.current = try parser.lexer.next(operandExpected: true)
        let root = try parser.expression(0)
        guard case .end = parser.current.kind else {
            throw JSONataError(.syntaxError, position: parser.current.position, token: parser.current.text)
        }
        if let literalStepError = parser.literalStepError { throw literalStepError }
        try checkHeight(root)
        return try ParentResolver.resolve(root)
    }

    /// Fails with U1001 when the tree is deeper than ``maximumNesting``.
    /// Walks with a stack of its own: the tree may be too deep to recurse.
    private static func checkHeight(_ root: Node) throws(JSONataError) {
        var pending: [(node: Node, depth: Int)] = [(root, 1)]
        while let (node, depth) = pending.popLast() {
            guard depth <= maximumNesting else { throw tooDeep(at: node.position) }
            node.forEachChild { pending.append(($0, depth + 1)) }
        }
    }

    private static func tooDeep(at position: Int) -> JSONataError {
        JSONataError(
            .depthExceeded, position: position,
            detail: "The expression nests deeper than \(maximumNesting) levels")
    }

    private func bindingPower(_ token: Token) -> Int {
        guard let symbol = token.symbol else { return 0 }
        return Self.bindingPowers[symbol] ?? 0
    }

    /// Moves to the next token. An operand (and so a regular expression
    /// rather than a division) may follow any symbol except a closing bracket
    /// and the wildcard, descendant and parent steps.
    private mutating func advance() throws(JSONataError) {
        let operandExpected: Bool
        switch current.kind {
        case .symbol(let symbol): operandExpected = !Self.operandEnds.contains(symbol)
        default: operandExpected = false
        }
        current = try lexer.next(operandExpected: operandExpected)
    }

    private static let operandEnds: Set<String> = [")", "]", "}", "*", "**", "%"]

    /// Moves past the `]` of an empty predicate or the `)` of a sort. JSONata
    /// reads a `/` after either as the start of a regular expression
    /// (`a[] / 2` is an unterminated one), and so does this parser.
    private mutating func advanceExpectingOperand() throws(JSONataError) {
        current = try lexer.next(operandExpected: true)
    }

    /// Moves past `symbol`; with `operandFollows`, the next token is read
    /// where an operand is expected (see ``advanceExpectingOperand()``).
    /// - Throws: S0202 or S0203 when the current token is another.
    private mutating func expect(_ symbol: String, operandFollows: Bool = false) throws(JSONataError) {
        guard current.symbol == symbol else {
            if case .end = current.kind {
                throw JSONataError(.expectedTokenBeforeEnd, position: current.position, token: symbol)
            }
            throw JSONataError(
                .expectedToken, position: current.position, token: symbol,
                detail: "Expected \"\(symbol)\", got \"\(current.text)\"")
        }
        if operandFollows { try advanceExpectingOperand() } else { try advance() }
    }

    private mutating func expression(_ rightBindingPower: Int) throws(JSONataError) -> Node {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maximumNesting, StackBounds.currentAddress() > stackFloor else {
            throw Self.tooDeep(at: current.position)
        }
        let token = current
        try advance()
        var left = try prefix(token)
        // Each operator of a chain (`1 + 1 + ...`) nests the tree one level
        // deeper without a recursive call: counted with the calls, so that
        // no tree too deep to release is ever built.
        var chain = 0
        while rightBindingPower < bindingPower(current) {
            chain += 1
            guard nesting + chain <= Self.maximumNesting else { throw Self.tooDeep(at: current.position) }
            let token = current
            try advance()
            left = try infix(token, left)
        }
        return left
    }

    // MARK: - Prefix positions

    private mutating func prefix(_ token: Token) throws(JSONataError) -> Node {
        let position = token.position
        switch token.kind {
        case .end:
            throw JSONataError(.unexpectedEnd, position: position)
        case .name(let name):
            return Node(.name(name, utf8: Array(name.utf8)), position: position)
        case .variable(let name):
            return Node(.variable(name), position: position)
        case .string(let value):
            return Node(.string(value), position: position)
        case .number(let value):
            return Node(.number(value), position: position)
        case .literal(.bool(let value)):
            return Node(.bool(value), position: position)
        case .literal(.null):
            return Node(.null, position: position)
        case .regex(let pattern, let flags):
            return Node(.regex(try RegexPattern(pattern: pattern, flags: flags, position: position)), position: position)
        case .symbol(let symbol) where symbol == "and" || symbol == "or" || symbol == "in":
            // Operator words in an operand position are field names.
            return Node(.name(symbol, utf8: Array(symbol.utf8)), position: position)
        case .symbol(let symbol):
            return try prefixSymbol(symbol, position: position)
        }
    }

    private mutating func prefixSymbol(_ symbol: String, position: Int) throws(JSONataError) -> Node {
        switch symbol {
        case "-":
            let operand = try expression(70)
            if case .number(let value) = operand.kind, operand.stages.isEmpty {
                return Node(.number(-value), position: position)
            }
            return Node(.negate(operand), position: position)
        case "*":
            return Node(.wildcard, position: position)
        case "**":
            return Node(.descendants, position: position)
        case "%":
            return Node(.parent(slot: ""), position: position)
        case "(":
            var expressions: [Node] = []
            while current.symbol != ")" {
                expressions.append(try expression(0))
                guard current.symbol == ";" else { break }
                try advance()
            }
            try expect(")")
            return Node(.block(expressions), position: position)
        case "[":
            var items: [Node] = []
            if current.symbol != "]" {
                while true {
                    items.append(try arrayItem())
                    guard current.symbol == "," else { break }
                    try advance()
                }
            }
            try expect("]")
            return Node(.array(items), position: position)
        case "{":
            return Node(.object(try objectPairs()), position: position)
        case "|":
            let pattern = try expression(0)
            try expect("|")
            let update = try expression(0)
            var delete: Node? = nil
            if current.symbol == "," {
                try advance()
                delete = try expression(0)
            }
            try expect("|")
            return Node(.transform(pattern: pattern, update: update, delete: delete), position: position)
        default:
            throw JSONataError(.notUnaryOperator, position: position, token: symbol)
        }
    }

    /// `key: value` pairs up to the closing brace (the opening one is consumed).
    private mutating func objectPairs() throws(JSONataError) -> [(Node, Node)] {
        var pairs: [(Node, Node)] = []
        if current.symbol != "}" {
            while true {
                let key = try expression(0)
                try expect(":")
                let value = try expression(0)
                pairs.append((key, value))
                guard current.symbol == "," else { break }
                try advance()
            }
        }
        try expect("}")
        return pairs
    }

    // MARK: - Infix positions

    private mutating func infix(_ token: Token, _ left: Node) throws(JSONataError) -> Node {
        let position = token.position
        guard let symbol = token.symbol else {
            throw JSONataError(.syntaxError, position: position, token: token.text)
        }
        switch symbol {
        case ".":
            return try pathStep(left, try expression(75))
        case "(":
            return try call(left, position: position)
        case "[":
            return try predicate(left, position: position)
        case "{":
            guard left.group == nil else { throw JSONataError(.twoGroups, position: position) }
            let pairs = try objectPairs()
            // As in JSONata, a name is a path of one step, and a path's
            // group-by applies to the path's final result: later steps
            // join the path (`a{k: v}.b` groups the items of `a.b`).
            if case .name = left.kind {
                return Node(.path([left], keepSingletonArray: false), position: left.position, group: pairs)
            }
            return left.with(group: .some(pairs))
        case "^":
            return try sort(left, position: position)
        case "@", "#":
            guard case .variable(let name) = current.kind else {
                throw JSONataError(.focusNotVariable, position: current.position, token: symbol)
            }
            try advance()
            // As JSONata: a focus on a grouped result is ignored.
            if symbol == "@", left.group != nil { return left }
            // After a sort (`a^(x)#$i`) or `[]` (`a[]@$v`) the binding
            // belongs to the last step of the path that made.
            if case .path(var steps, let keep) = left.kind, let last = steps.last {
                steps[steps.count - 1] = try binding(symbol, name, on: last, position: position)
                return left.with(kind: .path(steps, keepSingletonArray: keep))
            }
            // As in JSONata, an index binding makes a path of the step it
            // follows, so that a group-by after it groups the bound items
            // (`*#$i{$string($i): $}`); a focus outside a path is inert.
            let bound = try binding(symbol, name, on: left, position: position)
            guard symbol == "#" else { return bound }
            return Node(.path([bound], keepSingletonArray: false), position: left.position)
        case "?":
            let then = try expression(0)
            var otherwise: Node? = nil
            if current.symbol == ":" {
                try advance()
                otherwise = try expression(0)
            }
            return Node(.condition(left, then, otherwise), position: position)
        // As in JSONata, the right side of `?:` and `??` extends as far as a
        // condition's branch does: `a ?: b ? c : d` is `a ?: (b ? c : d)`.
        case "?:":
            return Node(.elvis(left, try expression(0)), position: position)
        case "??":
            return Node(.coalesce(left, try expression(0)), position: position)
        case ":=":
            guard case .variable(let name) = left.kind, left.stages.isEmpty else {
                throw JSONataError(.assignmentNotVariable, position: left.position)
            }
            return Node(.bind(name, try expression(9)), position: position)
        case "~>":
            return Node(.apply(left, try expression(40)), position: position)
        default:
            guard let binaryOperator = BinaryOperator(rawValue: symbol) else {
                throw JSONataError(.unknownOperator, position: position, token: symbol)
            }
            let right = try expression(Self.bindingPowers[symbol] ?? 0)
            return Node(.binary(binaryOperator, left, right), position: position)
        }
    }

    /// `step` with a focus (`@`) or index (`#`) binding of `name`.
    /// - Throws: S0215 for a focus after a predicate, S0216 after a sort.
    private func binding(_ symbol: String, _ name: String, on step: Node, position: Int) throws(JSONataError) -> Node {
        guard symbol == "@" else { return step.with(stages: step.stages + [.indexBinding(name)]) }
        if step.stages.contains(where: { if case .predicate = $0 { return true } else { return false } }) {
            throw JSONataError(.bindingAfterPredicate, position: position)
        }
        if case .sort = step.kind { throw JSONataError(.bindingAfterSort, position: position) }
        return step.with(focus: .some(name))
    }

    /// Appends `step` to the path `left` (or starts a path).
    ///
    /// A path's group-by stays with the path and applies to its final
    /// result; a group-by on any other step (`*{k: v}.b`, `(a){k: v}.b`)
    /// groups that step's items.
    private mutating func pathStep(_ left: Node, _ step: Node) throws(JSONataError) -> Node {
        var steps: [Node]
        var keepArray = false
        var group: [(Node, Node)]? = nil
        if case .path(let existing, let keep) = left.kind {
            steps = existing
            keepArray = keep
            group = left.group
        } else {
            steps = [try checkedStep(left, first: true)]
        }
        if case .path(let more, let keep) = step.kind, step.group == nil {
            steps.append(contentsOf: more)
            keepArray = keepArray || keep
        } else {
            steps.append(try checkedStep(step, first: false))
        }
        return Node(.path(steps, keepSingletonArray: keepArray), position: left.position, group: group)
    }

    /// Literal steps: a string names a field; numbers, booleans and null are errors.
    private mutating func checkedStep(_ step: Node, first: Bool) throws(JSONataError) -> Node {
        switch step.kind {
        case .string(let name):
            return step.with(kind: .name(name, utf8: Array(name.utf8)))
        case .number, .bool, .null:
            if first { return step }
            if literalStepError == nil {
                literalStepError = JSONataError(.literalStep, position: step.position, token: describeLiteral(step))
            }
            return step
        default:
            return step
        }
    }

    private func describeLiteral(_ node: Node) -> String {
        switch node.kind {
        case .number(let value): return JSONNumberFormatting.javaScriptString(value)
        case .bool(let value): return value ? "true" : "false"
        default: return "null"
        }
    }

    /// An item of an array constructor: an expression or a range `a..b`,
    /// which JSONata allows nowhere else (`(1..3)` is a syntax error).
    private mutating func arrayItem() throws(JSONataError) -> Node {
        let item = try expression(0)
        guard current.symbol == ".." else { return item }
        let position = current.position
        try advance()
        return Node(.binary(.range, item, try expression(0)), position: position)
    }

    private mutating func predicate(_ left: Node, position: Int) throws(JSONataError) -> Node {
        if current.symbol == "]" {
            try advanceExpectingOperand()
            if case .path(let steps, _) = left.kind, left.group == nil {
                return left.with(kind: .path(steps, keepSingletonArray: true))
            }
            return Node(.path([left], keepSingletonArray: true), position: left.position)
        }
        let condition = try expression(0)
        try expect("]")
        // A path's group-by applies to its final result, so a predicate
        // after it still filters the last step; on any other grouped step
        // it has nothing to apply to.
        if left.group != nil, !left.isPath { throw JSONataError(.predicateAfterGroup, position: position) }
        if case .path(var steps, let keep) = left.kind, let last = steps.last {
            steps[steps.count - 1] = last.with(stages: last.stages + [.predicate(condition)])
            return left.with(kind: .path(steps, keepSingletonArray: keep))
        }
        return left.with(stages: left.stages + [.predicate(condition)])
    }

    private mutating func sort(_ left: Node, position: Int) throws(JSONataError) -> Node {
        try expect("(")
        var terms: [SortTerm] = []
        while true {
            var descending = false
            if current.symbol == "<" {
                try advance()
            } else if current.symbol == ">" {
                descending = true
                try advance()
            }
            terms.append(SortTerm(expression: try expression(0), descending: descending))
            guard current.symbol == "," else { break }
            try advance()
        }
        try expect(")", operandFollows: true)
        let sortStep = Node(.sort(terms), position: position)
        return try pathStep(left, sortStep)
    }

    private mutating func call(_ function: Node, position: Int) throws(JSONataError) -> Node {
        if case .name(let name, _) = function.kind, name == "function" || name == "λ", function.stages.isEmpty {
            return try lambda(position: function.position)
        }
        var arguments: [Node?] = []
        if current.symbol != ")" {
            while true {
                if current.symbol == "?" {
                    try advance()
                    arguments.append(nil)
                } else {
                    arguments.append(try expression(0))
                }
                guard current.symbol == "," else { break }
                try advance()
            }
        }
        try expect(")")
        return Node(.call(function, arguments), position: position)
    }

    private mutating func lambda(position: Int) throws(JSONataError) -> Node {
        var parameters: [String] = []
        if current.symbol != ")" {
            while true {
                guard case .variable(let name) = current.kind else {
                    throw JSONataError(.parameterNotVariable, position: current.position, token: current.text)
                }
                parameters.append(name)
                try advance()
                guard current.symbol == "," else { break }
                try advance()
            }
        }
        try expect(")")
        var signature: Signature? = nil
        if current.symbol == "<" {
            let signaturePosition = current.position
            let text = try lexer.rawSignature(from: signaturePosition)
            signature = try Signature(text, position: signaturePosition)
            current = try lexer.next(operandExpected: false)
        }
        try expect("{")
        let body = try expression(0)
        // As in JSONata, a `/` right after a function's body starts a regular expression.
        try expect("}", operandFollows: true)
        let isThunk: Bool
        if case .call = body.kind, body.stages.isEmpty { isThunk = true } else { isThunk = false }
        return Node(
            .lambda(LambdaDefinition(parameters: parameters, signature: signature, body: body, isThunk: isThunk)),
            position: position)
    }
}

extension Lexer {
    /// The text of a function signature `<...>` starting at `start` (its `<`),
    /// with nested angle brackets; the lexer moves past its closing `>`.
    mutating func rawSignature(from start: Int) throws(JSONataError) -> String {
        try readBalancedAngles(from: start)
    }
}

extension RuleExpression.Node {
    /// Whether the node is a path, whose group-by applies to the whole path.
    fileprivate var isPath: Bool {
        if case .path = kind { return true }
        return false
    }
}
