import ConversionRules
import Flavors
import RuleDSL
import XCTest

final class TemplateLoaderTests: XCTestCase {
    private func diagnostics(_ text: String) -> [String] {
        do {
            let template = try TemplateLoader.load(text: text, file: "t.yaml", expectedName: "t")
            return template.diagnostics.map(\.description)
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    func testAFullTemplateLoads() throws {
        let template = try TemplateLoader.load(
            text: """
                version: "v0.1"
                name: t
                services:
                  chat:
                    url: https://example.com/v1/chat
                    endpoints: ["POST /v1/chat"]
                    install_raw_routes: true
                    extra_headers: '{"X-Key": "1"}'
                    request_segments: 2
                    auth_type: apikey
                    default_model: m1
                    support_models: [m1, m2]
                    task_type: text-generation
                    model_selector: {request: "", response: ""}
                    request_from_aog:
                      conversion:
                        - converter: jsonata
                          config: |
                            { "model": $model, "messages": messages }
                        - converter: header
                          config:
                            set: {Content-Type: application/json}
                    stream_response_to_aog:
                      conversion:
                        - converter: action_if
                          config: {trim: true, pattern: "[DONE]", action: drop}
                        - converter: jsonata
                          config: "{ 'text': choices[0].delta.content }"
                    stream_response_from_aog:
                      epilogue: ["[DONE]"]
                """, file: "t.yaml", expectedName: "t")
        XCTAssertEqual(template.warnings, [])
        let metadata = try XCTUnwrap(template.metadata["chat"])
        XCTAssertEqual(metadata.extraHeaders, ["X-Key": "1"])
        XCTAssertEqual(metadata.requestSegments, 2)
        XCTAssertTrue(metadata.installRawRoutes)
        XCTAssertEqual(metadata.supportModels, ["m1", "m2"])
        let rules = try template.rules.service("chat")
        XCTAssertEqual(rules.definedConversions, [.requestFromAOG, .streamResponseToAOG, .streamResponseFromAOG])
        XCTAssertEqual(rules.pipeline(.streamResponseFromAOG).epilogue, ["[DONE]"])
        let outcome = try rules.convert(.requestFromAOG, HTTPContent(text: #"{"messages":[]}"#), variables: ["model": .string("x")])
        guard case .content(let content) = outcome else { return XCTFail() }
        XCTAssertEqual(String(decoding: content.body, as: UTF8.self), #"{"model":"x","messages":[]}"#)
        XCTAssertEqual(content.headers["content-type"], "application/json")
    }

    func testUnknownKeysWarnWithPositionAndSuggestion() {
        XCTAssertEqual(
            diagnostics(
                """
                name: t
                auth_type: apikey
                services:
                  chat:
                    support_model: [a]
                    request_to_aog:
                      conversions: []
                """),
            [
                "t.yaml:2:1: warning: unknown key 'auth_type' in the template (ignored)",
                "t.yaml:5:5: warning: unknown key 'support_model' in service chat (ignored); did you mean 'support_models'?",
                "t.yaml:7:7: warning: unknown key 'conversions' in request_to_aog (ignored); did you mean 'conversion'?",
            ])
    }

    func testAllErrorsOfAFileAreReportedWithPositions() {
        XCTAssertEqual(
            diagnostics(
                """
                name: other
                services:
                  chat:
                    request_segments: many
                    extra_headers: '{"X": 1}'
                    install_raw_routes: perhaps
                    endpoints: POST /x
                    request_from_aog:
                      conversion:
                        - converter: jsonata
                          config: |
                            {
                              "a": foo(,
                            }
                        - converter: unknown
                        - converter: action_if
                          config: {pattern: "(", is_regex: true, action: drop}
                        - converter: action_if
                          config: {pattern: "x", action: keep}
                        - converter: header
                          config: {set: [a]}
                """),
            [
                "t.yaml:1:7: error: flavor name other does not match the file name t",
                "t.yaml:4:23: warning: request_segments must be an integer; the service loads without it",
                "t.yaml:5:20: warning: extra_headers: the value of X must be a string; the service loads without it",
                "t.yaml:6:25: warning: install_raw_routes must be true or false; the service loads without it",
                "t.yaml:7:16: warning: endpoints must be a list of strings, found a scalar; the service loads without it",
                "t.yaml:13:24: error: S0211 The symbol , cannot be used as a unary operator",
                "t.yaml:15:22: error: unknown converter 'unknown'; use jsonata, header or action_if",
                "t.yaml:17:29: error: invalid regular expression: (",
                "t.yaml:19:42: error: the action of an action_if step must be 'drop', not 'keep'",
                "t.yaml:21:25: error: set must be a mapping, found a sequence",
            ])
    }

    func testStaticChecksOfExpressionsAreWarnings() {
        XCTAssertEqual(
            diagnostics(
                """
                name: t
                services:
                  chat:
                    response_to_aog:
                      conversion:
                        - converter: jsonata
                          config: |
                            {"id": $id, "x": $uppercse(a), "m": $modle}
                """),
            [
                "t.yaml:8:30: warning: unknown function $uppercse",
                "t.yaml:8:49: warning: variable $modle is not bound (context variables are bound by the caller)",
            ])
    }

    func testAStreamStateIsCheckedWhereItIsDeclared() {
        XCTAssertEqual(
            diagnostics(
                """
                name: t
                services:
                  chat:
                    response_from_aog:
                      state: {update: '$state'}
                      conversion:
                        - converter: jsonata
                          config: '$state'
                    stream_response_from_aog:
                      state: {initial: '[]', updte: '1'}
                    stream_response_to_aog:
                      state: {update: '$append($state, ('}
                      conversion:
                        - converter: jsonata
                          config: '{"calls": $state, "x": $sate}'
                """),
            [
                "t.yaml:5:7: error: only stream conversions (stream_response_to_aog, stream_response_from_aog) keep a state",
                "t.yaml:8:20: warning: variable $state is not bound (context variables are bound by the caller)",
                "t.yaml:10:14: error: a state needs an update: the expression that gives the state after each payload",
                "t.yaml:10:30: warning: unknown key 'updte' in state (ignored); did you mean 'update'?",
                "t.yaml:12:41: error: S0207 Unexpected end of expression",
                "t.yaml:15:43: warning: variable $sate is not bound (context variables are bound by the caller)",
            ])
    }

    func testYAMLErrorsAreReported() {
        XCTAssertEqual(diagnostics("name: t\nservices:\n  chat: {\n"), ["t.yaml:4:1: error: while parsing a flow node: did not find expected node content"])
        XCTAssertEqual(diagnostics("name: t\nname: u\n"), ["t.yaml:2:1: error: duplicate key 'name' (first at line 1)"])
    }
}
