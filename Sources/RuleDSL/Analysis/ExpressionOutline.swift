/// A static outline of what an expression builds: for each output field, how
/// its value is obtained and which input paths it reads. This is how a
/// reviewer reads a template without reading JSONata (`rulecheck explain`).
public struct ExpressionOutline: Sendable {
    /// How an output field gets its value.
    public enum Rule: String, Sendable {
        /// Always the same value.
        case constant
        /// An input value (or a variable) carried over unchanged.
        case copied
        /// One of several values, chosen by a condition.
        case conditional
        /// Anything else: a function, arithmetic, concatenation...
        case computed
        /// An object or array built from the fields listed after it.
        case constructed
    }

    /// One output field.
    public struct Field: Sendable, Equatable {
        /// The field's path in the output (`options.temperature`, `data[].embedding`).
        public let path: String
        public let rule: Rule
        /// The input paths and variables it reads (`messages`, `choices[0].delta`, `$model`).
        public let reads: [String]
    }

    /// The fields, in the order the expression builds them. Empty when the
    /// result is not an object constructor (then see ``result``). A result
    /// chosen by a condition between object constructors (`$exists(error) ?
    /// {"error": ...} : {...}`) lists the fields of every branch.
    public let fields: [Field]
    /// The whole result, when it is not an object constructor.
    public let result: Field?
}

extension RuleExpression {
    /// The outline of the expression's result (see ``ExpressionOutline``).
    public func outline() -> ExpressionOutline {
        var fields: [ExpressionOutline.Field] = []
        let body = OutlineBuilder.resultNode(root)
        if let branches = OutlineBuilder.objectBranches(body) {
            for pairs in branches { OutlineBuilder.describe(pairs: pairs, prefix: "", context: "", into: &fields) }
            return ExpressionOutline(fields: fields, result: nil)
        }
        let (rule, reads) = OutlineBuilder.classify(body, context: "")
        return ExpressionOutline(fields: [], result: ExpressionOutline.Field(path: "(result)", rule: rule, reads: reads))
    }
}

private enum OutlineBuilder {
    typealias Node = RuleExpression.Node

    /// The expression that gives the result: the last of a block.
    static func resultNode(_ node: Node) -> Node {
        if case .block(let expressions) = node.kind, let last = expressions.last { return resultNode(last) }
        return node
    }

    /// The members of the object constructors the result is, directly or
    /// through the branches of conditions; nil when some branch is not one.
    static func objectBranches(_ node: Node) -> [[(Node, Node)]]? {
        guard node.stages.isEmpty else { return nil }
        switch node.kind {
        case .object(let pairs):
            return [pairs]
        case .condition(_, let then, let otherwise):
            guard let thenBranches = objectBranches(resultNode(then)) else { return nil }
            guard let otherwise else { return thenBranches }
            return objectBranches(resultNode(otherwise)).map { thenBranches + $0 }
        default:
            return nil
        }
    }

    static func describe(pairs: [(Node, Node)], prefix: String, context: String, into fields: inout [ExpressionOutline.Field]) {
        for (key, value) in pairs {
            let name: String
            if case .string(let text) = key.kind { name = text } else { name = "(computed key)" }
            let path = prefix.isEmpty ? name : "\(prefix).\(name)"
            describe(value, path: path, context: context, into: &fields)
        }
    }

