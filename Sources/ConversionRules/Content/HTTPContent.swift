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
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        return type.trimmingWhitespace().lowercased()
    }

    /// Whether the body is binary (octet-stream, audio, image or video) and
    /// passes two-hop conversions unchanged (DECISIONS T1).
    public var isBinary: Bool {
        guard let value = headers["Content-Type"] else { return false }
        return Self.isBinaryMediaType(value.utf8)
    }

    /// Whether a Content-Type value names a binary media type. Compares the
    /// bytes case-insensitively without building strings: the check runs for
    /// every chunk of a stream.
    static func isBinaryMediaType(_ value: String.UTF8View) -> Bool {
        var type = value[...]
        while let first = type.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { type = type.dropFirst() }
        if let semicolon = type.firstIndex(of: UInt8(ascii: ";")) { type = type[..<semicolon] }
        while let last = type.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { type = type.dropLast() }
        let lowercased = type.lazy.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        if lowercased.elementsEqual("application/octet-stream".utf8) { return true }
        return ["audio/", "image/", "video/"].contains { prefix in
            lowercased.starts(with: prefix.utf8)
        }
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
