import Foundation

/// Base64 and URL encoding functions.
extension FunctionLibrary {
    static let encodingFunctions: [NativeFunction] = [
        NativeFunction("base64encode", "<s-:s>") { call, arguments throws(JSONataError) in
            guard let text = arguments[argument: 0].string else { return nil }
            switch Base64Binary.encode(text) {
            case .success(let encoded): return .string(encoded)
            case .failure(let beyond):
                let character = "U+" + String(beyond.unit, radix: 16, uppercase: true).leftPadded(to: 4)
                throw call.error(.notBinaryString, token: "\(character) at offset \(beyond.offset)")
            }
        },
        NativeFunction("base64decode", "<s-:s>") { _, arguments throws(JSONataError) in
            arguments[argument: 0].string.map { .string(Base64Binary.decode($0)) }
        },
        NativeFunction("encodeUrlComponent", "<s-:s>") { call, arguments throws(JSONataError) in
            guard let text = arguments[argument: 0].string else { return nil }
            return .string(try percentEncode(text, keeping: unreservedComponent, call: call, name: "encodeUrlComponent"))
        },
        NativeFunction("encodeUrl", "<s-:s>") { call, arguments throws(JSONataError) in
            guard let text = arguments[argument: 0].string else { return nil }
            return .string(try percentEncode(text, keeping: unreservedURL, call: call, name: "encodeUrl"))
        },
        NativeFunction("decodeUrlComponent", "<s-:s>") { call, arguments throws(JSONataError) in
            guard let text = arguments[argument: 0].string else { return nil }
            guard let decoded = text.removingPercentEncoding else { throw call.error(.malformedURL, token: "decodeUrlComponent") }
            return .string(decoded)
        },
        NativeFunction("decodeUrl", "<s-:s>") { call, arguments throws(JSONataError) in
            guard let text = arguments[argument: 0].string else { return nil }
            guard let decoded = text.removingPercentEncoding else { throw call.error(.malformedURL, token: "decodeUrl") }
            return .string(decoded)
        },
    ]

    private static let unreservedComponent = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()".utf8)
    private static let unreservedURL = unreservedComponent.union(Set(";,/?:@&=+$#".utf8))

    /// Percent-encodes as JavaScript's encodeURIComponent / encodeURI do; a
    /// lone surrogate cannot occur in a Swift string, so only that error is absent.
    private static func percentEncode(_ text: String, keeping allowed: Set<UInt8>, call: NativeCall, name: String) throws(JSONataError) -> String {
        var output = ""
        for byte in text.utf8 {
            if allowed.contains(byte) {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return output
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
