import CConversionRulesHeader
import ConversionRulesC

/// The C interface with hostile arguments: the first byte picks the rule
/// and the call, the rest is split into headers JSON, variables JSON and a
/// body (separated by NUL bytes). Every call returns a status; every
/// allocation it hands out is freed here (LeakSanitizer checks).
enum CInterfaceTarget {
    nonisolated(unsafe) private static let catalog = crCatalogOpen(nil)
    private static let rules = ["ollama:chat", "openai:chat", "aliyun:embed", "baidu:text-to-speech", "openvino:generate"]
    private static let conversions = ["request_to_aog", "request_from_aog", "response_to_aog", "response_from_aog"]

    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let parts = bytes.dropFirst().split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
        let headers = parts.count > 1 ? parts[0] : []
        let variables = parts.count > 2 ? parts[1] : []
        let body = parts.last ?? []
        let ruleName = rules[Int(selector) % rules.count]
        var error: UnsafeMutablePointer<CChar>? = nil
        let rule = ruleName.withCString { crRuleGet(catalog, $0, &error) }
        crFree(error)
        error = nil
        defer { crRuleFree(rule) }
        withCString(headers) { headersText in
            withCString(variables) { variablesText in
                if selector & 0x80 == 0 {
                    var output = cr_output()
                    let conversion = conversions[Int(selector >> 3) % conversions.count]
                    _ = conversion.withCString { name in
                        body.withUnsafeBufferPointer {
                            crConvert(rule, name, headersText, $0.baseAddress, $0.count, variablesText, &output, &error)
                        }
                    }
                    crOutputClear(&output)
                } else {
                    streamThrough(rule, headersText, variablesText, body, &error)
                }
                crFree(error)
                error = nil
            }
        }
    }

    private static func streamThrough(
        _ rule: OpaquePointer?, _ headers: UnsafePointer<CChar>, _ variables: UnsafePointer<CChar>, _ body: [UInt8],
        _ error: inout UnsafeMutablePointer<CChar>?
    ) {
        let stream = "stream_response_to_aog".withCString { crStreamOpen(rule, $0, headers, variables, &error) }
        defer { crStreamFree(stream) }
        guard stream != nil else { return }
        var output: UnsafeMutablePointer<UInt8>? = nil
        var length = 0
        for piece in body.chunked(into: 7) {
            _ = piece.withUnsafeBufferPointer { crStreamFeed(stream, $0.baseAddress, $0.count, &output, &length, &error) }
            crFree(output)
            output = nil
            crFree(error)
            error = nil
        }
        _ = crStreamFinish(stream, &output, &length, &error)
        crFree(output)
        crFree(crStreamHeaders(stream))
    }

    private static func withCString(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> Void) {
        let text = bytes.map { CChar(bitPattern: $0) } + [0]
        text.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

extension Array {
    fileprivate func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
