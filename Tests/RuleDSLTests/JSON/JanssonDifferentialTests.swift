import Foundation
import JanssonReference
import RuleDSL
import XCTest

/// Feeds the same bytes to the project's reader and to libjansson, the
/// independent reference, and requires the same verdict and equal values
/// (numbers compared as doubles, strings exactly).
final class JanssonDifferentialTests: XCTestCase {
    /// Compares both readers on `bytes`; returns a description of a
    /// disagreement, or nil when they agree.
    private func disagreement(_ bytes: [UInt8]) -> String? {
        let ours = Result { () throws(JSONReadError) in try JSONValue(parsing: bytes) }
        let theirs = JanssonReference.read(bytes)
        switch (ours, theirs) {
        case (.success(let mine), .success(let reference)):
            return mine == reference ? nil : "values differ: \(mine) vs jansson \(reference)"
        case (.failure, .failure):
            return nil
        case (.success, .failure(let failure)):
            return "accepted, jansson rejected: \(failure.message)"
        case (.failure(let error), .success):
            return "rejected (\(error)), jansson accepted"
        }
    }

    /// Where jansson is narrower than RFC 8259, a difference is expected: it
    /// rejects NUL in object keys and numbers beyond double range.
    private func isJanssonLimitation(_ description: String) -> Bool {
        description.contains("NUL byte in object key") || description.contains("real number overflow")
            || description.contains("too big")
    }

    func testJSONTestSuiteAgreesWithJansson() throws {
        let folder = try SharedFolder.folder("json-test-suite")
        var compared = 0
        var janssonDeviations: [String] = []
        for sub in ["test_parsing", "test_transform"] {
            let directory = folder.appendingPathComponent(sub)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
                let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
                compared += 1
                guard let problem = disagreement(bytes) else { continue }
                if name.hasPrefix("i_") || isJanssonLimitation(problem) { continue }
                // The suite is the authority on n_ cases (JSONTestSuiteTests
                // checks that we reject them); jansson accepts a few.
                if name.hasPrefix("n_"), problem.hasSuffix("jansson accepted") {
                    janssonDeviations.append(name)
                    continue
                }
                XCTFail("\(sub)/\(name): \(problem)")
            }
        }
        print("jansson accepts these n_ cases that the reader rejects: \(janssonDeviations)")
        XCTAssertGreaterThan(compared, 300)
    }

    func testJSONataDatasetsAgreeWithJansson() throws {
        let folder = try SharedFolder.folder("jsonata-suite").appendingPathComponent("datasets")
        var compared = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".json") {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            XCTAssertNil(disagreement(bytes), name)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 10)
    }

    func testGeneratedDocumentsAgreeWithJansson() {
        var generator = RandomJSONGenerator(seed: 0x5EED_0F_15)
        var accepted = 0
        for index in 0..<3000 {
            let bytes = generator.document()
            if (try? JSONDocument(bytes: bytes)) != nil { accepted += 1 }
            if let problem = disagreement(bytes) {
                XCTFail("document \(index) \(String(decoding: bytes, as: UTF8.self)): \(problem)")
                return
            }
            // What we write back must read again, in both readers, as the same value.
            if let value = try? JSONValue(parsing: bytes), let written = try? value.serialized() {
                XCTAssertNil(disagreement(written), "rewritten document \(index)")
                XCTAssertEqual(try? JSONValue(parsing: written), value, "round trip of document \(index)")
            }
        }
        // Both outcomes must be exercised for the comparison to mean something.
        XCTAssertGreaterThan(accepted, 2000)
        XCTAssertLessThan(accepted, 2950)
    }
}

/// Deterministic random JSON text: nesting, whitespace, unicode, escapes,
/// numbers of every spelling; now and then a corrupted byte, so that both
/// readers also see invalid input.
struct RandomJSONGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    private mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        var value = state
        value ^= value >> 33
        value = value &* 0xff51_afd7_ed55_8ccd
        return value ^ (value >> 33)
    }

    private mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func document() -> [UInt8] {
        var text = ""
        value(depth: 0, into: &text)
        var bytes = Array(text.utf8)
        if below(8) == 0, !bytes.isEmpty {
            bytes[below(bytes.count)] = [UInt8(ascii: "}"), UInt8(ascii: "\""), 0xFF, UInt8(ascii: ","), 0x01][below(5)]
        }
        return bytes
    }

    private mutating func whitespace(into text: inout String) {
        if below(4) == 0 { text += [" ", "\n", "\t", "\r\n  "][below(4)] }
    }

    private mutating func value(depth: Int, into text: inout String) {
        whitespace(into: &text)
        let choice = depth > 5 ? below(5) : below(7)
        switch choice {
        case 0: text += ["null", "true", "false"][below(3)]
        case 1, 2: number(into: &text)
        case 3, 4: string(into: &text)
        case 5:
            text += "["
            for position in 0..<below(5) {
                if position > 0 { text += "," }
                value(depth: depth + 1, into: &text)
            }
            text += "]"
        default:
            text += "{"
            for position in 0..<below(5) {
                if position > 0 { text += "," }
                whitespace(into: &text)
                string(into: &text, allowNul: false)
                whitespace(into: &text)
                text += ":"
                value(depth: depth + 1, into: &text)
            }
            text += "}"
        }
        whitespace(into: &text)
    }

    private mutating func number(into text: inout String) {
        switch below(6) {
        case 0: text += String(Int64(bitPattern: next()) >> below(64))
        case 1: text += String(below(1000))
        case 2: text += "\(below(2) == 0 ? "-" : "")\(below(100)).\(below(100_000))"
        case 3: text += "\(below(10))\(["e", "E"][below(2)])\(["", "+", "-"][below(3)])\(below(300))"
        case 4: text += "-0.\(String(repeating: "0", count: below(8)))\(below(1000) + 1)"
        default:
            let double = Double(bitPattern: next() & 0x7FEF_FFFF_FFFF_FFFF)
            text += JSONNumberFormatting.javaScriptString(double)
        }
    }

    private mutating func string(into text: inout String, allowNul: Bool = true) {
        text += "\""
        for _ in 0..<below(12) {
            switch below(10) {
            case 0: text += ["\\n", "\\t", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r"][below(8)]
            case 1: text += String(format: "\\u%04x", allowNul ? below(0xD800) : below(0xD7FF) + 1)
            case 2: text += "\\uD83D\\uDE00"
            case 3: text += ["é", "中", "😀", "\u{2028}", "𝄞", "\u{7F}"][below(6)]
            default:
                let byte = UInt8(0x20 + below(0x5F))
                text.unicodeScalars.append(Unicode.Scalar(byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") ? UInt8(ascii: "x") : byte))
            }
        }
        text += "\""
    }
}
