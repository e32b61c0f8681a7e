import ConversionRules
import RuleDSL
import XCTest

/// Builds rules in code for the tests.
enum TestRules {
    static func expression(_ source: String) -> PipelineStep {
        .expression(ExpressionStep(expression: try! RuleExpression(source)))
    }

    static func service(_ flavor: String, _ service: String = "chat", _ pipelines: [ConversionKind: Pipeline]) -> ServiceRules {
        ServiceRules(flavor: flavor, service: service, pipelines: pipelines)
    }

    static func flavor(_ name: String, _ services: [ServiceRules]) -> FlavorRules {
        FlavorRules(name: name, services: Dictionary(uniqueKeysWithValues: services.map { ($0.service, $0) }))
    }

    /// A toy provider flavor "upper": its chat payloads say `text`, AOG's say `content`.
    static let upper = flavor(
        "upper",
        [
            service(
                "upper", "chat",
                [
                    .requestFromAOG: Pipeline(steps: [
                        expression(#"{"model": $model, "text": content}"#),
                        .header(HeaderEdit(set: [("Content-Type", "application/json")])),
                    ]),
                    .requestToAOG: Pipeline(steps: [expression(#"{"content": text}"#)]),
                    .responseToAOG: Pipeline(steps: [expression(#"{"content": $uppercase(text)}"#)]),
                    .streamResponseToAOG: Pipeline(steps: [
                        .dropIf(try! DropRule(pattern: "[DONE]", isRegex: false, trim: true)),
                        expression(#"{"id": $id, "content": text}"#),
                        .header(HeaderEdit(delete: ["Content-Type"], add: [("Content-Type", "text/event-stream")])),
                    ]),
                    .streamResponseFromAOG: Pipeline(
                        steps: [
                            expression(#"{"text": content, "id": $id}"#),
                            .header(HeaderEdit(set: [("Content-Type", "application/x-ndjson")])),
                        ],
                        epilogue: ["data: [DONE]"]),
                ])
        ])

    /// A toy client flavor "lower".
    static let lower = flavor(
        "lower",
        [
            service(
                "lower", "chat",
                [
                    .requestToAOG: Pipeline(steps: [expression(#"{"content": $lowercase(msg)}"#)]),
                    .responseFromAOG: Pipeline(steps: [expression(#"{"msg": content}"#)]),
                    .streamResponseFromAOG: Pipeline(
                        steps: [expression(#"{"msg": content, "id": id}"#)],
                        prologue: ["{\"start\":true}"], epilogue: ["[DONE]"]),
                ])
        ])

    static let aog = flavor("aog", [service("aog", "chat", [:])])
}

extension StepOutcome {
    var bodyText: String? {
        guard case .content(let content) = self else { return nil }
        return String(decoding: content.body, as: UTF8.self)
    }
    var content: HTTPContent? {
        guard case .content(let content) = self else { return nil }
        return content
    }
}
