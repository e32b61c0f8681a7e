#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Limits on one evaluation, so that a hostile expression or input cannot
/// hang or crash the host.
public struct EvaluationLimits: Sendable {
    /// The deepest nesting of evaluation (function calls and nested
    /// expressions); deeper evaluation fails with U1001.
    public var maximumDepth: Int
    /// Wall-clock budget in milliseconds; exceeded, evaluation fails with U1001 (as JSONata's runaway check does).
    public var timeLimitMilliseconds: Int?
    /// The most call-stack memory evaluation may use, in bytes; beyond it
    /// evaluation fails with U1001 instead of overflowing the thread's stack.
    /// Nil (the default) means what is left of the calling thread's stack,
    /// less a reserve of 128 KiB for the host.
    public var stackBudgetBytes: Int?
    /// The largest value one evaluation may build: a string of at most this
    /// many UTF-8 bytes, an array of at most this many elements. Building a
    /// larger one (`$pad("x", 1e16)`, a string doubled forty times) fails
    /// with U1002 before the memory is asked for.
    public var maximumValueSize: Int
    /// The deepest that arrays and objects built by one evaluation may nest
    /// into each other, as the JSON reader allows for documents. A fold
    /// that wraps its accumulator deeper (`$reduce([1..100000],
    /// function($a, $v) {{"a": $a}}, {})`) fails with U1002: so deep a
    /// value could not even be released without overflowing the stack.
    public var maximumValueNesting: Int
    /// The most sequence elements one evaluation may produce in all, over
    /// every range, array constructor and path step: many values each
    /// within ``maximumValueSize`` (`[1..10000].[1..10000]`, a hundred
    /// million numbers) would otherwise fill memory long before any time
    /// limit passes. Beyond it evaluation fails with U1002.
    public var maximumElementsProduced: Int

    /// Creates limits: by default a depth of 10,000 levels, the thread's own
    /// stack as the budget, no time limit, values of up to 16,777,216 bytes
    /// or elements, nested up to 1,000 levels, and 67,108,864 sequence
    /// elements produced in all.
    public init(
        maximumDepth: Int = 10_000, timeLimitMilliseconds: Int? = nil, stackBudgetBytes: Int? = nil,
        maximumValueSize: Int = 16_777_216, maximumValueNesting: Int = 1_000, maximumElementsProduced: Int = 67_108_864
    ) {
        self.maximumDepth = maximumDepth
        self.timeLimitMilliseconds = timeLimitMilliseconds
        self.stackBudgetBytes = stackBudgetBytes
        self.maximumValueSize = maximumValueSize
        self.maximumValueNesting = maximumValueNesting
        self.maximumElementsProduced = maximumElementsProduced
    }
}

/// The state of one evaluation of an expression: depth, deadline, the root
/// input, and (as the outermost ``Frame``) the caller's bindings. Created per
/// call; never shared between threads.
final class Evaluation: Frame {
    typealias Node = RuleExpression.Node

    let root: Value?
    let limits: EvaluationLimits
    private(set) var depth = 0
    /// Whether calls of built-in names may use the function resolved at
    /// compile time (nothing in this evaluation binds those names).
    var builtinsResolved = false
    /// The fields of the literal-key object constructor whose members are
    /// being evaluated, found in one pass over its input object (nil when
    /// none is): the field paths inside its values start from them. A
    /// pointer to the constructor's own copy, valid while it is set (read
    /// for every field path: copying the fields each time would cost more).
    var activeFields: UnsafePointer<ResolvedFields>? = nil
    private let deadline: UInt64?
    private var steps = 0
    /// Sequence elements produced so far, against ``EvaluationLimits/maximumElementsProduced``.
    private var elementsProduced = 0
    /// The frames a function was bound in. A function holds the frame it
    /// was made in, so `$f := function() {...}` makes a frame that holds a
    /// function that holds the frame: a cycle that reference counting never
    /// frees. ``releaseClosures()`` breaks them when the evaluation ends.
    private var framesHoldingFunctions: [Frame] = []

