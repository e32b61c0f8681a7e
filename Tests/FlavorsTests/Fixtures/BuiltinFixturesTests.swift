import ConversionRules
import Flavors
import Foundation
import RuleDSL
import XCTest

/// Every fixture in Tests/Fixtures passes against the built-in rules, and
/// every built-in rule loads without a warning and has a fixture.
final class BuiltinFixturesTests: XCTestCase {
    private static let fixturesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    func testEveryFixturePasses() throws {
        var passed = 0
        let files = try Self.fixtureFiles()
        for (relative, result) in try Self.results(of: files, catalog: try RuleCatalog()) {
            XCTAssertTrue(result.passed, "\(relative): \(result.name)\n" + result.differences.joined(separator: "\n"))
            if result.passed { passed += 1 }
        }
        print("fixtures: \(passed) cases passed in \(files.count) files")
    }

    /// The planner's shortcuts change how fast a rule runs, never what it
    /// makes: every fixture case gives the same output, byte for byte,
    /// with the shortcuts on and off.
    func testEveryFixtureGivesTheSameOutputWithoutShortcuts() throws {
        let files = try Self.fixtureFiles()
        let planned = try Self.results(of: files, catalog: try RuleCatalog())
        let general = try Self.results(of: files, catalog: try RuleCatalog(plannerOptions: PlannerOptions(shortcuts: false)))
        XCTAssertEqual(planned.count, general.count)
        for ((relative, fast), (_, slow)) in zip(planned, general) {
            XCTAssertEqual(fast.passed, slow.passed, "\(relative): \(fast.name)")
            XCTAssertEqual(fast.output.body, slow.output.body, "\(relative): \(fast.name)")
            XCTAssertEqual(fast.output.chunks, slow.output.chunks, "\(relative): \(fast.name)")
            XCTAssertEqual(fast.output.error, slow.output.error, "\(relative): \(fast.name)")
            XCTAssertEqual(fast.output.dropped, slow.output.dropped, "\(relative): \(fast.name)")
            XCTAssertEqual(fast.output.headers.map { "\($0)" }, slow.output.headers.map { "\($0)" }, "\(relative): \(fast.name)")
        }
        XCTAssertGreaterThan(planned.count, 100)
    }

    private static func fixtureFiles() throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: fixturesFolder.path)
        var files: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix(".json") { files.append(relative) }
        }
        XCTAssertFalse(files.isEmpty)
        return files.sorted()
    }

    /// Every case of every fixture file, run against `catalog`.
    private static func results(of files: [String], catalog: RuleCatalog) throws -> [(String, FixtureCaseResult)] {
        var results: [(String, FixtureCaseResult)] = []
        for relative in files {
            let url = fixturesFolder.appendingPathComponent(relative)
            let fixture = try FixtureFile(bytes: Array(try Data(contentsOf: url)), file: relative)
            let ruleName = try XCTUnwrap(fixture.rule, "\(relative) names no rule")
            XCTAssertEqual("\(ruleName.replacingOccurrences(of: ":", with: "/")).json", relative, "fixture file name")
            let rule = try catalog.rule(ruleName)
            results += FixtureRunner.run(fixture, rule: rule, catalog: catalog).map { (relative, $0) }
        }
        return results
    }

    func testEveryBuiltinRuleLoadsWithoutWarningsAndHasAFixture() throws {
        let catalog = try RuleCatalog()
        var missing: [String] = []
        for flavor in catalog.flavorNames {
            let template = try XCTUnwrap(catalog.template(flavor))
            XCTAssertEqual(template.warnings, [], flavor)
            for (service, rules) in template.rules.services where !rules.definedConversions.isEmpty {
                let file = Self.fixturesFolder.appendingPathComponent("\(flavor)/\(service).json")
                if !FileManager.default.fileExists(atPath: file.path) { missing.append("\(flavor):\(service)") }
            }
        }
        XCTAssertEqual(missing.sorted(), [], "rules without a fixture")
    }
}
