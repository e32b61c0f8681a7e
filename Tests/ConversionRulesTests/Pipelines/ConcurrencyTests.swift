import ConversionRules
import Foundation
import RuleDSL
import XCTest

/// Compiled rules are shared by threads; each call brings its own variables.
final class ConcurrencyTests: XCTestCase {
    func testEightThreadsConvertWithTheirOwnVariables() throws {
        let request = try TwoHopConverter(base: .request, service: "chat", from: TestRules.lower, to: TestRules.upper)
        let stream = try TwoHopConverter(base: .streamResponse, service: "chat", from: TestRules.upper, to: TestRules.lower)
        let headers = HTTPHeaders([("Content-Type", "text/event-stream")])
        let failures = LockedCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for iteration in 0..<100 {
                let model = "model-\(thread)-\(iteration)"
                do {
                    let body = #"{"msg":"Text \#(thread)"}"#
                    let outcome = try request.convert(HTTPContent(text: body), variables: ["model": .string(model)])
                    guard case .content(let content) = outcome,
                        String(decoding: content.body, as: UTF8.self) == #"{"model":"\#(model)","text":"text \#(thread)"}"#
                    else {
                        failures.increment()
                        continue
                    }
                    var rewriter = StreamRewriter(converter: stream, inputHeaders: headers, variables: ["id": .string(model)])
                    var output = try rewriter.feed(Array("data: {\"text\":\"a\"}\n\ndata: [DONE]\n\n".utf8)).bytes
                    output += try rewriter.finish().bytes
                    let expected = "data: {\"start\":true}\n\ndata: {\"msg\":\"a\",\"id\":\"\(model)\"}\n\ndata: [DONE]\n\n"
                    if String(decoding: output, as: UTF8.self) != expected { failures.increment() }
                } catch {
                    failures.increment()
                }
            }
        }
        XCTAssertEqual(failures.value, 0)
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
