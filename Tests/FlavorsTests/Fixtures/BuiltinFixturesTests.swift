import ConversionRules
import Flavors
import Foundation
import XCTest

/// Every fixture in Tests/Fixtures passes against the built-in rules, and
/// every built-in rule loads without a warning and has a fixture.
final class BuiltinFixturesTests: XCTestCase {
    private static let fixturesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    func testEveryFixturePasses() throws {
        let catalog = try RuleCatalog()
        let enumerator = FileManager.default.enumerator(atPath: Self.fixturesFolder.path)
        var files: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix(".json") { files.append(relative) }
        }
        XCTAssertFalse(files.isEmpty)
        var passed = 0
        for relative in files.sorted() {
            let url = Self.fixturesFolder.appendingPathComponent(relative)
            let fixture = try FixtureFile(bytes: Array(try Data(contentsOf: url)), file: relative)
            let ruleName = try XCTUnwrap(fixture.rule, "\(relative) names no rule")
            XCTAssertEqual("\(ruleName.replacingOccurrences(of: ":", with: "/")).json", relative, "fixture file name")
            let rule = try catalog.rule(ruleName)
            for result in FixtureRunner.run(fixture, rule: rule, catalog: catalog) {
                XCTAssertTrue(result.passed, "\(relative): \(result.name)\n" + result.differences.joined(separator: "\n"))
                if result.passed { passed += 1 }
            }
        }
        print("fixtures: \(passed) cases passed in \(files.count) files")
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
