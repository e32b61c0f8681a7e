import Foundation
import XCTest

/// The `../shared` folder beside the project, which holds the conformance
/// suites. Tests that need it skip with a message when it is absent.
enum SharedFolder {
    static let url: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // RuleDSLTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // project root
        .deletingLastPathComponent()
        .appendingPathComponent("shared")

    /// The folder `name` inside shared/, or a skip when it is missing.
    static func folder(_ name: String) throws -> URL {
        let folder = url.appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw XCTSkip("\(folder.path) is absent: place the shared folder beside the project to run this test")
        }
        return folder
    }
}