    static func describe(_ value: Node, path: String, context: String, into fields: inout [ExpressionOutline.Field]) {
        let value = resultNode(value)
        if case .object(let inner) = value.kind, value.stages.isEmpty {
            fields.append(.init(path: path, rule: .constructed, reads: []))
            describe(pairs: inner, prefix: path, context: context, into: &fields)
            return
        }
        // [{...}]: an array of one constructed object.
        if case .array(let items) = value.kind, items.count == 1, case .object(let inner) = items[0].kind, items[0].stages.isEmpty {
            fields.append(.init(path: path, rule: .constructed, reads: []))
            describe(pairs: inner, prefix: path + "[0]", context: context, into: &fields)
            return
        }
        // [items.{...}]: an array with one object per item of a path.
        if case .array(let items) = value.kind, items.count == 1, case .path(let steps, _) = items[0].kind,
            let last = steps.last, case .object(let inner) = last.kind
        {
            let source = pathText(Array(steps.dropLast()), context: context)
            fields.append(.init(path: path, rule: .constructed, reads: [source + "[]"]))
            describe(pairs: inner, prefix: path + "[]", context: source + "[].", into: &fields)
            return
        }
        let (rule, reads) = classify(value, context: context)
        fields.append(.init(path: path, rule: rule, reads: reads))
    }

    static func classify(_ node: Node, context: String) -> (ExpressionOutline.Rule, [String]) {
        var reads: [String] = []
        collectReads(node, context: context, into: &reads)
        var unique: [String] = []
        for read in reads where !unique.contains(read) { unique.append(read) }
        switch node.kind {
        case .string, .number, .bool, .null:
            return (.constant, [])
        case .array, .object:
            return (unique.isEmpty ? .constant : .constructed, unique)
        case .name, .variable, .path:
            return (isPlainPath(node) ? .copied : .computed, unique)
        case .condition, .elvis, .coalesce:
            return (.conditional, unique)
        default:
            return (.computed, unique)
        }
    }

    /// A path of names and numeric indexes, or a variable.
    static func isPlainPath(_ node: Node) -> Bool {
        let steps: [Node]
        if case .path(let pathSteps, _) = node.kind { steps = pathSteps } else { steps = [node] }
        return steps.allSatisfy { step in
            let plainStages = step.stages.allSatisfy { stage in
                if case .predicate(let predicate) = stage, case .number = predicate.kind { return true }
                return false
            }
            switch step.kind {
            case .name: return plainStages
            case .variable(let name): return plainStages && !name.isEmpty
            default: return false
            }
        }
    }

    /// The input paths (from the context) and variables an expression reads.
    static func collectReads(_ node: Node, context: String, into reads: inout [String]) {
        switch node.kind {
        case .name, .path:
            let steps: [Node]
            if case .path(let pathSteps, _) = node.kind { steps = pathSteps } else { steps = [node] }
            var names: [Node] = []
            for step in steps {
                if case .name = step.kind { names.append(step) } else { break }
            }
            if !names.isEmpty {
                reads.append(pathText(names, context: context))
            } else if case .variable(let name) = steps.first?.kind, !name.isEmpty, name != "$" {
                reads.append("$" + name)
            }
            for step in steps {
                for stage in step.stages {
                    if case .predicate(let predicate) = stage, !isNumber(predicate) { collectReads(predicate, context: context, into: &reads) }
                }
                if case .name = step.kind { continue }
                step.forEachChild(includingStages: false) { collectReads($0, context: context, into: &reads) }
            }
        case .variable(let name):
            if !name.isEmpty, name != "$", FunctionLibrary.functions[name] == nil { reads.append("$" + name) }
        case .lambda:
            return
        default:
            node.forEachChild { collectReads($0, context: context, into: &reads) }
        }
    }

    private static func isNumber(_ node: Node) -> Bool {
        if case .number = node.kind { return true }
        return false
    }

    /// `choices[0].delta` for name steps with their numeric predicates.
    static func pathText(_ steps: [Node], context: String) -> String {
        context
            + steps.map { step -> String in
                guard case .name(let name, _) = step.kind else { return "?" }
                let indexes = step.stages.compactMap { stage -> String? in
                    if case .predicate(let predicate) = stage, case .number(let value) = predicate.kind {
                        return "[\(JSONNumberFormatting.javaScriptString(value))]"
                    }
                    return "[?]"
                }
                return name + indexes.joined()
            }.joined(separator: ".")
    }
}
