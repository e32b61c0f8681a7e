/// Tests on eight bytes at once: a 64-bit word read from text, its first
/// byte lowest. Each test gives the word with the high bit set in the bytes
/// that pass it. A borrow can also flag a byte above one that passes, never
/// below: the lowest flag is always exact, which is what a scan wants
/// (``firstFlagged(_:)``).
///
/// All inlined: they run per eight bytes in the hottest loops (the JSON
/// reader and writer here, the SSE decoder of ConversionRules). Public for
/// that: package-level functions were not inlined into the other module.
public enum ByteWords {
    /// 0x01 in every byte.
    @inlinable @inline(__always) public static var ones: UInt64 { 0x0101_0101_0101_0101 }
    /// 0x80 in every byte.
    @inlinable @inline(__always) public static var highBits: UInt64 { 0x8080_8080_8080_8080 }

    /// The eight bytes at `offset` from `base`, the first one lowest.
    @inlinable @inline(__always)
    public static func load(_ base: UnsafePointer<UInt8>, at offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
    }

    /// The bytes equal to `byte`.
    @inlinable @inline(__always)
    public static func equal(_ word: UInt64, to byte: UInt8) -> UInt64 {
        let difference = word ^ (ones &* UInt64(byte))
        // A byte is zero when subtracting 1 borrows into its clear high bit.
        return (difference &- ones) & ~difference & highBits
    }

    /// The bytes below `bound`, which must be at most 0x80.
    @inlinable @inline(__always)
    public static func below(_ word: UInt64, _ bound: UInt8) -> UInt64 {
        (word &- ones &* UInt64(bound)) & ~word & highBits
    }

    /// The bytes that JSON escapes in a string: `"`, `\` and control characters.
    @inlinable @inline(__always)
    public static func escapedInJSON(_ word: UInt64) -> UInt64 {
        equal(word, to: UInt8(ascii: "\"")) | equal(word, to: UInt8(ascii: "\\")) | below(word, 0x20)
    }

    /// The bytes of 0x80 and above (parts of multi-byte UTF-8 characters).
    @inlinable @inline(__always)
    public static func nonASCII(_ word: UInt64) -> UInt64 { word & highBits }

    /// The offset in the word of the first flagged byte; `marks` must not be zero.
    @inlinable @inline(__always)
    public static func firstFlagged(_ marks: UInt64) -> Int { marks.trailingZeroBitCount / 8 }
}
