import ConversionRules
import RuleDSL

/// A fixture file (the format is described in docs/fixtures.md): examples that check one rule.
/// Reading is strict: unknown fields and malformed values are errors that
/// name the field, so that a typo never skips a check silently.
public struct FixtureFile: Sendable {
    /// How one case runs.
    public enum Mode: Sendable {
        /// One conversion of the rule.
        case conversion(ConversionKind)
        /// A two-hop conversion between a client flavor and the rule's flavor.
        case twoHop(client: String, base: ConversionKind.Base)
    }

    /// What a case expects; each field is checked when present.
    public struct Expectation: Sendable {
        /// Header values (nil: the header must be absent).
        public var headers: [(name: String, value: String?)]?
        public var body: JSONValue?
        public var text: String?
        /// Expected stream payloads: a string is compared as raw text, anything else as JSON.
        public var chunks: [JSONValue]?
        public var dropped: Bool?
        public var error: String?
    }

    /// One case.
    public struct Case: Sendable {
        public let name: String
        public let mode: Mode
        public let variables: [String: JSONValue]
        public let inputHeaders: HTTPHeaders
        public let inputBody: [UInt8]
        public let expect: Expectation

        /// Whether the case converts a stream.
        public var isStream: Bool {
            switch mode {
            case .conversion(let kind): return kind.isStream
            case .twoHop(_, let base): return base == .streamResponse
            }
        }
    }

    /// A fixture file that does not follow the format.
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public let rule: String?
    public let cases: [Case]

    /// Reads a fixture file.
    /// - Throws: ``FormatError`` naming the field (and, for invalid JSON, the line and column).
    public init(bytes: [UInt8], file: String) throws(FormatError) {
        let document: JSONDocument
        do throws(JSONReadError) {
            document = try JSONDocument(bytes: bytes)
        } catch {
            throw FormatError(message: "\(file):\(error.line):\(error.column): \(error.message)")
        }
        var reader = FixtureReader(document: document, file: file)
        (rule, cases) = try reader.read()
    }
}

/// Reads the fixture document with strict field checks.
private struct FixtureReader {
    let document: JSONDocument
    let file: String

    private func fail(_ message: String) -> FixtureFile.FormatError {
        FixtureFile.FormatError(message: "\(file): \(message)")
    }

    private func members(_ index: Int, _ place: String, allowed: Set<String>) throws(FixtureFile.FormatError) -> [String: Int] {
        guard document.kind(at: index) == .object else { throw fail("\(place) must be an object") }
        var result: [String: Int] = [:]
        for member in document.members(of: index) {
            let key = document.string(at: member.key)
            guard allowed.contains(key) else { throw fail("unknown field '\(key)' in \(place)") }
            result[key] = member.value
        }
        return result
    }

    private func string(_ index: Int, _ place: String) throws(FixtureFile.FormatError) -> String {
        guard document.kind(at: index) == .string else { throw fail("\(place) must be a string") }
        return document.string(at: index)
    }

    mutating func read() throws(FixtureFile.FormatError) -> (String?, [FixtureFile.Case]) {
        let top = try members(document.root, "the fixture", allowed: ["rule", "cases"])
        let rule = try top["rule"].map { index throws(FixtureFile.FormatError) in try string(index, "rule") }
        guard let casesIndex = top["cases"] else { throw fail("the fixture has no 'cases'") }
        guard document.kind(at: casesIndex) == .array, document.count(at: casesIndex) > 0 else {
            throw fail("'cases' must be a non-empty array")
        }
        var cases: [FixtureFile.Case] = []
        var names: Set<String> = []
        for (position, caseIndex) in document.children(of: casesIndex).enumerated() {
            let fixtureCase = try readCase(caseIndex, position: position)
            guard names.insert(fixtureCase.name).inserted else { throw fail("case name '\(fixtureCase.name)' is used twice") }
            cases.append(fixtureCase)
        }
        return (rule, cases)
    }

