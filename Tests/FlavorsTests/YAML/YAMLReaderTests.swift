import Flavors
import XCTest

final class YAMLReaderTests: XCTestCase {
    private func read(_ text: String) throws -> YAMLNode {
        try XCTUnwrap(try YAMLReader.read(text, file: "t.yaml"))
    }

    private func assertError(_ text: String, contains message: String, line: Int, column: Int,
                             file: StaticString = #filePath, sourceLine: UInt = #line) {
        do {
            _ = try YAMLReader.read(text, file: "t.yaml")
            XCTFail("expected an error", file: file, line: sourceLine)
        } catch {
            XCTAssertTrue(error.message.contains(message), error.message, file: file, line: sourceLine)
            XCTAssertEqual(error.mark, YAMLMark(line: line, column: column), error.description, file: file, line: sourceLine)
            XCTAssertTrue(error.description.hasPrefix("t.yaml:\(line):\(column): error: "), file: file, line: sourceLine)
        }
    }

    func testNodesCarryPositionsAndStyles() throws {
        let root = try read("""
            name: ollama
            services:
              chat:
                endpoints: ["POST /api/chat", 'x']
                flag: yes
            """)
        XCTAssertEqual(root.mark, YAMLMark(line: 1, column: 1))
        let chat = try XCTUnwrap(root["services"]?["chat"])
        XCTAssertEqual(chat.mark, YAMLMark(line: 4, column: 5))
        let endpoints = try XCTUnwrap(chat["endpoints"]?.sequenceItems)
        XCTAssertEqual(endpoints.map { $0.scalar?.text }, ["POST /api/chat", "x"])
        XCTAssertEqual(endpoints.map { $0.scalar?.style }, [.doubleQuoted, .singleQuoted])
        XCTAssertEqual(endpoints[1].mark, YAMLMark(line: 4, column: 35))
        XCTAssertEqual(chat["flag"]?.scalar?.boolValue, true)
    }

    func testScalarTypingFollowsYAML11() throws {
        let root = try read("a: on\nb: 'on'\nc: 0x1F\nd: 017\ne: -1_000\nf: ~\ng:\nh: \"null\"\ni: 1.5\n")
        XCTAssertEqual(root["a"]?.scalar?.boolValue, true)
        XCTAssertNil(root["b"]?.scalar?.boolValue, "a quoted scalar is a string")
        XCTAssertEqual(root["c"]?.scalar?.intValue, 31)
        XCTAssertEqual(root["d"]?.scalar?.intValue, 15)
        XCTAssertEqual(root["e"]?.scalar?.intValue, -1000)
        XCTAssertEqual(root["f"]?.scalar?.isNull, true)
        XCTAssertEqual(root["g"]?.scalar?.isNull, true)
        XCTAssertEqual(root["h"]?.scalar?.isNull, false)
        XCTAssertNil(root["i"]?.scalar?.intValue)
    }

    func testBlockScalarOffsetsMapToFileLines() throws {
        let root = try read("""
            services:
              chat:
                request_from_aog:
                  conversion:
                    - type: jsonata
                      action: |
                        {
                          "model": $model,
                          "bad": foo(
                        }

            """)
        let action = try XCTUnwrap(root["services"]?["chat"]?["request_from_aog"]?["conversion"]?.sequenceItems?.first?["action"]?.scalar)
        XCTAssertEqual(action.style, .literal)
        XCTAssertEqual(action.text, "{\n  \"model\": $model,\n  \"bad\": foo(\n}\n")
        let offset = Array(action.text.utf8).firstIndex(of: UInt8(ascii: "f"))!
        XCTAssertEqual(action.position(ofUTF8Offset: offset), YAMLMark(line: 9, column: 22))
        XCTAssertEqual(action.position(ofUTF8Offset: 0), YAMLMark(line: 7, column: 13))
    }

    func testFoldedAndQuotedScalarPositions() throws {
        let root = try read("a: >\n  one\n  two\nb: \"x $y\"\n")
        let folded = try XCTUnwrap(root["a"]?.scalar)
        XCTAssertEqual(folded.text, "one two\n")
        XCTAssertEqual(folded.position(ofUTF8Offset: 4), YAMLMark(line: 3, column: 3))
        let quoted = try XCTUnwrap(root["b"]?.scalar)
        XCTAssertEqual(quoted.position(ofUTF8Offset: 2), YAMLMark(line: 4, column: 7))
    }

    func testAnchorsAliasesAndMergeKeys() throws {
        let root = try read("""
            base: &base
              url: http://x
              auth_type: none
            chat:
              <<: *base
              auth_type: apikey
            copy: *base
            """)
        XCTAssertEqual(root["chat"]?["url"]?.scalar?.text, "http://x")
        XCTAssertEqual(root["chat"]?["auth_type"]?.scalar?.text, "apikey")
        XCTAssertEqual(root["copy"]?["auth_type"]?.scalar?.text, "none")
    }

    func testErrors() {
        assertError("a: 1\nb: 2\na: 3\n", contains: "duplicate key 'a' (first at line 1)", line: 3, column: 1)
        assertError("a:\n\tb: 1\n", contains: "tab", line: 2, column: 1)
        assertError("a: \"unclosed\nb: 2\n", contains: "quoted scalar", line: 3, column: 1)
        assertError("a: 1\n---\nb: 2\n", contains: "more than one YAML document", line: 2, column: 1)
        assertError("a: *nothing\n", contains: "alias", line: 1, column: 4)
        assertError("a: [1, 2\n", contains: "flow sequence", line: 2, column: 1)
    }

    func testEmptyDocumentIsNil() throws {
        XCTAssertNil(try YAMLReader.read("# only a comment\n"))
    }
}
