import ConversionRules
import RuleDSL
import XCTest

final class TwoHopConverterTests: XCTestCase {
    func testRequestGoesThroughAOG() throws {
        let converter = try TwoHopConverter(base: .request, service: "chat", from: TestRules.lower, to: TestRules.upper)
        let input = HTTPContent(headers: HTTPHeaders([("Content-Length", "15")]), text: #"{"msg":"HeLLo"}"#)
        let outcome = try converter.convert(input, variables: ["model": .string("m")])
        XCTAssertEqual(outcome.bodyText, #"{"model":"m","text":"hello"}"#)
        XCTAssertNil(outcome.content?.headers["Content-Length"], "Content-Length goes when the body changed")
        XCTAssertEqual(input.headers["Content-Length"], "15", "the caller's content is not changed")
    }

    func testAOGHopsAreSkippedAndSameFlavorPassesUnchanged() throws {
        let fromAOG = try TwoHopConverter(base: .request, service: "chat", from: TestRules.aog, to: TestRules.upper)
        XCTAssertEqual(try fromAOG.convert(HTTPContent(text: #"{"content":"x"}"#), variables: [:]).bodyText, #"{"text":"x"}"#)
        let same = try TwoHopConverter(base: .request, service: "chat", from: TestRules.upper, to: TestRules.upper)
        XCTAssertEqual(try same.convert(HTTPContent(text: "not json"), variables: [:]).bodyText, "not json")
    }

    func testBinaryBodiesPassUnchanged() throws {
        let converter = try TwoHopConverter(base: .request, service: "chat", from: TestRules.lower, to: TestRules.upper)
        for type in ["application/octet-stream", "application/octet-stream; x=1", "audio/wav", "image/png", "video/mp4"] {
            let content = HTTPContent(headers: HTTPHeaders([("Content-Type", type)]), body: [0, 1, 2])
            XCTAssertEqual(try converter.convert(content, variables: [:]).content, content, type)
        }
    }

    func testMissingServiceIsAnError() {
        XCTAssertThrowsError(try TwoHopConverter(base: .request, service: "embed", from: TestRules.lower, to: TestRules.upper)) { error in
            XCTAssertEqual("\(error)", "flavor lower has no service embed")
        }
    }
}
