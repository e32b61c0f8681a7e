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
        guard let value = headers["Content-Type"] else { return nil }
        return String(Self.mediaType(of: value)).lowercased()
    }

    /// Whether the body is binary (octet-stream, audio, image or video) and
    /// passes two-hop conversions unchanged (DECISIONS T1).
    public var isBinary: Bool {
        guard let value = headers["Content-Type"] else { return false }
        // Compared byte by byte, ignoring ASCII case, without building a
        // string: the check runs for every chunk of a stream.
        let type = Self.mediaType(of: value).utf8.lazy.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        if type.elementsEqual("application/octet-stream".utf8) { return true }
        return ["audio/", "image/", "video/"].contains { type.starts(with: $0.utf8) }
    }

    /// The media type part of a Content-Type value: before any `;`, without
    /// surrounding spaces and tabs, in its original case.
    private static func mediaType(of value: String) -> Substring {
        let utf8 = value.utf8
        var type = utf8[..<(utf8.firstIndex(of: UInt8(ascii: ";")) ?? utf8.endIndex)]
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = type.first, isBlank(first) { type = type.dropFirst() }
        while let last = type.last, isBlank(last) { type = type.dropLast() }
        return Substring(type)
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
