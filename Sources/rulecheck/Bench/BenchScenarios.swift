import ConversionRules
import Flavors
import Foundation
import RuleDSL

/// The benchmark scenarios: realistic payloads,
/// generated deterministically in-process, and the conversion each measures.
///
/// Unchecked Sendable: the closures capture only compiled rules (Sendable),
/// immutable input bytes and variables of plain strings and booleans, which
/// threads read and never change.
struct BenchScenario: @unchecked Sendable {
    let name: String
    let title: String
    /// The input bytes (for a stream, the whole wire text).
    let input: [UInt8]
    /// Runs the conversion once and returns the output bytes.
    let convert: () throws -> [UInt8]
    /// The output payloads the floor writes (one per stream chunk, or one body).
    let outputPayloads: () throws -> [[UInt8]]
    /// The input payloads the floor reads.
    let inputPayloads: [[UInt8]]
    /// Checks an output; returns a description of what is wrong, or nil.
    let verify: ([UInt8]) -> String?
    /// For the thread measurements: a conversion for one thread, with its
    /// own copy of the request and variables (as a gateway's requests
    /// arrive in their own buffers); only the compiled rules are shared.
    var threadConvert: (() -> () throws -> [UInt8])? = nil

    /// The scenario's expression work, for other engines (`bench --dump`).
    var work: BenchWork

    /// What each thread of a thread measurement runs.
    func convertForThread() -> () throws -> [UInt8] { threadConvert?() ?? convert }
}

