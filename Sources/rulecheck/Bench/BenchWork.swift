import ArgumentParser
import ConversionRules
import Foundation
import RuleDSL

/// The expression work of one benchmark scenario, spelled out so that
/// another JSONata engine can do the same work (`rulecheck bench --dump`).
///
/// A scenario converts each of its payloads through one or two hops. For each
/// payload, every hop in order: when the hop keeps a stream state, `update`
/// is evaluated on the payload with `$state` bound to the state so far (before
/// the first payload, `initial` evaluated on null, or null without one), and
/// its result becomes `$state`; then the hop's expressions run in order, each
/// on the previous one's result, with the variables (and `$state`) bound. The
/// last result, written as JSON, is the payload's output. Header edits and
/// drop rules are not expression work and are left out: the payloads are
/// those the drop rules keep.
struct BenchWork {
    /// One hop: the expression steps of one pipeline and its stream state.
    struct Hop {
        let expressions: [RuleExpression]
        let stateInitial: RuleExpression?
        let stateUpdate: RuleExpression?

        /// The expression steps and stream state of `pipeline`.
        init(_ pipeline: Pipeline) {
            expressions = pipeline.steps.compactMap { step in
                if case .expression(let expression) = step { return expression.expression }
                return nil
            }
            stateInitial = pipeline.state?.initial?.expression
            stateUpdate = pipeline.state?.update.expression
        }
    }

    let hops: [Hop]
    let variables: [String: Value]
    /// The payloads, as JSON text.
    let payloads: [[UInt8]]

    /// Does the work with this engine: each payload's output, as JSON text.
    /// - Throws: ``JSONataError`` from an expression, or a
    ///   `ValidationError` when a result is undefined or not JSON.
    func outputs() throws -> [[UInt8]] {
        var states: [Value?] = Array(repeating: nil, count: hops.count)
        return try payloads.map { payload in
            var value = Value(document: try JSONDocument(bytes: payload))
            for (index, hop) in hops.enumerated() {
                var bindings = variables
                if let update = hop.stateUpdate {
                    let before = try states[index] ?? hop.stateInitial?.evaluate(.null, bindings: variables) ?? .null
                    bindings["state"] = before
                    let after = try update.evaluate(value, bindings: bindings) ?? .null
                    states[index] = after
                    bindings["state"] = after
                }
                for expression in hop.expressions {
                    guard let result = try expression.evaluate(value, bindings: bindings) else {
                        throw ValidationError("\(expression.source.prefix(40))... gave no value")
                    }
                    value = result
                }
            }
            return try Self.text(value)
        }
    }

    /// The work as JSON: `{"hops": [{"expressions": [...], "state":
    /// {"initial": ..., "update": ...}}], "variables": {...}, "payloads":
    /// [text, ...], "outputs": [text, ...]}`, with the outputs this engine gives.
    func json(name: String, title: String) throws -> JSONValue {
        let hopValues: [JSONValue] = hops.map { hop in
            var members: [(String, JSONValue)] = [("expressions", .array(hop.expressions.map { .string($0.source) }))]
            if let update = hop.stateUpdate {
                members.append(
                    ("state", .object(JSONObject([("initial", hop.stateInitial.map { .string($0.source) } ?? .null), ("update", .string(update.source))]))))
            }
            return .object(JSONObject(members))
        }
        let variableMembers = try variables.sorted { $0.key < $1.key }.map { name, value in (name, try JSONValue(parsing: try Self.text(value))) }
        return .object(
            JSONObject([
                ("name", .string(name)), ("title", .string(title)), ("hops", .array(hopValues)),
                ("variables", .object(JSONObject(variableMembers))),
                ("payloads", .array(payloads.map { .string(String(decoding: $0, as: UTF8.self)) })),
                ("outputs", .array(try outputs().map { .string(String(decoding: $0, as: UTF8.self)) })),
            ]))
    }

    private static func text(_ value: Value) throws -> [UInt8] {
        var writer = JSONWriter()
        try value.write(to: &writer)
        return writer.bytes
    }
}
