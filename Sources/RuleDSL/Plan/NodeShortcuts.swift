// What the planner chooses for a node so that evaluation can take short
// paths through the common shapes of conversion rules: literals, plain
// field paths, and children visited without reference counting.

/// A node's shortcuts, as the planner chose them.
///
/// Lifetime: the raw memory of the name chain, operands, literal keys and
/// field batch belongs to the one node built with these shortcuts, whose
/// deinit frees it. A value of this type is made by the planner for exactly
/// one node and passed to that node's initializer; nothing else keeps it.
struct NodeShortcuts {
    var isPlain = false
    var route: Route = .general
    var nameChain: NameChain? = nil
    var operands: Operands? = nil
    var literal: Literal? = nil
    var builtin: Unmanaged<NativeFunction>? = nil
    var variableName: String? = nil
    var literalKeys: LiteralKeys? = nil
    var fieldBatch: FieldBatch? = nil
}

/// A scalar literal of an expression.
enum Literal: Sendable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// The literal as a value.
    var value: Value {
        switch self {
        case .string(let text): return .string(text)
        case .number(let number): return .number(number)
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        }
    }
}

/// How evaluation takes a node's short path, decided once by the planner
/// for nodes with ``Operands``: operators and conditions over
/// their operands, object constructors with literal keys, calls of built-in
/// functions. A trivial value: switching on it touches no reference counts,
/// where switching on the node's kind retains its indirect payload.
enum Route: Sendable {
    /// No short path: evaluation switches on the kind.
    case general
    case binary(BinaryOperator)
    case condition
    case elvis
    case coalesce
    /// An object constructor with distinct literal keys (``LiteralKeys``).
    case literalObject
    /// A call of a built-in function resolved at compile time.
    case builtinCall
}

/// Child nodes held unretained, in memory their parent owns and frees: the
/// operands that evaluation visits on every call (of operators, conditions,
/// built-in calls, object constructors with literal keys). The parent's kind
/// holds the same nodes strongly, so they live as long as it does; reading
/// them here touches no reference counts, which the threads sharing a
/// compiled expression would otherwise contend for.
///
/// Unchecked Sendable: written once by the planner, then only read.
struct Operands: @unchecked Sendable {
    let nodes: UnsafeBufferPointer<Unmanaged<RuleExpression.Node>>

    init(_ nodes: [RuleExpression.Node]) {
        self.nodes = .ownedCopy(of: nodes.map(Unmanaged.passUnretained))
    }

    /// The number of operands.
    var count: Int { nodes.count }

    subscript(position: Int) -> Unmanaged<RuleExpression.Node> { nodes[position] }

    /// Frees the memory; called once, by the owning node's deinit.
    func deallocate() {
        nodes.freeOwnedCopy()
    }
}

/// One field name of a plain name path, with its UTF-8 bytes for lookup in
/// documents, and the index of a literal number predicate after it (`[0]`).
struct NameStep {
    let name: String
    let bytes: UnsafeBufferPointer<UInt8>
    let index: Int?
}

/// The steps of a plain name path, in memory its node owns and frees:
/// evaluation reads them without reference counting, as threads sharing a
/// compiled expression would otherwise contend for the counts of the same
/// arrays on every lookup.
///
/// Unchecked Sendable: written once by the planner, then only read.
struct NameChain: @unchecked Sendable {
    let steps: UnsafeBufferPointer<NameStep>
    /// The names' UTF-8 bytes, back to back (the steps point into them).
    private let bytes: UnsafeBufferPointer<UInt8>

    init(_ parts: [(name: String, utf8: [UInt8], index: Int?)]) {
        let bytes = UnsafeBufferPointer.ownedCopy(of: parts.flatMap(\.utf8))
        var steps: [NameStep] = []
        var offset = 0
        for part in parts {
            let key = UnsafeBufferPointer(rebasing: bytes[offset..<offset + part.utf8.count])
            steps.append(NameStep(name: part.name, bytes: key, index: part.index))
            offset += part.utf8.count
        }
        self.steps = .ownedCopy(of: steps)
        self.bytes = bytes
    }

    /// Frees the memory; called once, by the owning node's deinit.
    func deallocate() {
        steps.freeOwnedCopy()
        bytes.freeOwnedCopy()
    }
}

/// The keys of an object constructor whose keys are distinct string
/// literals, in memory its node owns and frees (read without counting the
/// references of a shared array).
///
/// Unchecked Sendable: written once by the planner, then only read.
struct LiteralKeys: @unchecked Sendable {
    private let keys: UnsafeBufferPointer<String>
    /// Each key as JSON writes it after a previous member (`,"key":`),
    /// back to back: writing a constructor's object straight to text copies
    /// these bytes instead of quoting and escaping the key each time.
    private let encodedKeys: UnsafeBufferPointer<UInt8>
    /// Where each key's encoding starts in ``encodedKeys``, and its end.
    private let encodedStarts: UnsafeBufferPointer<Int>

    init(_ keys: [String]) {
        self.keys = .ownedCopy(of: keys)
        var writer = JSONWriter()
        var starts: [Int] = []
        for key in keys {
            starts.append(writer.bytes.count)
            writer.appendMemberKey(key, first: false)
        }
        starts.append(writer.bytes.count)
        self.encodedKeys = .ownedCopy(of: writer.bytes)
        self.encodedStarts = .ownedCopy(of: starts)
    }

    subscript(position: Int) -> String { keys[position] }

    /// The key at `position` as JSON text with its punctuation: `,"key":`,
    /// without the comma for the first member.
    func encoded(_ position: Int, first: Bool) -> UnsafeBufferPointer<UInt8> {
        let start = encodedStarts[position] + (first ? 1 : 0)
        return UnsafeBufferPointer(rebasing: encodedKeys[start..<encodedStarts[position + 1]])
    }

    /// Frees the memory; called once, by the owning node's deinit.
    func deallocate() {
        keys.freeOwnedCopy()
        encodedKeys.freeOwnedCopy()
        encodedStarts.freeOwnedCopy()
    }
}