enum BenchScenarios {
    /// A deterministic generator, so that every run measures the same bytes.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        mutating func unit() -> Double { Double(next() % 1_000_000_000_000) / 1_000_000_000_000 }
    }

    static let messages: [(String, String)] = [
        (
            "system",
            "You are a helpful assistant. Answer briefly, precisely and in the language of the question. When you are not sure, say so, and never invent facts, names or dates; prefer short sentences and plain words."
        ),
        ("user", "What is the capital of France, and why did it become the capital of the kingdom?"),
        ("assistant", "Paris became the capital because of its central location on the Seine and the power of the Capetian kings."),
        ("user", "Tell me more about the Capetian dynasty and how long it lasted in total, with the main branches."),
        ("assistant", "The Capetians ruled from 987 to 1328 in the direct line, then through the Valois, Bourbon and Orléans branches."),
        ("user", "Which cadet branches were there? List them with \"dates\", please, as a short list."),
        ("assistant", "Valois (1328–1589), Bourbon (1589–1792 and 1814–1830) and Orléans (1830–1848)."),
        (
            "user",
            "Thanks! Now summarise all of that in one sentence for a child of ten, without dates, and then add one more sentence about why rivers mattered so much to medieval cities like Paris, London or Cologne."
        ),
    ]

    static func messagesJSON() -> String {
        messages.map { role, content in
            #"{"role":"\#(role)","content":"\#(content.replacingOccurrences(of: "\"", with: "\\\""))"}"#
        }.joined(separator: ",")
    }

    static let tools =
        #"[{"type":"function","function":{"name":"get_weather","description":"Get the current weather for a city, in the unit the user prefers","parameters":{"type":"object","properties":{"city":{"type":"string","description":"City name"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}}}]"#

    /// S1: an AOG chat request of 8 messages, about 2 KB.
    static func aogChatRequest() -> [UInt8] {
        Array(
            (#"{"model":"qwen2.5:7b","stream":true,"messages":[\#(messagesJSON())],"tools":\#(tools),"#
                + #""temperature":0.7,"top_p":0.9,"top_k":40,"seed":42,"max_tokens":512,"stop":["<|end|>"],"keep_alive":"5m"}"#).utf8)
    }

    /// S2: an OpenAI chat request, about 2 KB.
    static func openAIChatRequest() -> [UInt8] {
        Array(
            (#"{"model":"gpt-4o-mini","stream":true,"messages":[\#(messagesJSON())],"tools":\#(tools),"tool_choice":"auto","#
                + #""temperature":0.7,"top_p":0.9,"seed":42,"max_completion_tokens":512,"stop":["<|end|>"],"presence_penalty":0.1,"#
                + #""frequency_penalty":0.2,"user":"user-1234","n":1}"#).utf8)
    }

    /// S3: an aliyun (DashScope compatible-mode) chat.completion, about 1 KB.
    static func aliyunCompletion() -> [UInt8] {
        let content =
            "The Capetians were a French royal family that ruled for centuries; their branches, the Valois, the Bourbons "
            + "and the Orléans, kept the crown in the family until 1848. Paris grew into the capital because the kings lived there, "
            + "on the river Seine, in the middle of their lands. The river brought trade, food and news, the island in its middle was easy "
            + "to defend, and the roads of the kingdom met there. Over the centuries the city gathered the court, the courts of law, the "
            + "university and the great churches, so that by the end of the Middle Ages it was the largest city of Western Europe."
        return Array(
            (#"{"choices":[{"message":{"role":"assistant","content":"\#(content)"},"finish_reason":"stop","index":0,"logprobs":null}],"#
                + #""object":"chat.completion","usage":{"prompt_tokens":356,"completion_tokens":74,"total_tokens":430,"prompt_tokens_details":{"cached_tokens":0}},"#
                + #""created":1741675116,"system_fingerprint":null,"model":"qwen-plus","id":"chatcmpl-5b3c0b5e-8a1f-9c4e-b1d2-7e3f4a5b6c7d"}"#).utf8)
    }

    /// S4: an aliyun SSE stream of 200 chat.completion.chunk events and `data: [DONE]`.
    static func aliyunStream() -> [UInt8] {
        var random = Random(state: 7)
        let words = ["The", " Cape", "tians", " ruled", " France", " for", " cent", "uries", ",", " and", " Paris", " grew", " around", " them", "."]
        var text = ""
        for index in 0..<200 {
            let word = words[Int(random.next() % UInt64(words.count))]
            let delta = index == 0 ? #"{"content":"","role":"assistant"}"# : #"{"content":"\#(word)"}"#
            let finish = index == 199 ? #""stop""# : "null"
            text +=
                #"data: {"choices":[{"delta":\#(delta),"finish_reason":\#(finish),"index":0,"logprobs":null}],"object":"chat.completion.chunk","usage":null,"created":1741675116,"system_fingerprint":null,"model":"qwen-plus","id":"chatcmpl-5b3c0b5e-8a1f-9c4e-b1d2-7e3f4a5b6c7d"}"#
            text += "\n\n"
        }
        text += "data: [DONE]\n\n"
        return Array(text.utf8)
    }

    /// S5: an aliyun embeddings response, 8 x 1536 doubles (about 150 KB).
    static func aliyunEmbeddings() -> [UInt8] {
        var random = Random(state: 42)
        var text = #"{"data":["#
        for index in 0..<8 {
            if index > 0 { text += "," }
            text += #"{"embedding":["#
            var values: [String] = []
            values.reserveCapacity(1536)
            for _ in 0..<1536 {
                let value = (random.unit() - 0.5) / 5
                values.append(JSONNumberFormatting.javaScriptString((value * 1e11).rounded() / 1e11))
            }
            text += values.joined(separator: ",")
            text += #"],"index":\#(index),"object":"embedding"}"#
        }
        text += #"],"model":"text-embedding-v3","object":"list","usage":{"prompt_tokens":184,"total_tokens":184},"id":"f62c2ae7-0906-9758-ab34-47c5764f07e2"}"#
        return Array(text.utf8)
    }

    // MARK: - Scenarios

    static func all(catalog: RuleCatalog) throws -> [BenchScenario] {
        [try s1(catalog), try s2(catalog), try s3(catalog), try s4(catalog), try s5(catalog)]
    }

    private static func body(_ outcome: StepOutcome) throws -> [UInt8] {
        guard case .content(let content) = outcome else { throw CatalogError.unreadable(path: "bench", reason: "the conversion dropped the content") }
        return content.body
    }

    private static func expectJSON(_ expected: String) -> ([UInt8]) -> String? {
        let expectedValue = try? JSONValue(parsing: expected)
        return { output in
            guard let value = try? JSONValue(parsing: output) else { return "output is not JSON" }
            guard let expectedValue else { return "expected value is not JSON" }
            let differences = JSONDifference.differences(expected: expectedValue, actual: value)
            return differences.isEmpty ? nil : differences.prefix(3).joined(separator: "; ")
        }
    }

    static func s1(_ catalog: RuleCatalog) throws -> BenchScenario {
        let rule = try catalog.rule("ollama:chat").rules
        let input = aogChatRequest()
        func variables() -> [String: Value] { ["model": .string("qwen2.5:7b"), "stream": .bool(true)] }
        func makeConvert() -> () throws -> [UInt8] {
            let variables = variables()
            let content = HTTPContent(headers: HTTPHeaders([("Content-Type", "application/json")]), body: input.map { $0 })
            return { try body(try rule.convert(.requestFromAOG, content, variables: variables)) }
        }
        let convert = makeConvert()
        var scenario = BenchScenario(
            name: "S1", title: "ollama:chat request_from_aog, 8 messages", input: input, convert: convert,
            outputPayloads: { [try convert()] }, inputPayloads: [input],
            verify: expectJSON(
                #"{"model":"qwen2.5:7b","stream":true,"messages":[\#(messagesJSON())],"tools":\#(tools),"keep_alive":"5m","#
                    + #""options":{"seed":42,"temperature":0.7,"top_p":0.9,"top_k":40,"num_predict":512,"stop":["<|end|>"]}}"#),
            work: BenchWork(hops: [.init(rule.pipeline(.requestFromAOG))], variables: variables(), payloads: [input]))
        scenario.threadConvert = makeConvert
        return scenario
    }

    static func s2(_ catalog: RuleCatalog) throws -> BenchScenario {
        let converter = try TwoHopConverter(base: .request, service: "chat", from: try catalog.flavor("openai"), to: try catalog.flavor("ollama"))
        let input = openAIChatRequest()
        let variables: [String: Value] = ["model": .string("qwen2.5:7b"), "stream": .bool(true)]
        let content = HTTPContent(headers: HTTPHeaders([("Content-Type", "application/json")]), body: input)
        let convert = { try body(try converter.convert(content, variables: variables)) }
        return BenchScenario(
            name: "S2", title: "two-hop request, openai client -> ollama provider", input: input, convert: convert,
            outputPayloads: { [try convert()] }, inputPayloads: [input],
            verify: expectJSON(
                #"{"model":"qwen2.5:7b","stream":true,"messages":[\#(messagesJSON())],"tools":\#(tools),"#
                    + #""options":{"seed":42,"temperature":0.7,"top_p":0.9,"num_predict":512,"stop":["<|end|>"],"presence_penalty":0.1,"frequency_penalty":0.2}}"#
            ),
            work: BenchWork(
                hops: [
                    .init(try catalog.rule("openai:chat").rules.pipeline(.requestToAOG)),
                    .init(try catalog.rule("ollama:chat").rules.pipeline(.requestFromAOG)),
                ],
                variables: variables, payloads: [input]))
    }

    static func s3(_ catalog: RuleCatalog) throws -> BenchScenario {
        let rule = try catalog.rule("aliyun:chat").rules
        let input = aliyunCompletion()
        let variables: [String: Value] = ["id": .string("1496758371092342337617")]
        let content = HTTPContent(headers: HTTPHeaders([("Content-Type", "application/json")]), body: input)
        let convert = { try body(try rule.convert(.responseToAOG, content, variables: variables)) }
        let source = try JSONValue(parsing: input)
        guard case .object(let object) = source, case .array(let choices)? = object["choices"], case .object(let choice) = choices[0] else {
            throw CatalogError.unreadable(path: "bench", reason: "S3 payload")
        }
        let expected = JSONValue.object(
            JSONObject([
                ("id", object["id"]!), ("model", object["model"]!), ("created_at", .string("2025-03-11T06:38:36.000Z")),
                ("message", choice["message"]!), ("finished", .bool(true)), ("finish_reason", .string("stop")), ("usage", object["usage"]!),
            ]))
        return BenchScenario(
            name: "S3", title: "aliyun:chat response_to_aog, chat.completion", input: input, convert: convert,
            outputPayloads: { [try convert()] }, inputPayloads: [input],
            verify: expectJSON(try expected.jsonText()),
            work: BenchWork(hops: [.init(rule.pipeline(.responseToAOG))], variables: variables, payloads: [input]))
    }

    static func s4(_ catalog: RuleCatalog) throws -> BenchScenario {
        let converter = try TwoHopConverter(base: .streamResponse, service: "chat", from: try catalog.flavor("aliyun"), to: try catalog.flavor("ollama"))
        let input = aliyunStream()
        func makeConvert() -> () throws -> [UInt8] {
            let input = input.map { $0 }
            let headers = HTTPHeaders([("Content-Type", "text/event-stream")])
            let variables: [String: Value] = ["id": .string("1496758371092342337617")]
            return {
                var rewriter = StreamRewriter(converter: converter, inputHeaders: headers, variables: variables)
                var output: [UInt8] = []
                output.reserveCapacity(input.count)
                var start = 0
                while start < input.count {
                    let end = min(start + 4096, input.count)
                    output += try rewriter.feed(Array(input[start..<end])).bytes
                    start = end
                }
                output += try rewriter.finish().bytes
                return output
            }
        }
        let convert = makeConvert()
        var decoder = SSEDecoder()
        let inputPayloads = try decoder.feed(input).filter { $0 != Array("[DONE]".utf8) }
        var scenario = BenchScenario(
            name: "S4", title: "aliyun SSE stream, 200 chunks -> ollama client, 4 KB reads", input: input, convert: convert,
            outputPayloads: {
                var ndjson = NDJSONDecoder()
                return try ndjson.feed(try convert())
            },
            inputPayloads: inputPayloads,
            verify: { output in
                let lines = output.split(separator: UInt8(ascii: "\n"))
                guard lines.count == 200 else { return "expected 200 NDJSON lines, got \(lines.count)" }
                guard let last = try? JSONValue(parsing: Array(lines[199])), case .object(let object) = last,
                    object["done"] == .bool(true), object["done_reason"] == .string("stop")
                else { return "the last line does not end the stream" }
                guard let first = try? JSONValue(parsing: Array(lines[0])), case .object(let firstObject) = first,
                    firstObject["created_at"] == .string("2025-03-11T06:38:36.000Z"), firstObject["done"] == .bool(false)
                else {
                    return "the first line is wrong"
                }
                return nil
            },
            work: BenchWork(
                hops: [
                    .init(try catalog.rule("aliyun:chat").rules.pipeline(.streamResponseToAOG)),
                    .init(try catalog.rule("ollama:chat").rules.pipeline(.streamResponseFromAOG)),
                ],
                variables: ["id": .string("1496758371092342337617")], payloads: inputPayloads))
        scenario.threadConvert = makeConvert
        return scenario
    }

    static func s5(_ catalog: RuleCatalog) throws -> BenchScenario {
        let rule = try catalog.rule("aliyun:embed").rules
        let input = aliyunEmbeddings()
        let content = HTTPContent(headers: HTTPHeaders([("Content-Type", "application/json")]), body: input)
        let convert = { try body(try rule.convert(.responseToAOG, content, variables: [:])) }
        let source = try JSONValue(parsing: input)
        guard case .object(let object) = source else { throw CatalogError.unreadable(path: "bench", reason: "S5 payload") }
        let expected = JSONValue.object(
            JSONObject([("id", object["id"]!), ("model", object["model"]!), ("data", object["data"]!), ("usage", object["usage"]!)]))
        return BenchScenario(
            name: "S5", title: "aliyun:embed response_to_aog, 8 x 1536 doubles", input: input, convert: convert,
            outputPayloads: { [try convert()] }, inputPayloads: [input],
            verify: expectJSON(try expected.jsonText()),
            work: BenchWork(hops: [.init(rule.pipeline(.responseToAOG))], variables: [:], payloads: [input]))
    }
}
