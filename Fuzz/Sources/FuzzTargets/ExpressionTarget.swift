import RuleDSL

/// An expression (the input's first line) compiled and evaluated on a
/// document (the rest) under tight limits: nothing may crash, and writing
/// the result as it is evaluated must give the text of evaluating, then
/// writing.
enum ExpressionTarget {
    private static let limits = EvaluationLimits(
        maximumDepth: 300, timeLimitMilliseconds: 200, maximumValueSize: 1 << 20, maximumValueNesting: 200)

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let newline = text.firstIndex(of: "\n") ?? text.endIndex
        let source = String(text[..<newline])
        let documentText = newline < text.endIndex ? String(text[text.index(after: newline)...]) : ""
        guard let expression = try? RuleExpression(source) else { return }
        let input = (try? JSONDocument(text: documentText)).map { Value(document: $0) }
        let evaluated = outcomeOfEvaluating(expression, input)
        let written = outcomeOfWriting(expression, input)
        // Time and the clock make outcomes differ from run to run.
        let nondeterministic = ["$now", "$millis", "$random"].contains { source.contains($0) }
        if nondeterministic || evaluated.hasPrefix("U1001") || written.hasPrefix("U1001") { return }
        // A result beyond the doubles: evaluating reports D1001, writing finds no JSON spelling.
        if Set([evaluated, written]) == ["D1001", "not JSON"] { return }
        if evaluated != written { fail("evaluate-then-write gave \(evaluated), write gave \(written) for \(source)") }
    }

    private static func outcomeOfEvaluating(_ expression: RuleExpression, _ input: Value?) -> String {
        do {
            guard let value = try expression.evaluate(input, limits: limits) else { return "undefined" }
            var writer = JSONWriter()
            try value.write(to: &writer)
            return "value " + String(decoding: writer.bytes, as: UTF8.self)
        } catch let error as JSONataError {
            return error.code
        } catch {
            return "not JSON"
        }
    }

    private static func outcomeOfWriting(_ expression: RuleExpression, _ input: Value?) -> String {
        var writer = JSONWriter()
        do {
            guard try expression.write(input, limits: limits, to: &writer) else { return "undefined" }
            return "value " + String(decoding: writer.bytes, as: UTF8.self)
        } catch {
            if case .evaluation(let failure) = error { return failure.code }
            return "not JSON"
        }
    }
}
