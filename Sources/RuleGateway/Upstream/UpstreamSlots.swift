import Synchronization

/// Counts the provider calls in flight, so that at most `capacity` run at once.
final class UpstreamSlots: Sendable {
    let capacity: Int
    private let inUse = Mutex(0)

    init(capacity: Int) { self.capacity = capacity }

    /// A lease on one slot, or nil when all are taken. The slot is free
    /// again when the lease is released (a streamed call holds it until
    /// its last byte).
    func lease() -> Lease? {
        let taken = inUse.withLock { count -> Bool in
            guard count < capacity else { return false }
            count += 1
            return true
        }
        return taken ? Lease(slots: self) : nil
    }

    fileprivate func release() { inUse.withLock { $0 -= 1 } }

    /// One slot, held until this object goes away.
    final class Lease: Sendable {
        private let slots: UpstreamSlots
        fileprivate init(slots: UpstreamSlots) { self.slots = slots }
        deinit { slots.release() }
    }
}
