#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension String {
    /// Whether the string's UTF-8 is exactly `bytes`: code unit by code
    /// unit, as JSONata compares keys and HTTP compares header values
    /// (`==` would also match canonically equivalent spellings, and costs
    /// more). Compared with memcmp where the string's UTF-8 is contiguous.
    package func utf8Equals(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        let compared = utf8.withContiguousStorageIfAvailable { own in
            own.count == count && (count == 0 || memcmp(own.baseAddress!, bytes.baseAddress!, count) == 0)
        }
        // Strings bridged from elsewhere may have no contiguous UTF-8.
        return compared ?? utf8.elementsEqual(bytes)
    }
}
