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
        var suite = JSONataSuite(directory: Self.differentialFolder)
        suite.checksWrittenResults = true
        let groups = try suite.groups()
        XCTAssertGreaterThan(groups.count, 5)
        for group in groups {
            for result in try suite.run(group: group) where !result.passed {
                XCTFail("\(group)/\(result.name): \(result.expression)\n  reference: \(result.expected)\n  this engine: \(result.actual)")
            }
        }
    }

    /// The planner's shortcuts change how fast an expression runs, never what
    /// it gives: every case of the JSONata suite (when ../shared is there)
    /// and of the recorded cases has the same outcome, value or error code
    /// and message, with the shortcuts on and off, evaluated and written.
    func testShortcutsGiveWhatTheGeneralEvaluationGives() throws {
        var folders = [Self.differentialFolder]
        if let shared = try? SharedFolder.folder("jsonata-suite") { folders.append(shared) }
        var compared = 0
        for folder in folders {
            var planned = JSONataSuite(directory: folder)
            planned.checksWrittenResults = true
            var general = planned
            general.plannerOptions = PlannerOptions(shortcuts: false)
            for group in try planned.groups() {
                let plannedResults = try planned.run(group: group)
                let generalResults = try general.run(group: group)
                XCTAssertEqual(plannedResults.count, generalResults.count, group)
                for (fast, slow) in zip(plannedResults, generalResults) where fast.actual != slow.actual || fast.passed != slow.passed {
                    XCTFail("\(group)/\(fast.name): \(fast.expression)\n  with shortcuts: \(fast.actual)\n  without: \(slow.actual)")
                }
                compared += plannedResults.count
            }
        }
        XCTAssertGreaterThan(compared, 500)
    }

    private static let differentialFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Differential")
}
