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
        guard let type = mediaType else { return false }
        return type == "application/octet-stream" || type.hasPrefix("audio/") || type.hasPrefix("image/")
            || type.hasPrefix("video/")
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
