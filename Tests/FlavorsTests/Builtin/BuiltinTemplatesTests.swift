import Flavors
import XCTest

final class BuiltinTemplatesTests: XCTestCase {
    func testBuiltinTemplateTextIsCompiledIntoTheLibrary() throws {
        XCTAssertTrue(BuiltinTemplates.flavorNames.contains("aog"))
        let text = try XCTUnwrap(BuiltinTemplates.text(of: "aog"))
        let root = try XCTUnwrap(try YAMLReader.read(text, file: "aog.yaml"))
        XCTAssertEqual(root["name"]?.scalar?.text, "aog")
        XCTAssertNotNil(root["services"]?["chat"])
        XCTAssertNil(BuiltinTemplates.text(of: "no-such-flavor"))
    }
}