    /// The time the evaluation started, in milliseconds since the epoch:
    /// `$now()` and `$millis()` give the same instant throughout one evaluation.
    lazy var startMilliseconds: Int64 = {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }()

    /// The stack address where evaluation started, to measure how much stack it uses.
    private let stackBase: UInt
    /// How much stack evaluation may use below `stackBase`.
    private let stackBudget: UInt

    init(root: Value?, limits: EvaluationLimits, bindings: [String: Value]) {
        self.root = root
        self.limits = limits
        let base = StackBounds.currentAddress()
        stackBase = base
        stackBudget = UInt(limits.stackBudgetBytes ?? Self.remainingStack(below: base))
        deadline = limits.timeLimitMilliseconds.map { Self.now() + UInt64($0) * 1_000_000 }
        super.init(parent: nil, bindings: bindings)
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// The stack left to the current thread below `address`, less a 128 KiB
    /// reserve; 256 KiB when the platform cannot tell.
    private static func remainingStack(below address: UInt) -> Int {
        let floor = StackBounds.floor()
        guard floor != 0, address > floor else { return 256 * 1024 }
        return max(64 * 1024, Int(address - floor))
    }

    /// Ends a nested evaluation begun by ``enter(_:)``.
    @inline(__always)
    func leave() { depth -= 1 }

    /// Guards each nested evaluation: depth, stack use and (every 1024 steps) time.
    @inline(__always)
    func enter(_ node: Node) throws(JSONataError) {
        depth += 1
        if depth > limits.maximumDepth {
            throw JSONataError(.depthExceeded, position: node.position)
        }
        if depth & 7 == 0, stackBase &- StackBounds.currentAddress() > stackBudget {
            throw JSONataError(.depthExceeded, position: node.position)
        }
        try tick(node.position)
    }

    /// Counts one step of work against the time limit, reading the clock
    /// every 1,024 steps. Every node entered is a step, and so is every
    /// item a loop visits without entering a node (a path step whose body
    /// is a literal, the elements `$string` writes).
    @inline(__always)
    func tick(_ position: Int) throws(JSONataError) {
        guard let deadline else { return }
        steps &+= 1
        if steps & 1023 == 0, Self.now() > deadline { throw Self.timeout(at: position) }
    }

    /// Accounts for `added` elements about to join a sequence of `count`:
    /// the sum must stay within the size limit, the evaluation's total
    /// within its budget, and each element is a step of work. Sequences
    /// that feed themselves (`[$s, $s]` in a recursion, a path whose every
    /// item yields many) grow geometrically, so the check comes before the
    /// elements are copied.
    @inline(__always)
    func accountForElements(_ added: Int, joining count: Int, position: Int) throws(JSONataError) {
        guard added > 1 else { return try tick(position) }
        try checkSize(count &+ added, position: position)
        elementsProduced &+= added
        if elementsProduced > limits.maximumElementsProduced {
            throw JSONataError(.valueTooLarge, position: position, token: "more than \(limits.maximumElementsProduced) elements produced in all")
        }
        guard let deadline else { return }
        let before = steps
        steps &+= added
        if before >> 10 != steps >> 10, Self.now() > deadline { throw Self.timeout(at: position) }
    }

    /// Breaks the cycles of functions and the frames they were bound in;
    /// called once the evaluation's result is complete (functions in the
    /// result no longer see the variables of their frames).
    func releaseClosures() {
        for frame in framesHoldingFunctions { frame.removeAllBindings() }
        framesHoldingFunctions.removeAll()
    }

    /// Whether the evaluation's time limit has passed: long built-ins (regular
    /// expressions) poll it while they work.
    func isPastDeadline() -> Bool {
        guard let deadline else { return false }
        return Self.now() > deadline
    }

    /// The error of an evaluation that ran out of time, at `position`.
    static func timeout(at position: Int) -> JSONataError {
        // JSONata reports a runaway evaluation, deep or long, as U1001.
        JSONataError(.depthExceeded, position: position, detail: "Expression evaluation timeout: Check for infinite loop")
    }

    /// Fails with U1002 when a value of `size` (UTF-8 bytes of a string,
    /// elements of an array) would exceed the evaluation's size limit.
    /// Called before the value is built, so the memory is never asked for.
    @inline(__always)
    func checkSize(_ size: Int, position: Int) throws(JSONataError) {
        guard size > limits.maximumValueSize else { return }
        throw JSONataError(.valueTooLarge, position: position, token: "\(size) bytes or elements")
    }

    // MARK: - Evaluate a node

    /// Whether a focus binding (`@$v`) on a node that stands alone has no
    /// effect. JSONata makes a path of a lone field name, so its focus binds
    /// per item; any other node (`*@$v`, `**@$v`, `$@$i`, `[1,2]@$i`) is not
    /// a path, and its focus is ignored.
    static func focusIsInertOutsidePath(_ node: Node) -> Bool {
        guard node.focus != nil, node.ancestorSlot == nil else { return false }
        switch node.kind {
        case .name, .parent: return false
        default: return true
        }
    }

    /// Whether `[]` after `step` wraps a single value in an array: after a
    /// field name, wildcard, descendant or parent step.
    private static func keepArrayWraps(after step: Node) -> Bool {
        switch step.kind {
        case .name, .wildcard, .descendants, .parent: return true
        default: return false
        }
    }

    /// Evaluates `node` against `input`: its own value, then its predicates
    /// and group-by, then a result sequence of one item stands for the item.
    func evaluate(_ node: Node, _ input: Value?, _ frame: Frame) throws(JSONataError) -> Value? {
        if let chain = node.nameChain {
            if let walked = activeFields?.pointee.walk(node, input) {
                if case .value(let value) = walked { return value }
            } else if case .value(let value) = Self.navigate(chain, from: input) {
                return value
            }
        }
        if let literal = node.literal { return literal.value }
        try enter(node)
        defer { leave() }
        if node.isPlain { return collapse(try evaluateKind(node, input, frame)) }
        var result: Value?
        if node.bindsPerItem, case .path = node.kind {
            result = try evaluateKind(node, input, frame)
        } else if node.bindsPerItem, !Self.focusIsInertOutsidePath(node) {
            // A group-by here (`a#$i{...}`) groups the items with their bindings.
            return collapse(try evaluateTuplePath([node], keepSingleton: false, group: node.group, input, frame))
        } else {
            result = try applyPredicates(node.stages, to: try evaluateKind(node, input, frame), frame)
        }
        // A tuple path groups its own items; an ignored focus (`*@$v{...}`) leaves a plain group-by.
        if let group = node.group, !node.isTuplePath || Self.focusIsInertOutsidePath(node) {
            result = try groupBy(result, group, frame, position: node.position)
        }
        return collapse(result)
    }

    /// The array an outer wrapper holds; any other value as it is.
    static func unwrapped(_ value: Value?) -> Value? {
        if case .array(let items, let flags)? = value, flags.contains(.outerWrapper) { return items.first }
        return value
    }

    /// A result sequence of none is undefined, of one is that item (unless kept as an array).
    @inline(__always)
    func collapse(_ value: Value?) -> Value? {
        guard case .array(let items, let flags)? = value, flags.contains(.sequence) else { return value }
        if items.isEmpty { return nil }
        if items.count == 1 && !flags.contains(.keepSingleton) { return items[0] }
        return value
    }

    /// The node's own value, without its predicates or group-by. Nodes with
    /// operands take their route (see ``Route``): operators, conditions,
    /// literal-key object constructors and built-in calls visit their
    /// operands unretained, without reading the kind.
    func evaluateKind(_ node: Node, _ input: Value?, _ frame: Frame) throws(JSONataError) -> Value? {
        guard let operands = node.operands else {
            if let name = node.variableName { return variable(name, input, frame) }
            return try evaluateGeneralKind(node, input, frame)
        }
        switch node.route {
        case .binary(let op):
            return try binary(op, operands[0], operands[1], input, frame, position: node.position)
        case .condition:
            return try condition(operands[0], operands[1], operands.count > 2 ? operands[2] : nil, input, frame)
        case .elvis:
            return try elvis(operands[0], operands[1], input, frame)
        case .coalesce:
            return try coalesce(operands[0], operands[1], input, frame)
        case .literalObject where !(input?.isArray ?? false):
            guard let keys = node.literalKeys else { break }
            var object = ObjectValue(capacity: operands.count)
            try addMembers(of: node, operands, keys, input, frame, to: &object)
            return .object(object)
        case .builtinCall where builtinsResolved:
            guard let builtin = node.builtin else { break }
            return try builtin.withGuaranteedReference { builtin throws(JSONataError) in
                try callBuiltin(builtin, operands, input, frame, position: node.position)
            }
        default:
            break
        }
        return try evaluateGeneralKind(node, input, frame)
    }

    private func condition(
        _ test: Unmanaged<Node>, _ then: Unmanaged<Node>, _ otherwise: Unmanaged<Node>?,
        _ input: Value?, _ frame: Frame
    ) throws(JSONataError) -> Value? {
        if Self.truthy(try evaluate(test, input, frame)) { return try evaluate(then, input, frame) }
        guard let otherwise else { return nil }
        return try evaluate(otherwise, input, frame)
    }

    private func elvis(_ left: Unmanaged<Node>, _ right: Unmanaged<Node>, _ input: Value?, _ frame: Frame) throws(JSONataError) -> Value? {
        let value = try evaluate(left, input, frame)
        return Self.truthy(value) ? value : try evaluate(right, input, frame)
    }

    private func coalesce(_ left: Unmanaged<Node>, _ right: Unmanaged<Node>, _ input: Value?, _ frame: Frame) throws(JSONataError) -> Value? {
        if let value = try evaluate(left, input, frame) { return value }
        return try evaluate(right, input, frame)
    }

    /// The node's own value by its kind (nodes without a route, and routes
    /// whose conditions do not hold: an object constructor over an array
    /// groups, a built-in whose name a binding shadows is looked up).
    private func evaluateGeneralKind(_ node: Node, _ input: Value?, _ frame: Frame) throws(JSONataError) -> Value? {
        switch node.kind {
        case .string(let value): return .string(value)
        case .number(let value): return .number(value)
        case .bool(let value): return .bool(value)
        case .null: return .null
        case .regex(let pattern): return .function(FunctionValue(.regex(pattern)))
        case .name(let name, let utf8): return lookup(input, name: name, utf8: utf8)
        case .variable(let name): return variable(name, input, frame)
        case .wildcard: return wildcard(input)
        case .descendants: return descendants(input)
        case .parent(let slot): return frame.lookup(slot)
        case .path(let steps, let keepSingleton):
            if keepSingleton, steps.count == 1, steps[0].stages.isEmpty, !Self.keepArrayWraps(after: steps[0]) {
                // As JSONata: `[]` wraps a single value in an array only after
                // a step that navigates (`a[]`, `*[]`); elsewhere it only keeps
                // a sequence of one an array (`$map([1], $f)[]` is `[1]`, but
                // `$[]`, `"s"[]` and `$string(1)[]` are their value).
                let value = try evaluateKind(steps[0], input, frame)
                guard case .array(let items, let flags)? = value, flags.contains(.sequence) else { return collapse(value) }
                return .array(items, flags.union(.keepSingleton))
            }
            if node.isTuplePath {
                return try evaluateTuplePath(steps, keepSingleton: keepSingleton, group: node.group, input, frame)
            }
            return try evaluatePath(steps, keepSingleton: keepSingleton, input, frame)
        case .negate(let operand):
            guard let value = try evaluate(operand, input, frame) else { return nil }
            guard let number = value.numberValue else {
                throw JSONataError(.negateNonNumber, position: node.position, token: describe(value))
            }
            return .number(-number)
        case .array(let items): return try arrayConstructor(items, input, frame)
        case .object(let pairs):
            if let input, input.isArray { return try groupBy(input, pairs, frame, position: node.position) }
            return try objectConstructor(pairs, input, frame)
        // Operators and conditions always have operands and take their
        // route; these cases keep the switch total.
        case .binary(let op, let left, let right):
            return try binary(op, .passUnretained(left), .passUnretained(right), input, frame, position: node.position)
        case .condition(let test, let then, let otherwise):
            return try condition(.passUnretained(test), .passUnretained(then), otherwise.map { .passUnretained($0) }, input, frame)
        case .elvis(let left, let right):
            return try elvis(.passUnretained(left), .passUnretained(right), input, frame)
        case .coalesce(let left, let right):
            return try coalesce(.passUnretained(left), .passUnretained(right), input, frame)
        case .block(let expressions):
            let scope = Frame(parent: frame)
            var result: Value? = nil
            for expression in expressions { result = try evaluate(expression, input, scope) }
            return result
        case .bind(let name, let valueNode):
            let value = try evaluate(valueNode, input, frame)
            frame.bind(name, value)
            if value?.holdsFunction == true { framesHoldingFunctions.append(frame) }
            return value
        case .call(let function, let arguments):
            return try call(function, arguments, input, frame, position: node.position)
        case .lambda(let definition):
            return .function(FunctionValue(.lambda(definition, frame, input: input)))
        case .apply(let left, let right):
            return try applyChain(left, right, input, frame, position: node.position)
        case .transform(let pattern, let update, let delete):
            return .function(FunctionValue(.transform(pattern: pattern, update: update, delete: delete, frame)))
        case .sort(let terms):
            return .array(try sort(input.map { $0.asList } ?? [], terms, frame, position: node.position), .sequence)
        }
    }

    private func variable(_ name: String, _ input: Value?, _ frame: Frame) -> Value? {
        if name.isEmpty { return Self.unwrapped(input) }
        if name == "$" { return Self.unwrapped(root) }
        if let value = frame.lookup(name) { return value }
        if let native = FunctionLibrary.functions[name] { return .function(FunctionValue(.native(native))) }
        return nil
    }

    // MARK: - Navigation

    /// A field's values across an array's items; undefined when no item has
    /// the field, so that a predicate sees one undefined item, as in JSONata.
    private static func foundInArray(_ results: [Value]) -> Value? {
        results.isEmpty ? nil : .array(results, .sequence)
    }

    /// The value of field `name` of `input`; over an array, of each element, flattened.
    func lookup(_ input: Value?, name: String, utf8: [UInt8]) -> Value? {
        guard let input else { return nil }
        switch input {
        case .node(let document, let index):
            switch document.kind(at: index) {
            case .object:
                let found = utf8.withUnsafeBufferPointer { document.member(of: index, keyBytes: $0) }
                return found.map { Value.fromDocument(document, $0) }
            case .array:
                var results: [Value] = []
                for child in document.children(of: index) {
                    appendFlattened(lookup(Value.fromDocument(document, child), name: name, utf8: utf8), to: &results)
                }
                return Self.foundInArray(results)
            default:
                return nil
            }
        case .object(let object):
            return object[name]
        case .array(let items, _):
            var results: [Value] = []
            for item in items { appendFlattened(lookup(item, name: name, utf8: utf8), to: &results) }
            return Self.foundInArray(results)
        default:
            return nil
        }
    }

    /// Appends a value, or the elements of an array value.
    @inline(__always)
    func appendFlattened(_ value: Value?, to results: inout [Value]) {
        guard let value else { return }
        switch value {
        case .array(let items, _): results.append(contentsOf: items)
        case .node(let document, let index) where document.kind(at: index) == .array:
            for child in document.children(of: index) { results.append(Value.fromDocument(document, child)) }
        default: results.append(value)
        }
    }

    /// `*`: the values of an object's fields, or the items of an array, with
    /// arrays among them flattened at every depth (`*` on `{"a": [1, [2]]}`
    /// is `[1, 2]`).
    private func wildcard(_ input: Value?) -> Value? {
        guard let input else { return nil }
        var results: [Value] = []
        // As JSONata: when a field (or an element) holds an array, even an
        // empty one, the values are an array that one value does not
        // collapse (`*` of `{"a": ["y"]}` is `["y"]`, of `{"a": 0, "b": []}`
        // is `[0]`, of `[[1]]` is `[1]`; of `[1]` it is `1`).
        var holdsArray = false
        if let members = input.objectMembers {
            for member in members {
                holdsArray = holdsArray || member.value.isArray
                appendDeeplyFlattened(member.value, to: &results)
            }
        } else if let elements = input.arrayElements {
            for element in elements {
                holdsArray = holdsArray || element.isArray
                appendDeeplyFlattened(element, to: &results)
            }
        } else {
            // A scalar has no fields: undefined, which a predicate still sees as one item.
            return nil
        }
        return .array(results, holdsArray ? [] : .sequence)
    }

    private func appendDeeplyFlattened(_ value: Value, to results: inout [Value]) {
        guard let elements = value.arrayElements else {
            results.append(value)
            return
        }
        for element in elements { appendDeeplyFlattened(element, to: &results) }
    }

    private func descendants(_ input: Value?) -> Value? {
        guard let input else { return nil }
        var results: [Value] = []
        func visit(_ value: Value) {
            if let elements = value.arrayElements {
                for element in elements { visit(element) }
                return
            }
            results.append(value)
            if let members = value.objectMembers {
                for member in members { visit(member.value) }
            }
        }
        visit(input)
        return .array(results, .sequence)
    }

    // MARK: - Constructors

    private func arrayConstructor(_ items: [Node], _ input: Value?, _ frame: Frame) throws(JSONataError) -> Value {
        var results: [Value] = []
        for item in items {
            guard let value = try evaluate(item, input, frame) else { continue }
            if case .array = item.kind, item.stages.isEmpty {
                results.append(value)
            } else {
                try accountForElements(value.flattenedCount, joining: results.count, position: item.position)
                appendFlattened(value, to: &results)
            }
        }
        return .array(results, [])
    }

    /// An object constructor over a single input item (the common case): each
    /// pair's key and value are evaluated against the item, with no grouping.
    private func objectConstructor(_ pairs: [(Node, Node)], _ input: Value?, _ frame: Frame) throws(JSONataError) -> Value {
        // Keys first (nil: undefined, the pair is skipped), then values, as grouping does.
        var keys: [String?] = []
        keys.reserveCapacity(pairs.count)
        for pair in pairs {
            let key: String
            if case .string(let literal) = pair.0.kind, pair.0.stages.isEmpty {
                key = literal
            } else {
                guard let keyValue = try evaluate(pair.0, input, frame) else {
                    keys.append(nil)
                    continue
                }
                guard let text = keyValue.stringValue else {
                    throw JSONataError(.keyNotString, position: pair.0.position, token: describe(keyValue))
                }
                key = text
            }
            if keys.contains(key) { throw JSONataError(.duplicateKey, position: pair.0.position, token: key) }
            keys.append(key)
        }
        var result = ObjectValue()
        for (index, pair) in pairs.enumerated() {
            guard let key = keys[index], let value = try evaluate(pair.1, input, frame) else { continue }
            result.appendNew(key, value)
        }
        return .object(result)
    }

    /// Evaluates a node held unretained by its parent, without retaining it.
    @inline(__always)
    func evaluate(_ node: Unmanaged<Node>, _ input: Value?, _ frame: Frame) throws(JSONataError) -> Value? {
        try node.withGuaranteedReference { node throws(JSONataError) in try evaluate(node, input, frame) }
    }

    /// Groups the items of `input` by the keys of `pairs` and evaluates each
    /// value over the items of its group (object constructors and `{}` after a path).
    func groupBy(
        _ input: Value?, _ pairs: [(Node, Node)], _ frame: Frame, position: Int,
        tupleBindings: [[String: Value]]? = nil
    ) throws(JSONataError) -> Value {
        var items: [Value?]
        if let input {
            items = input.isArray ? input.asList : [input]
        } else {
            items = [nil]
        }
        if items.isEmpty { items = [nil] }
        var groups: [(key: String, pairIndex: Int, items: [Value], bindings: [String: Value])] = []
        var groupIndexByKey: [String: Int] = [:]
        for (itemIndex, item) in items.enumerated() {
            let bindings = tupleBindings.flatMap { itemIndex < $0.count ? $0[itemIndex] : nil } ?? [:]
            let itemFrame = bindings.isEmpty ? frame : Frame(parent: frame, bindings: bindings)
            for (pairIndex, pair) in pairs.enumerated() {
                guard let keyValue = try evaluate(pair.0, item, itemFrame) else { continue }
                guard let key = keyValue.stringValue else {
                    throw JSONataError(.keyNotString, position: pair.0.position, token: describe(keyValue))
                }
                if let existing = groupIndexByKey[key] {
                    guard groups[existing].pairIndex == pairIndex else {
                        throw JSONataError(.duplicateKey, position: pair.0.position, token: key)
                    }
                    if let item { groups[existing].items.append(item) }
                    // Per-item bindings of one group accumulate, as $append would.
                    groups[existing].bindings.merge(bindings) { old, new in .array(old.asList + new.asList, .sequence) }
                } else {
                    groupIndexByKey[key] = groups.count
                    groups.append((key, pairIndex, item.map { [$0] } ?? [], bindings))
                }
            }
        }
        var result = ObjectValue()
        for group in groups {
            let context = Self.groupContext(group.items)
            let groupFrame = group.bindings.isEmpty ? frame : Frame(parent: frame, bindings: group.bindings)
            if let value = try evaluate(pairs[group.pairIndex].1, context, groupFrame) {
                result[group.key] = value
            }
        }
        return .object(result)
    }

    /// The context of a group's value: its one item, or its items joined
    /// as `$append` joins them, arrays flattened (`price{"x": $}` of two
    /// items `[1, 2]` and `3` is `[1, 2, 3]`).
    private static func groupContext(_ items: [Value]) -> Value? {
        guard items.count > 1 else { return items.first }
        var joined: [Value] = []
        for item in items { joined.append(contentsOf: item.asList) }
        return .array(joined, .sequence)
    }

    // MARK: - Truth and descriptions

    /// JSONata's boolean value of a result: empty strings, zero, empty arrays
    /// and objects, null, false and undefined are false; functions are false.
    static func truthy(_ value: Value?) -> Bool {
        guard let value else { return false }
        switch value {
        case .null: return false
        case .bool(let flag): return flag
        // NaN (`0/0`) is false, as in JSONata.
        case .number(let number): return number != 0 && !number.isNaN
        case .string(let text): return !text.isEmpty
        case .function: return false
        case .object(let object): return object.count > 0
        case .array(let items, _):
            if items.count == 1 { return truthy(items[0]) }
            return items.contains { truthy($0) }
        case .node(let document, let index):
            switch document.kind(at: index) {
            case .number: return document.double(at: index) != 0
            case .string: return document.byteRange(at: index).count > 2
            case .object: return document.count(at: index) > 0
            case .array:
                return document.children(of: index).contains { truthy(Value.fromDocument(document, $0)) }
            default: return false
            }
        }
    }

    /// A short rendering of a value for error messages.
    func describe(_ value: Value) -> String {
        if let string = value.stringValue { return "\"\(string)\"" }
        guard let json = value.jsonValue, let text = try? json.jsonText() else { return value.typeName }
        return text
    }
}
