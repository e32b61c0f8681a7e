/// What a conversion works on: HTTP headers and body bytes.
public struct HTTPContent: Sendable, Equatable {
    public var headers: HTTPHeaders
    public var body: [UInt8]

    /// Creates content from headers and body bytes.
    public init(headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.headers = headers
        self.body = body
    }

    /// Creates content whose body is the UTF-8 encoding of `text`.
    public init(headers: HTTPHeaders = HTTPHeaders(), text: String) {
        self.init(headers: headers, body: Array(text.utf8))
    }

    /// The media type of the Content-Type header, lowercased, without parameters.
    public var mediaType: String? {
        guard var value = headers["Content-Type"] else { return nil }
        return value.withUTF8 { String(decoding: Self.mediaType(of: $0), as: UTF8.self) }.lowercased()
    }

    /// Whether the body is binary (octet-stream, audio, image or video) and
    /// passes two-hop conversions unchanged.
    public var isBinary: Bool {
        guard var value = headers["Content-Type"] else { return false }
        // Compared byte by byte, ignoring ASCII case, without building a
        // string: the check runs for every chunk of a stream.
        return value.withUTF8 { bytes in
            let type = Self.mediaType(of: bytes)
            if Self.equalIgnoringCase(type, "application/octet-stream") { return true }
            return Self.hasPrefixIgnoringCase(type, "audio/") || Self.hasPrefixIgnoringCase(type, "image/")
                || Self.hasPrefixIgnoringCase(type, "video/")
        }
    }

    /// Whether `bytes` spell `lowercase` (ASCII), ignoring the case of `bytes`.
    private static func equalIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        bytes.count == lowercase.utf8CodeUnitCount && hasPrefixIgnoringCase(bytes, lowercase)
    }

    /// Whether `bytes` start with `lowercase` (ASCII), ignoring the case of `bytes`.
    private static func hasPrefixIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        let prefix = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        guard bytes.count >= prefix.count else { return false }
        for index in 0..<prefix.count {
            let byte = bytes[index]
            let folded = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if folded != prefix[index] { return false }
        }
        return true
    }

    /// The media type part of a Content-Type value: before any `;`, without
    /// surrounding spaces and tabs, in its original case.
    private static func mediaType(of bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = 0
        while start < bytes.count, isBlank(bytes[start]) { start += 1 }
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: ";") { end += 1 }
        while end > start, isBlank(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
