import ConversionRules
import XCTest

final class HTTPHeadersTests: XCTestCase {
    func testNamesAreCaseInsensitiveAndValuesKeepOrder() {
        var headers = HTTPHeaders([("Content-Type", "application/json"), ("X-Trace", "a")])
        headers.add("x-trace", "b")
        XCTAssertEqual(headers["content-type"], "application/json")
        XCTAssertEqual(headers.values(of: "X-TRACE"), ["a", "b"])
        headers.set("X-Trace", "c")
        XCTAssertEqual(headers.values(of: "x-trace"), ["c"])
        headers.remove("CONTENT-TYPE")
        XCTAssertFalse(headers.contains("Content-Type"))
        XCTAssertEqual(headers.fields.count, 1)
        headers.removeAll()
        XCTAssertTrue(headers.fields.isEmpty)
    }

    func testSetAddsAMissingName() {
        var headers = HTTPHeaders()
        headers.set("Authorization", "Bearer x")
        XCTAssertEqual(headers["authorization"], "Bearer x")
        XCTAssertEqual(HTTPHeaders([("A", "1")]), HTTPHeaders([("a", "1")]))
    }
}
