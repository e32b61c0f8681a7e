/// A problem found in an expression without evaluating it.
public struct ExpressionDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem.
    public enum Kind: Sendable, Equatable {
        /// A call of `$name` that is neither a built-in function nor bound in the expression.
        case unknownFunction(String)
        /// A call of a built-in function with a number of arguments it cannot take.
        case wrongArgumentCount(function: String, given: Int, expected: ClosedRange<Int>)
        /// A variable bound neither in the expression nor among the context variables.
        case unboundVariable(String)
    }

    public let kind: Kind
    /// Character offset in the expression (0-based).
    public let position: Int
    /// Line (1-based) and column (1-based, in characters) of `position` in the expression.
    public let line: Int
    public let column: Int

    public var message: String {
        switch kind {
        case .unknownFunction(let name):
            return "unknown function $\(name)"
        case .wrongArgumentCount(let function, let given, let expected):
            let range =
                expected.lowerBound == expected.upperBound
                ? "\(expected.lowerBound)"
                : expected.upperBound == Int.max ? "at least \(expected.lowerBound)" : "\(expected.lowerBound) to \(expected.upperBound)"
            return "$\(function) takes \(range) argument\(expected.upperBound == 1 ? "" : "s"), given \(given)"
        case .unboundVariable(let name):
            return "variable $\(name) is not bound (context variables are bound by the caller)"
        }
    }

    public var description: String { "\(line):\(column): \(message)" }
}

extension RuleExpression {
    /// Static checks for template authors: calls of unknown functions, calls
    /// of built-in functions with a wrong number of arguments, and variables
    /// bound neither in the expression nor among `contextVariables` (such as
    /// `model`, `stream` and `id` for templates).
    public func lint(contextVariables: Set<String> = []) -> [ExpressionDiagnostic] {
        var linter = ExpressionLinter(source: source)
        linter.check(root, scope: [contextVariables, ExpressionLinter.topLevelBindings(root)])
        return linter.diagnostics.sorted { $0.position < $1.position }
    }
}

/// Walks the tree with the variables in scope at each point.
private struct ExpressionLinter {
    typealias Node = RuleExpression.Node
    let lineStarts: [Int]
    var diagnostics: [ExpressionDiagnostic] = []

    init(source: String) {
        var starts = [0]
        for (offset, character) in source.enumerated() where character == "\n" { starts.append(offset + 1) }
        lineStarts = starts
    }

    private mutating func report(_ kind: ExpressionDiagnostic.Kind, at position: Int) {
        let line = (lineStarts.lastIndex { $0 <= position } ?? 0)
        diagnostics.append(
            ExpressionDiagnostic(
                kind: kind, position: position, line: line + 1,
                column: position - lineStarts[line] + 1))
    }

    private func isBound(_ name: String, _ scope: [Set<String>]) -> Bool {
        scope.contains { $0.contains(name) }
    }

    mutating func check(_ node: Node, scope: [Set<String>]) {
        var scope = scope
        switch node.kind {
        case .variable(let name):
            if !name.isEmpty, name != "$", !isBound(name, scope), FunctionLibrary.functions[name] == nil {
                report(.unboundVariable(name), at: node.position)
            }
        case .call(let callee, let arguments):
            if case .variable(let name) = callee.kind, !isBound(name, scope) {
                if let function = FunctionLibrary.functions[name] {
                    checkArgumentCount(function, arguments.count, at: callee.position)
                } else {
                    report(.unknownFunction(name), at: callee.position)
                }
            } else {
                check(callee, scope: scope)
            }
            for argument in arguments.compactMap({ $0 }) { check(argument, scope: scope) }
            checkAnnotations(node, scope: scope)
            return
        case .block(let expressions):
            scope.append(Self.bindings(in: expressions))
        case .lambda(let definition):
            scope.append(Set(definition.parameters))
        case .path(let steps, _):
            scope.append(
                Set(
                    steps.flatMap { step -> [String] in
                        var names = step.focus.map { [$0] } ?? []
                        for stage in step.stages { if case .indexBinding(let name) = stage { names.append(name) } }
                        return names
                    }))
        case .bind(let name, _):
            scope.append([name])
        default:
            break
        }
        node.forEachChild(includingStages: false) { child in check(child, scope: scope) }
        checkAnnotations(node, scope: scope)
    }

    private mutating func checkAnnotations(_ node: Node, scope: [Set<String>]) {
        var scope = scope
        var own: Set<String> = node.focus.map { [$0] } ?? []
        for stage in node.stages { if case .indexBinding(let name) = stage { own.insert(name) } }
        scope.append(own)
        for stage in node.stages {
            if case .predicate(let predicate) = stage { check(predicate, scope: scope) }
        }
        for (key, value) in node.group ?? [] {
            check(key, scope: scope)
            check(value, scope: scope)
        }
    }

    private mutating func checkArgumentCount(_ function: NativeFunction, _ given: Int, at position: Int) {
        guard let signature = function.signature else { return }
        let parameters = signature.parameters
        var minimum = parameters.filter { !$0.optional && !$0.variadic }.count + parameters.filter { $0.variadic && !$0.optional }.count
        if parameters.first?.usesContext == true { minimum = max(0, minimum - 1) }
        let maximum = parameters.contains { $0.variadic } ? Int.max : parameters.count
        if given < minimum || given > maximum {
            report(.wrongArgumentCount(function: function.name, given: given, expected: minimum...maximum), at: position)
        }
    }

    /// Variables bound by `:=` outside any block.
    static func topLevelBindings(_ root: Node) -> Set<String> {
        bindings(in: [root])
    }

    /// The variables a block binds with `:=` at any depth outside nested
    /// blocks and lambdas: visible in the whole block, so that a function
    /// can call itself or one defined after it.
    private static func bindings(in expressions: [Node]) -> Set<String> {
        var names: Set<String> = []
        func collect(_ node: Node) {
            switch node.kind {
            case .bind(let name, let value):
                names.insert(name)
                collect(value)
            case .block, .lambda:
                return
            default:
                node.forEachChild { collect($0) }
            }
        }
        expressions.forEach(collect)
        return names
    }
}
