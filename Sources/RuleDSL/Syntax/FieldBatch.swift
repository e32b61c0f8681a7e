/// A compile-time plan for an object constructor whose values are mostly
/// field paths of its input (`{"model": model, "seed": options.seed, ...}`,
/// the usual shape of a conversion rule): the distinct first field names of
/// those paths, so that evaluation finds all of them in one pass over the
/// input object's members instead of one pass per value.
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
    /// The distinct first field names, as UTF-8.
    let names: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>
    /// Bit n set when a name is n bytes long (n below 64; bit 63 for longer
    /// names): most member keys are passed over by their length alone.
    let lengthMask: UInt64

    /// A plan for the values' name chains; nil when fewer than two values
    /// are field paths (one lookup per value costs no more then).
    init?(chains valueChains: [NameChain?]) {
        var names: [UnsafeBufferPointer<UInt8>] = []
        var slots: [Int] = []
        for chain in valueChains {
            guard let first = chain?.steps.first else {
                slots.append(-1)
                continue
            }
            if let existing = names.firstIndex(where: { $0.elementsEqual(first.bytes) }) {
                slots.append(existing)
            } else {
                slots.append(names.count)
                names.append(first.bytes)
            }
        }
        guard slots.filter({ $0 >= 0 }).count >= 2 else { return nil }
        self.lengthMask = names.reduce(0) { $0 | (1 << UInt64(min($1.count, 63))) }
        self.chains = .ownedCopy(of: valueChains)
        self.slots = .ownedCopy(of: slots)
        self.names = .ownedCopy(of: names)
    }

    /// Frees the memory; called once, by the owning node's deinit.
    func deallocate() {
        chains.freeOwnedCopy()
        slots.freeOwnedCopy()
        names.freeOwnedCopy()
    }

    /// Finds every first field name in the object at `object`, writing the
    /// index of each one's value (the last, when a key repeats) into `found`,
    /// or -1 when the object has no such member.
    func resolve(in document: JSONDocument, object: JSONDocument.Index, into found: UnsafeMutableBufferPointer<Int>) {
        document.findMembers(of: object, named: names, lengthMask: lengthMask, into: found)
    }
}
