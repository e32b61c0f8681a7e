import XCTest

final class JSONCommandTests: XCTestCase {
    func testValidJSONIsPrintedCompact() throws {
        let result = try RuleCheckProcess.run(["json", "-"], input: "{ \"a\" : [1, 2.50, \"\\u00e9\"] }")
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(result.standardOutput, "{\"a\":[1,2.5,\"é\"]}\n")
    }

    func testInvalidJSONReportsPositionAndExitsWithOne() throws {
        let result = try RuleCheckProcess.run(["json", "-"], input: "{\"a\": 1,\n \"b\": }")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.standardError, "-:2:7: error: expected a value but found '}' (byte 15)\n")
    }

    func testHelpListsTheSubcommand() throws {
        let result = try RuleCheckProcess.run(["--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.standardOutput.contains("json"))
    }
}
