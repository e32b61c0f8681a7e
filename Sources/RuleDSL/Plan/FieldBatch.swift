/// A compile-time plan for an object constructor whose values are mostly
/// field paths of its input (`{"model": model, "seed": options.seed, ...}`,
/// the usual shape of a conversion rule): the distinct first field names of
/// those paths, so that evaluation finds all of them in one pass over the
/// input object's members instead of one pass per value.
///
/// The field paths inside the values (in operands of operators,
/// conditions and calls: `$exists(usage) ? usage.total_tokens : 0`) are
/// planned too, as ``nestedNodes``: while the constructor's members are
/// evaluated, such a path evaluated against the same input object starts
/// from its found first field.
///
/// The memory is owned by the constructor's node and freed by its deinit;
/// the name chains it refers to belong to the value nodes, which the
/// constructor keeps alive. Unchecked Sendable: written once, then only read.
struct FieldBatch: @unchecked Sendable {
    /// Per value of the constructor: its name chain, or nil when the value is
    /// something else (evaluated as usual).
    let chains: UnsafeBufferPointer<NameChain?>
    /// Per value: the position of its first field name in ``names``, or -1.
    let slots: UnsafeBufferPointer<Int>
    /// The distinct first field names, as UTF-8 (for documents) and as
    /// strings (for the keys of built objects).
    let names: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>
    let nameKeys: UnsafeBufferPointer<ObjectValue.WantedKey>
    /// Bit n set when a name is n bytes long (n below 64; bit 63 for longer
    /// names): most member keys are passed over by their length alone.
    let lengthMask: UInt64
    /// The field-path nodes inside the values (identities only: the values
    /// keep them alive), and the position of each one's first field name.
    let nestedNodes: UnsafeBufferPointer<ObjectIdentifier>
    let nestedSlots: UnsafeBufferPointer<Int>

    /// A plan for the values' name chains and the field paths inside the
    /// values; nil when fewer than two are field paths (one lookup per path
    /// costs no more then).
    init?(values: [RuleExpression.Node]) {
        var names: [UnsafeBufferPointer<UInt8>] = []
        var nameStrings: [String] = []
        func slot(of chain: NameChain) -> Int {
            let first = chain.steps[0]
            if let existing = names.firstIndex(where: { $0.elementsEqual(first.bytes) }) { return existing }
            names.append(first.bytes)
            nameStrings.append(first.name)
            return names.count - 1
        }
        let valueChains = values.map(\.nameChain)
        let slots = valueChains.map { chain in chain.map(slot) ?? -1 }
        let nested = values.filter { $0.nameChain == nil }.flatMap(Self.nestedFieldPaths)
        let nestedSlots = nested.map { slot(of: $0.nameChain!) }
        guard slots.filter({ $0 >= 0 }).count + nested.count >= 2 else { return nil }
        self.lengthMask = names.reduce(0) { $0 | (1 << UInt64(min($1.count, 63))) }
        self.chains = .ownedCopy(of: valueChains)
        self.slots = .ownedCopy(of: slots)
        self.names = .ownedCopy(of: names)
        self.nameKeys = .ownedCopy(of: zip(nameStrings, names).map { ObjectValue.WantedKey(key: $0, bytes: $1) })
        self.nestedNodes = .ownedCopy(of: nested.map(ObjectIdentifier.init))
        self.nestedSlots = .ownedCopy(of: nestedSlots)
    }

    /// The field-path nodes that `node` evaluates with its own input: in the
    /// operands of operators, conditions and calls, down to field paths.
    /// Object constructors (which plan their own) and everything else
    /// (paths, whose later steps see other inputs; functions) end the search.
    private static func nestedFieldPaths(_ node: RuleExpression.Node) -> [RuleExpression.Node] {
        if node.nameChain != nil { return [node] }
        guard let operands = node.operands, node.literalKeys == nil else { return [] }
        return (0..<operands.count).flatMap { nestedFieldPaths(operands[$0].takeUnretainedValue()) }
    }

    /// Frees the memory; called once, by the owning node's deinit.
    func deallocate() {
        chains.freeOwnedCopy()
        slots.freeOwnedCopy()
        names.freeOwnedCopy()
        nameKeys.freeOwnedCopy()
        nestedNodes.freeOwnedCopy()
        nestedSlots.freeOwnedCopy()
    }

    /// The position in ``names`` of the first field of `node`, when it is
    /// one of the field paths inside the values.
    @inline(__always)
    func nestedSlot(of node: RuleExpression.Node) -> Int? {
        let identity = ObjectIdentifier(node)
        for position in nestedNodes.indices where nestedNodes[position] == identity { return nestedSlots[position] }
        return nil
    }

    /// Finds every first field name in the object at `object`, writing the
    /// index of each one's value (the last, when a key repeats) into `found`,
    /// or -1 when the object has no such member.
    func resolve(in document: JSONDocument, object: JSONDocument.Index, into found: UnsafeMutableBufferPointer<Int>) {
        document.findMembers(of: object, named: names, lengthMask: lengthMask, into: found)
    }

    /// Finds every first field name among the members of a built object,
    /// writing each one's member position into `found`, or -1.
    func resolve(in object: ObjectValue, into found: UnsafeMutableBufferPointer<Int>) {
        object.findMembers(named: nameKeys, into: found)
    }
}
