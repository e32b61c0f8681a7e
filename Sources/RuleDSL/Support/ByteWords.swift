/// Tests on eight bytes at once: a 64-bit word read from text, its first
/// byte lowest. Each test gives the word with the high bit set in the bytes
/// that pass it. A borrow can also flag a byte above one that passes, never
/// below: the lowest flag is always exact, which is what a scan wants
/// (``firstFlagged(_:)``).
package enum ByteWords {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `offset` from `base`, the first one lowest.
    @inlinable
    package static func load(_ base: UnsafePointer<UInt8>, at offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
    }

    /// The bytes equal to `byte`.
    @inlinable
    package static func equal(_ word: UInt64, to byte: UInt8) -> UInt64 {
        let difference = word ^ (ones &* UInt64(byte))
        // A byte is zero when subtracting 1 borrows into its clear high bit.
        return (difference &- ones) & ~difference & highBits
    }

    /// The bytes below `bound`, which must be at most 0x80.
    @inlinable
    package static func below(_ word: UInt64, _ bound: UInt8) -> UInt64 {
        (word &- ones &* UInt64(bound)) & ~word & highBits
    }

    /// The bytes that JSON escapes in a string: `"`, `\` and control characters.
    @inlinable
    package static func escapedInJSON(_ word: UInt64) -> UInt64 {
        equal(word, to: UInt8(ascii: "\"")) | equal(word, to: UInt8(ascii: "\\")) | below(word, 0x20)
    }

    /// The bytes of 0x80 and above (parts of multi-byte UTF-8 characters).
    @inlinable
    package static func nonASCII(_ word: UInt64) -> UInt64 { word & highBits }

    /// The offset in the word of the first flagged byte; `marks` must not be zero.
    @inlinable
    package static func firstFlagged(_ marks: UInt64) -> Int { marks.trailingZeroBitCount / 8 }
}
