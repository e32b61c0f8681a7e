import Foundation
import RuleDSL
import XCTest

/// The JSONata conformance suite: counts per group, and a floor on the pass
/// rate that only ever goes up (the note of each change lists the failures).
final class JSONataSuiteTests: XCTestCase {
    /// Pass rates reached so far; a change that lowers one fails here.
    private let languageFloor = 1.0
    private let functionFloor = 0.998

    func testConformanceSuite() throws {
        let folder = try SharedFolder.folder("jsonata-suite")
        var suite = JSONataSuite(directory: folder)
        // Every case also through the write path that conversions take.
        suite.checksWrittenResults = true
        var language = (passed: 0, total: 0)
        var functions = (passed: 0, total: 0)
        for group in try suite.groups() {
            let results = try suite.run(group: group)
            let passed = results.filter(\.passed).count
            print("jsonata-suite \(group): \(passed)/\(results.count)")
            if group.hasPrefix("function-") {
                functions.passed += passed
                functions.total += results.count
            } else {
                language.passed += passed
                language.total += results.count
            }
        }
        print("jsonata-suite language groups: \(language.passed)/\(language.total); function groups: \(functions.passed)/\(functions.total)")
        XCTAssertGreaterThan(language.total, 500)
        XCTAssertGreaterThanOrEqual(Double(language.passed) / Double(language.total), languageFloor)
        XCTAssertGreaterThanOrEqual(Double(functions.passed) / Double(functions.total), functionFloor)
    }

    /// Cases where this engine once differed from the reference engine
    /// (jsonata-js 2.2.2), with the reference's answers, recorded by
    /// `Scripts/differential/record.py`; they need nothing outside the repository.
    func testCasesRecordedFromTheReferenceEngine() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Differential")
        var suite = JSONataSuite(directory: folder)
        suite.checksWrittenResults = true
        let groups = try suite.groups()
        XCTAssertGreaterThan(groups.count, 5)
        for group in groups {
            for result in try suite.run(group: group) where !result.passed {
                XCTFail("\(group)/\(result.name): \(result.expression)\n  reference: \(result.expected)\n  this engine: \(result.actual)")
            }
        }
    }
}
