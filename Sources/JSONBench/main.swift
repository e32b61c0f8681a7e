// Measures the project's JSON reader and writer against libjansson and
// simdjson on the payloads the library converts, in one run: a 2 KB chat
// request and a 150 KB embedding response (8 x 1536 doubles). The floor of
// `rulecheck bench` is reading a payload and writing it again (the carried-over
// byte copy); its counterpart here is simdjson's DOM parse and minify.
//
// Run on a release build: swift run -c release JSONBench
import CJansson
import CSimdjsonShim
import Foundation
import RuleDSL

/// Deterministic payloads.
enum Payloads {
    static func chatRequest() -> [UInt8] {
        var messages: [String] = [#"{"role":"system","content":"You are a helpful assistant. Answer briefly and precisely."}"#]
        let turns = [
            "What is the capital of France, and why did it become the capital?",
            "Paris became the capital because of its central location on the Seine and the Capetian kings.",
            "Tell me more about the Capetian dynasty and how long it lasted in total.",
            "The Capetians ruled from 987 to 1328 in the direct line, and through cadet branches until 1848.",
            "Which cadet branches were there? List them with \\\"dates\\\" please.",
            "Valois (1328–1589), Bourbon (1589–1792, 1814–1830) and Orléans (1830–1848).",
            "Thanks! Now summarise all of that in one sentence \\\\ for a child.",
        ]
        for (index, turn) in turns.enumerated() {
            messages.append(#"{"role":"\#(index % 2 == 0 ? "user" : "assistant")","content":"\#(turn)"}"#)
        }
        let text =
            #"{"model":"qwen2.5:7b","stream":true,"messages":[\#(messages.joined(separator: ","))],"#
            + #""options":{"temperature":0.7,"top_p":0.9,"top_k":40,"num_predict":512,"seed":42},"#
            + #""tools":[{"type":"function","function":{"name":"get_weather","description":"Get the current weather for a city","#
            + #""parameters":{"type":"object","properties":{"city":{"type":"string","description":"City name"},"#
            + #""unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}}},"#
            + #"{"type":"function","function":{"name":"search_web","description":"Search the web and return the top results with titles, URLs and short snippets","#
            + #""parameters":{"type":"object","properties":{"query":{"type":"string","description":"What to search for"},"#
            + #""max_results":{"type":"integer","description":"How many results to return, 1 to 10","minimum":1,"maximum":10}},"required":["query"]}}}],"#
            + #""format":"json","keep_alive":"5m"}"#
        return Array(text.utf8)
    }

    static func embeddingResponse() -> [UInt8] {
        var state: UInt64 = 42
        var text = #"{"output":{"embeddings":["#
        for index in 0..<8 {
            if index > 0 { text += "," }
            text += #"{"text_index":\#(index),"embedding":["#
            for position in 0..<1536 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let value = Double(Int64(bitPattern: state) % 200_000_000) / 1e10
                if position > 0 { text += "," }
                text += JSONNumberFormatting.javaScriptString(value)
            }
            text += "]}"
        }
        text += #"]},"usage":{"total_tokens":64},"request_id":"b1a2c3d4-e5f6-7890-abcd-ef1234567890"}"#
        return Array(text.utf8)
    }
}

/// Median seconds per run of `body`, after warm-up.
func measure(_ iterations: Int, _ body: () -> Void) -> Double {
    for _ in 0..<max(3, iterations / 10) { body() }
    var samples: [Double] = []
    for _ in 0..<15 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { body() }
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(iterations))
    }
    samples.sort()
    return samples[samples.count / 2]
}

/// Writes every value anew from its decoded form (no byte copies): the
/// writer's worst case, comparable with jansson's dump of its tree.
func rewrite(_ document: JSONDocument, _ index: JSONDocument.Index, into writer: inout JSONWriter) {
    switch document.kind(at: index) {
    case .null: writer.appendNull()
    case .boolean: writer.appendBool(document.bool(at: index))
    case .number:
        if let integer = document.int64(at: index) { writer.appendInteger(integer) } else { try? writer.appendNumber(document.double(at: index)) }
    case .string: writer.appendString(document.string(at: index))
    case .array:
        writer.appendByte(UInt8(ascii: "["))
        for (position, child) in document.children(of: index).enumerated() {
            if position > 0 { writer.appendByte(UInt8(ascii: ",")) }
            rewrite(document, child, into: &writer)
        }
        writer.appendByte(UInt8(ascii: "]"))
    case .object:
        writer.appendByte(UInt8(ascii: "{"))
        for (position, member) in document.members(of: index).enumerated() {
            if position > 0 { writer.appendByte(UInt8(ascii: ",")) }
            writer.appendString(document.string(at: member.key))
            writer.appendByte(UInt8(ascii: ":"))
            rewrite(document, member.value, into: &writer)
        }
        writer.appendByte(UInt8(ascii: "}"))
    }
}