    private func readCase(_ index: Int, position: Int) throws(FixtureFile.FormatError) -> FixtureFile.Case {
        let fields = try members(
            index, "case \(position + 1)",
            allowed: ["name", "conversion", "client", "kind", "vars", "input", "expect"])
        guard let nameIndex = fields["name"] else { throw fail("case \(position + 1) has no 'name'") }
        let name = try string(nameIndex, "the name of case \(position + 1)")
        let place = "case '\(name)'"
        let mode: FixtureFile.Mode
        switch (fields["conversion"], fields["client"], fields["kind"]) {
        case (let conversion?, nil, nil):
            let text = try string(conversion, "conversion of \(place)")
            guard let kind = ConversionKind(rawValue: text) else { throw fail("\(place): unknown conversion '\(text)'") }
            mode = .conversion(kind)
        case (nil, let client?, let kind?):
            let kindText = try string(kind, "kind of \(place)")
            guard let base = ConversionKind.Base(rawValue: kindText) else {
                throw fail("\(place): kind must be request, response or stream_response, not '\(kindText)'")
            }
            mode = .twoHop(client: try string(client, "client of \(place)"), base: base)
        default:
            throw fail("\(place) needs exactly one of 'conversion', or 'client' with 'kind'")
        }
        var variables: [String: JSONValue] = [:]
        if let varsIndex = fields["vars"] {
            guard document.kind(at: varsIndex) == .object else { throw fail("vars of \(place) must be an object") }
            for member in document.members(of: varsIndex) {
                variables[document.string(at: member.key)] = document.value(at: member.value)
            }
        }
        guard let inputIndex = fields["input"] else { throw fail("\(place) has no 'input'") }
        let input = try members(inputIndex, "input of \(place)", allowed: ["headers", "body", "text", "events"])
        var headers = HTTPHeaders()
        if let headersIndex = input["headers"] {
            guard document.kind(at: headersIndex) == .object else { throw fail("input.headers of \(place) must be an object") }
            for member in document.members(of: headersIndex) {
                headers.add(document.string(at: member.key), try string(member.value, "input header of \(place)"))
            }
        }
        let body: [UInt8]
        switch (input["body"], input["text"], input["events"]) {
        case (let bodyIndex?, nil, nil):
            var writer = JSONWriter()
            writer.appendValue(of: document, at: bodyIndex)
            body = writer.bytes
        case (nil, let textIndex?, nil):
            body = Array(try string(textIndex, "input.text of \(place)").utf8)
        case (nil, nil, let eventsIndex?):
            body = try framedEvents(eventsIndex, contentType: headers["Content-Type"], place)
        default:
            throw fail("input of \(place) needs exactly one of 'body', 'text' or 'events'")
        }
        guard let expectIndex = fields["expect"] else { throw fail("\(place) has no 'expect'") }
        let expectation = try readExpectation(expectIndex, place)
        let fixtureCase = FixtureFile.Case(
            name: name, mode: mode, variables: variables, inputHeaders: headers,
            inputBody: body, expect: expectation)
        if expectation.chunks != nil, !fixtureCase.isStream {
            throw fail("\(place): 'chunks' is for stream conversions only")
        }
        if input["events"] != nil, !fixtureCase.isStream {
            throw fail("\(place): input 'events' is for stream conversions only")
        }
        return fixtureCase
    }

    /// `input.events`: a list of payloads (a string is the payload's raw
    /// text, any other value is written as compact JSON), framed as the
    /// stated Content-Type frames a stream: Server-Sent Events for
    /// `text/event-stream`, else one payload per line.
    private func framedEvents(_ index: Int, contentType: String?, _ place: String) throws(FixtureFile.FormatError) -> [UInt8] {
        guard document.kind(at: index) == .array else { throw fail("input.events of \(place) must be an array") }
        let framing = StreamFraming(contentType: contentType) ?? .ndjson
        var bytes: [UInt8] = []
        for element in document.children(of: index) {
            let payload: [UInt8]
            if document.kind(at: element) == .string {
                payload = Array(document.string(at: element).utf8)
            } else {
                var writer = JSONWriter()
                writer.appendValue(of: document, at: element)
                payload = writer.bytes
            }
            framing.frame(payload, into: &bytes)
        }
        return bytes
    }

    private func readExpectation(_ index: Int, _ place: String) throws(FixtureFile.FormatError) -> FixtureFile.Expectation {
        let fields = try members(index, "expect of \(place)", allowed: ["headers", "body", "text", "chunks", "dropped", "error"])
        guard !fields.isEmpty else { throw fail("expect of \(place) is empty") }
        if fields["error"] != nil, fields.count > 1 { throw fail("\(place): with 'error', no other expectation may be given") }
        var expectation = FixtureFile.Expectation()
        if let headersIndex = fields["headers"] {
            guard document.kind(at: headersIndex) == .object else { throw fail("expect.headers of \(place) must be an object") }
            var headers: [(name: String, value: String?)] = []
            for member in document.members(of: headersIndex) {
                let headerName = document.string(at: member.key)
                if document.kind(at: member.value) == .null {
                    headers.append((headerName, nil))
                } else {
                    headers.append((headerName, try string(member.value, "expect header \(headerName) of \(place)")))
                }
            }
            expectation.headers = headers
        }
        expectation.body = fields["body"].map { document.value(at: $0) }
        if let textIndex = fields["text"] { expectation.text = try string(textIndex, "expect.text of \(place)") }
        if let chunksIndex = fields["chunks"] {
            guard document.kind(at: chunksIndex) == .array else { throw fail("expect.chunks of \(place) must be an array") }
            expectation.chunks = document.children(of: chunksIndex).map { document.value(at: $0) }
        }
        if let droppedIndex = fields["dropped"] {
            guard document.kind(at: droppedIndex) == .boolean else { throw fail("expect.dropped of \(place) must be true or false") }
            expectation.dropped = document.bool(at: droppedIndex)
        }
        if let errorIndex = fields["error"] { expectation.error = try string(errorIndex, "expect.error of \(place)") }
        return expectation
    }
}
