extension UnsafeBufferPointer {
    /// A copy of `elements` in memory the caller owns (and frees with
    /// ``freeOwnedCopy()``). Compiled objects keep what evaluation reads on
    /// every call this way: reading an element touches no reference count,
    /// where an array shared by all threads would be retained by each.
    package static func ownedCopy(of elements: [Element]) -> UnsafeBufferPointer<Element> {
        // At least one element of room, so that the base address is never nil.
        let storage = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(1, elements.count))
        _ = storage.initialize(from: elements)
        return UnsafeBufferPointer(start: storage.baseAddress, count: elements.count)
    }

    /// Deinitializes and frees memory from ``ownedCopy(of:)``; called once, by its owner.
    package func freeOwnedCopy() {
        let storage = UnsafeMutablePointer(mutating: baseAddress!)
        storage.deinitialize(count: count)
        storage.deallocate()
    }
}
