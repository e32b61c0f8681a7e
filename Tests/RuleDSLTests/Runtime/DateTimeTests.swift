import RuleDSL
import XCTest

/// Timestamp conversions that provider templates need.
final class DateTimeTests: XCTestCase {
    private func evaluate(_ source: String) throws -> JSONValue? {
        try RuleExpression(source).evaluate(nil)?.jsonValue
    }

    func testNanosecondTimestampsAndEpochSeconds() throws {
        XCTAssertEqual(try evaluate(#"$toMillis("2025-03-01T08:15:30.123456789Z")"#), .number(JSONNumber(1740816930123.0)))
        XCTAssertEqual(try evaluate(#"$fromMillis(1741675116 * 1000)"#), .string("2025-03-11T06:38:36.000Z"))
        XCTAssertEqual(try evaluate(#"$toMillis("2025-03-11T06:38:36.134Z") / 1000 ~> $floor()"#), .number(JSONNumber(1741675116.0)))
        XCTAssertEqual(try evaluate(#"$toMillis("2025-03-11T14:38:36+08:00")"#), .number(JSONNumber(1741675116000.0)))
    }

    func testPicturesAndTimeZones() throws {
        XCTAssertEqual(try evaluate(#"$fromMillis(1741675116134, '[Y0001]-[M01]-[D01] [H01]:[m01]', '+0800')"#), .string("2025-03-11 14:38"))
        XCTAssertEqual(try evaluate(#"$toMillis('11/03/2025 14:38', '[D01]/[M01]/[Y0001] [H01]:[m01]')"#), .number(JSONNumber(1741703880000.0)))
        XCTAssertThrowsError(try evaluate(#"$toMillis("yesterday")"#)) { error in
            XCTAssertEqual((error as? JSONataError)?.code, "D3110")
        }
    }
}
