import Flavors
import XCTest

final class YAMLReaderTests: XCTestCase {
    private func read(_ text: String) throws -> YAMLNode {
        try XCTUnwrap(try YAMLReader.read(text, file: "t.yaml"))
    }

    private func assertError(
        _ text: String, contains message: String, line: Int, column: Int,
        file: StaticString = #filePath, sourceLine: UInt = #line
    ) {
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
        let root = try read(
            """
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
        let root = try read(
            """
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
        let root = try read(
            """
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

    // MARK: - Hostile documents

    /// 50,000 levels of `[` once crashed the release of the tree; the
    /// reader stops at the first level past the limit, with its position.
    func testNestingDeeperThanTheLimitIsAPositionedError() {
        let text = "x: " + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        assertError(text, contains: "nesting deeper than 1000 levels", line: 1, column: 3 + YAMLReader.maximumNesting)
        XCTAssertNoThrow(try read("x: " + String(repeating: "[", count: 999) + String(repeating: "]", count: 999)))
    }

    func testNestingThroughAliasesCounts() {
        let half = 600
        let text =
            "a: &a " + String(repeating: "[", count: half) + String(repeating: "]", count: half)
            + "\nb: " + String(repeating: "[", count: half) + "*a" + String(repeating: "]", count: half)
        // Reported at the start of the first sequence that, holding the alias, passes the limit.
        assertError(text, contains: "counted through aliases", line: 2, column: 4 + half - (YAMLReader.maximumNesting - half) - 1)
    }

    /// Aliases of aliases: a dozen short lines that stand for 10^12 nodes.
    func testAliasesThatExpandBeyondTheLimitAreRefused() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...11 {
            let alias = "*a\(level - 1)"
            lines.append("a\(level): &a\(level) [" + Array(repeating: alias, count: 10).joined(separator: ", ") + "]")
        }
        do {
            _ = try YAMLReader.read(lines.joined(separator: "\n"), file: "t.yaml")
            XCTFail("expected an error")
        } catch {
            XCTAssertTrue(error.message.contains("once aliases are expanded"), error.message)
            XCTAssertEqual(error.mark.line, 6)
        }
    }

    /// Many keys in one mapping: each is checked against the others in
    /// constant time, and a duplicate is still found with both lines.
    func testLongMappingsAreCheckedForDuplicates() throws {
        let keys = (0..<20_000).map { "  k\($0): v" }
        let root = try read("a:\n" + keys.joined(separator: "\n"))
        XCTAssertEqual(root["a"]?.mappingEntries?.count, 20_000)
        assertError(
            "a:\n" + keys.joined(separator: "\n") + "\n  k7: again", contains: "duplicate key 'k7' (first at line 9)",
            line: 20_002, column: 3)
    }

    func testMergedKeysDoNotReplaceWrittenOnes() throws {
        let root = try read("base: &b\n  x: 1\n  y: 2\nc:\n  <<: *b\n  x: 3\n")
        XCTAssertEqual(root["c"]?["x"]?.scalar?.text, "3")
        XCTAssertEqual(root["c"]?["y"]?.scalar?.text, "2")
        XCTAssertEqual(root["c"]?.mappingEntries?.count, 2)
    }
}
