/// The entries of a document's structural index, in one buffer that the
/// document owns and frees (a value, not an object of its own: one
/// allocation less per document). Immutable once built: any number of
/// threads read it.
@usableFromInline
struct IndexStorage: @unchecked Sendable {
    @usableFromInline let pointer: UnsafeMutablePointer<IndexEntry>
    @usableFromInline let count: Int

    /// Takes ownership of `pointer`, which holds `count` initialized entries.
    init(taking pointer: UnsafeMutablePointer<IndexEntry>, count: Int) {
        self.pointer = pointer
        self.count = count
    }

    /// Frees the buffer; called once, by the owning document's deinit.
    func deallocate() {
        pointer.deallocate()
    }

    /// The entry at `index`, which must be below ``count``.
    @inlinable
    subscript(index: Int) -> IndexEntry {
        precondition(index >= 0 && index < count, "JSON index \(index) out of range")
        return pointer[index]
    }
}

/// The growing buffer the reader appends entries to and patches when
/// containers close. A plain array would check its uniqueness on every
/// change; this buffer is a value owned by the reader alone.
struct IndexBuilder {
    private(set) var pointer: UnsafeMutablePointer<IndexEntry>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        pointer = UnsafeMutablePointer<IndexEntry>.allocate(capacity: self.capacity)
    }

    /// Appends an entry.
    @inline(__always)
    mutating func append(_ entry: IndexEntry) {
        if count == capacity { grow() }
        (pointer + count).initialize(to: entry)
        count += 1
    }

    private mutating func grow() {
        let newCapacity = capacity * 2
        let newPointer = UnsafeMutablePointer<IndexEntry>.allocate(capacity: newCapacity)
        newPointer.moveInitialize(from: pointer, count: count)
        pointer.deallocate()
        pointer = newPointer
        capacity = newCapacity
    }

    /// The entry at `index` (below ``count``), to patch a container.
    @inline(__always)
    subscript(index: Int) -> IndexEntry {
        get { pointer[index] }
        nonmutating set { pointer[index] = newValue }
    }

    /// Hands the entries to a storage; the builder must not be used after.
    func finish() -> IndexStorage {
        IndexStorage(taking: pointer, count: count)
    }

    /// Frees the entries when reading failed.
    func discard() {
        pointer.deallocate()
    }
}
