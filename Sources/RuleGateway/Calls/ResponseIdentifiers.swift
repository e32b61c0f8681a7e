import Synchronization

/// Makes the `$id` of each response (one per stream, the same in all its
/// chunks): a random 64-bit number followed by a sequence number, both in
/// decimal, so that ids never repeat within one gateway run.
final class ResponseIdentifiers: Sendable {
    private let sequence = Atomic<UInt64>(0)

    func next() -> String {
        let number = sequence.add(1, ordering: .relaxed).newValue
        return "\(UInt64.random(in: .min ... .max))\(number)"
    }
}