func report(_ name: String, _ bytes: [UInt8], iterations: Int) {
    let megabytes = Double(bytes.count) / 1e6
    let document = try! JSONDocument(bytes: bytes)
    let read = measure(iterations) { _ = try! JSONDocument(bytes: bytes) }
    let copyWrite = measure(iterations) {
        var writer = JSONWriter(capacity: bytes.count)
        writer.appendValue(of: document, at: document.root)
    }
    let fullWrite = measure(iterations) {
        var writer = JSONWriter(capacity: bytes.count)
        rewrite(document, document.root, into: &writer)
    }
    var error = json_error_t()
    let janssonRead = measure(iterations) {
        let root = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { json_loadb($0.baseAddress, buffer.count, 0, &error) }
        }
        json_decref(root)
    }
    let tree = bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { json_loadb($0.baseAddress, buffer.count, 0, &error) }
    }
    let janssonWrite = measure(iterations) {
        let text = json_dumps(tree, Int(JSON_COMPACT))
        free(text)
    }
    json_decref(tree)
    let (simdjsonTime, simdjsonMatches) = simdjsonParseAndMinify(bytes, document: document, iterations: iterations)
    func line(_ label: String, _ seconds: Double, _ reference: Double) -> String {
        let rate = megabytes / seconds
        return
            "  \(label.padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(format: "%9.2f us %9.1f MB/s %7.1fx jansson", seconds * 1e6, rate, reference / seconds))"
    }
    print("\(name) (\(bytes.count) bytes)")
    print(line("read (structural index)", read, janssonRead))
    print(line("write, carried over (byte copy)", copyWrite, janssonWrite))
    print(line("write, every value re-spelled", fullWrite, janssonWrite))
    print(line("jansson json_loadb", janssonRead, janssonRead))
    print(line("jansson json_dumps compact", janssonWrite, janssonWrite))
    print(line("floor: read + carried-over write", read + copyWrite, janssonRead + janssonWrite))
    print(
        "  \("simdjson parse + minify".padding(toLength: 34, withPad: " ", startingAt: 0)) "
            + String(format: "%9.2f us %9.1f MB/s; floor / simdjson %.2f", simdjsonTime * 1e6, megabytes / simdjsonTime, (read + copyWrite) / simdjsonTime)
            + (simdjsonMatches ? "" : " (MINIFIED TEXT DIFFERS)"))
}

/// simdjson's median seconds to parse `bytes` (padded once, outside the
/// timing, as simdjson requires) and minify the document; and whether its
/// text is the project's carried-over write of the same document.
func simdjsonParseAndMinify(_ bytes: [UInt8], document: JSONDocument, iterations: Int) -> (Double, Bool) {
    let padded = bytes + [UInt8](repeating: 0, count: simdjson_shim_padding())
    var output = [UInt8](repeating: 0, count: bytes.count + 64)
    let parser = simdjson_shim_parser_new()
    defer { simdjson_shim_parser_free(parser) }
    func run() -> Int {
        padded.withUnsafeBufferPointer { text in
            output.withUnsafeMutableBufferPointer { out in
                text.withMemoryRebound(to: CChar.self) { text in
                    out.withMemoryRebound(to: CChar.self) { out in
                        simdjson_shim_parse_and_minify(parser, text.baseAddress, bytes.count, out.baseAddress, out.count)
                    }
                }
            }
        }
    }
    let length = run()
    var writer = JSONWriter(capacity: bytes.count)
    writer.appendValue(of: document, at: document.root)
    let matches = length >= 0 && (try? JSONValue(parsing: Array(output[0..<length]))) == (try? JSONValue(parsing: writer.bytes))
    return (measure(iterations) { _ = run() }, matches)
}

report("chat request", Payloads.chatRequest(), iterations: 2000)
report("embedding response", Payloads.embeddingResponse(), iterations: 20)
