import Foundation
import RuleDSL
import XCTest

/// The parsing cases of JSONTestSuite: y_ accepted, n_ rejected, i_ either
/// (never a crash or hang).
final class JSONTestSuiteTests: XCTestCase {
    func testParsingCases() throws {
        let folder = try SharedFolder.folder("json-test-suite").appendingPathComponent("test_parsing")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThan(names.count, 300)
        var accepted = 0
        var rejected = 0
        var implementationDefined = 0
        for name in names {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            let verdict: Bool
            do {
                _ = try JSONDocument(bytes: bytes)
                verdict = true
            } catch {
                verdict = false
                XCTAssertGreaterThanOrEqual(error.offset, 0)
                XCTAssertLessThanOrEqual(error.offset, bytes.count, name)
            }
            switch name.first {
            case "y":
                XCTAssertTrue(verdict, "\(name) must be accepted")
                accepted += 1
            case "n":
                XCTAssertFalse(verdict, "\(name) must be rejected")
                rejected += 1
            default: implementationDefined += 1
            }
        }
        print("json-test-suite: \(accepted) y_ accepted, \(rejected) n_ rejected, \(implementationDefined) i_ read without crash")
    }

    func testTransformCasesReadWithoutCrash() throws {
        let folder = try SharedFolder.folder("json-test-suite").appendingPathComponent("test_transform")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            if let document = try? JSONDocument(bytes: bytes) {
                // Whatever was accepted must write back as JSON that reads again.
                var writer = JSONWriter()
                writer.appendValue(of: document, at: document.root)
                XCTAssertNoThrow(try JSONDocument(bytes: writer.bytes), name)
            }
        }
    }
}
