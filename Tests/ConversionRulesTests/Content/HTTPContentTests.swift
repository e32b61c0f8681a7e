import ConversionRules
import XCTest

final class HTTPContentTests: XCTestCase {
    private func content(_ type: String) -> HTTPContent {
        HTTPContent(headers: HTTPHeaders([("Content-Type", type)]))
    }

    func testBinaryMediaTypesIgnoreCaseParametersAndSpaces() {
        for type in ["application/octet-stream", " Application/Octet-Stream ; q=1", "AUDIO/wav", "image/png;x=1", "video/mp4\t"] {
            XCTAssertTrue(content(type).isBinary, type)
        }
        for type in ["application/json", "text/event-stream", "application/octet-streamx", "audio", "imagery/png", ""] {
            XCTAssertFalse(content(type).isBinary, type)
        }
        XCTAssertFalse(HTTPContent().isBinary, "no Content-Type is not binary")
    }

    func testMediaTypeIsLowercasedWithoutParameters() {
        XCTAssertEqual(content(" Text/Event-Stream; charset=utf-8").mediaType, "text/event-stream")
        XCTAssertNil(HTTPContent().mediaType)
    }
}
