import CStackBounds

/// Where the calling thread's stack is, so that recursion over deep input
/// (parsing, evaluating) stops with an error before it overflows.
enum StackBounds {
    /// The stack the host keeps for itself below any limit: 128 KiB.
    static let reserve: UInt = 128 * 1024

    /// An address just below the caller's frame (on the real stack: a
    /// local variable's address is not, under AddressSanitizer).
    @inline(__always)
    static func currentAddress() -> UInt {
        UInt(stack_bounds_current_address())
    }

    /// The thread's lowest usable stack address plus the reserve; 0 when
    /// the platform cannot tell (then nothing is checked against it).
    static func floor() -> UInt {
        let low = UInt(stack_bounds_lowest_address())
        return low == 0 ? 0 : low + reserve
    }
}
