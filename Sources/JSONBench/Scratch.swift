import RuleDSL
import Foundation

func scratchPhases() {
    let messages = #"{"role":"system","content":"You are a helpful assistant. Answer briefly, precisely and in the language of the question. When you are not sure, say so, and never invent facts, names or dates; prefer short sentences and plain words."},{"role":"user","content":"What is the capital of France, and why did it become the capital of the kingdom?"},{"role":"assistant","content":"Paris became the capital because of its central location on the Seine and the power of the Capetian kings."},{"role":"user","content":"Tell me more about the Capetian dynasty and how long it lasted in total, with the main branches."}"#
    let tools = #"[{"type":"function","function":{"name":"get_weather","description":"Get the current weather for a city, in the unit the user prefers","parameters":{"type":"object","properties":{"city":{"type":"string","description":"City name"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}}}]"#
    let input = Array((#"{"model":"qwen2.5:7b","stream":true,"messages":[\#(messages),\#(messages)],"tools":\#(tools),"#
            + #""temperature":0.7,"top_p":0.9,"top_k":40,"seed":42,"max_tokens":512,"stop":["<|end|>"],"keep_alive":"5m"}"#).utf8)
    let source = """
    {
      "model": $model,
      "stream": $stream,
      "messages": messages,
      "tools": tools,
      "format": response_format.type = "json_object" ? "json"
        : response_format.type = "json_schema" ? response_format.json_schema.schema,
      "think": think,
      "keep_alive": keep_alive,
      "options": {
        "seed": seed,
        "temperature": temperature,
        "top_p": top_p,
        "top_k": top_k,
        "num_predict": max_tokens,
        "stop": stop,
        "presence_penalty": presence_penalty,
        "frequency_penalty": frequency_penalty
      }
    }
    """
    let expression = try! RuleExpression(source)
    let bindings: [String: Value] = ["model": .string("qwen2.5:7b"), "stream": .bool(true)]
    let document = try! JSONDocument(bytes: input)
    let value = try! expression.evaluate(document: document, bindings: bindings)!
    print("bytes", input.count)
    let read = measure(20000) { _ = try! JSONDocument(bytes: input) }
    let evaluate = measure(20000) { _ = try! expression.evaluate(document: document, bindings: bindings) }
    let evaluateEmpty = measure(20000) { _ = try! expression.evaluate(document: nil, bindings: bindings) }
    let write = measure(20000) { var writer = JSONWriter(capacity: input.count + 64); try! value.write(to: &writer) }
    print(String(format: "read %.2f us, evaluate %.2f us (no input %.2f), write %.2f us", read * 1e6, evaluate * 1e6, evaluateEmpty * 1e6, write * 1e6))
}

func scratchLoop(_ mode: String) {
    let input = Array(#"{"model":"qwen2.5:7b","stream":true,"messages":[{"role":"user","content":"hi"}],"temperature":0.7,"top_p":0.9,"top_k":40,"seed":42,"max_tokens":512,"stop":["<|end|>"],"keep_alive":"5m"}"#.utf8)
    let source = """
    {"model": $model, "stream": $stream, "messages": messages, "tools": tools,
      "format": response_format.type = "json_object" ? "json" : response_format.type = "json_schema" ? response_format.json_schema.schema,
      "think": think, "keep_alive": keep_alive,
      "options": {"seed": seed, "temperature": temperature, "top_p": top_p, "top_k": top_k, "num_predict": max_tokens, "stop": stop,
        "presence_penalty": presence_penalty, "frequency_penalty": frequency_penalty}}
    """
    let expression = try! RuleExpression(source)
    let bindings: [String: Value] = ["model": .string("qwen2.5:7b"), "stream": .bool(true)]
    let document = try! JSONDocument(bytes: input)
    if mode == "read" {
        let start = Date()
        for _ in 0..<3_000_000 { _ = try! JSONDocument(bytes: input) }
        print(Date().timeIntervalSince(start) / 3_000_000 * 1e6, "us")
        return
    }
    if mode == "trivial" {
        let trivial = try! RuleExpression("1")
        let start = Date()
        for _ in 0..<3_000_000 { _ = try! trivial.evaluate(document: document, bindings: bindings) }
        print(Date().timeIntervalSince(start) / 3_000_000 * 1e6, "us")
        return
    }
    if mode == "write" {
        let value = try! expression.evaluate(document: document, bindings: bindings)!
        let start = Date()
        for _ in 0..<3_000_000 { var writer = JSONWriter(capacity: 512); try! value.write(to: &writer) }
        print(Date().timeIntervalSince(start) / 3_000_000 * 1e6, "us")
        return
    }
    let start = Date()
    for _ in 0..<3_000_000 { _ = try! expression.evaluate(document: mode == "empty" ? nil : document, bindings: bindings) }
    print(Date().timeIntervalSince(start) / 3_000_000 * 1e6, "us")
}

func scratchExpression(_ expressionPath: String, _ inputPath: String) {
    let source = try! String(contentsOfFile: expressionPath, encoding: .utf8)
    let input = Array(try! String(contentsOfFile: inputPath, encoding: .utf8).utf8)
    let expression = try! RuleExpression(source)
    let document = try! JSONDocument(bytes: input)
    let iterations = 1_000_000
    let start = Date()
    for _ in 0..<iterations { _ = try! expression.evaluate(document: document) }
    print(Date().timeIntervalSince(start) / Double(iterations) * 1e6, "us")
}
