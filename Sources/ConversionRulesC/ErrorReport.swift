// The structured form of an error that a C function reports: what
// cr_last_error_json returns, so that a binding (the Go package) can give
// its callers the code, rule, conversion, step and position as fields
// instead of parsing the message.
import CConversionRulesHeader
import ConversionRules
import Flavors
import Foundation
import RuleDSL

/// An argument that is not what the function needs.
struct ArgumentError: Error { let message: String }

/// One reported error, as the fields of a JSON object; absent fields are
/// omitted. A stream or two-hop error names the innermost rule, conversion
/// and step, where the failure happened.
struct ErrorReport {
    var status: Int32
    var message: String
    var kind = "error"
    var code: String?
    var rule: String?
    var conversion: String?
    var step: Int?
    var chunk: Int?
    var file: String?
    var line: Int?
    var column: Int?
    var position: Int?
    var bodyLine: Int?
    var bodyColumn: Int?

    init(_ error: any Error, status: Int32) {
        self.status = status
        switch error {
        case let argument as ArgumentError:
            message = argument.message
            kind = "invalid_argument"
        case let conversion as ConversionError:
            message = conversion.description
            add(conversion)
        case let catalog as CatalogError:
            message = catalog.description
            add(catalog)
        default:
            message = "\(error)"
        }
    }

    private mutating func add(_ error: ConversionError) {
        rule = error.rule
        conversion = error.conversion
        step = error.step
        add(error.reason)
    }

    private mutating func add(_ reason: ConversionError.Reason) {
        switch reason {
        case .bodyNotJSON(let error):
            kind = "body_not_json"
            (bodyLine, bodyColumn) = (error.line, error.column)
        case .expression(let error, let location):
            kind = "expression"
            (code, position) = (error.code, error.position)
            if let location { (file, line, column) = (location.file, location.line, location.column) }
        case .undefinedResult: kind = "undefined_result"
        case .resultNotJSON: kind = "result_not_json"
        case .missingService: kind = "missing_service"
        case .streamChunk(let index, let inner):
            // The chunk of the outermost stream: a two-hop stream's inner
            // hop counts its own payloads, which the caller never saw.
            if chunk == nil { chunk = index }
            add(inner)
        case .streamFinished: kind = "stream_finished"
        case .streamTooLarge: kind = "stream_too_large"
        case .streamState(let inner):
            add(inner)
            kind = "stream_state_" + kind
        case .stateTooLarge: kind = "stream_state_too_large"
        }
    }

    private mutating func add(_ error: CatalogError) {
        switch error {
        case .malformedConfigRef: kind = "malformed_config_ref"
        case .unknownFlavor: kind = "unknown_flavor"
        case .unknownService: kind = "unknown_service"
        case .templateFailed(let failure):
            kind = "template"
            if let first = failure.diagnostics.first(where: { $0.severity == .error }) {
                (file, line, column) = (first.file, first.line, first.column)
            }
        case .unreadable(let path, _):
            kind = "unreadable"
            file = path
        }
    }

    /// The report as a JSON object.
    var json: String {
        var members: [(String, JSONValue)] = [("status", integer(Int(status))), ("kind", .string(kind)), ("message", .string(message))]
        let texts: [(String, String?)] = [("code", code), ("rule", rule), ("conversion", conversion), ("file", file)]
        members += texts.compactMap { key, value in value.map { (key, JSONValue.string($0)) } }
        let numbers: [(String, Int?)] = [
            ("step", step), ("chunk", chunk), ("line", line), ("column", column), ("position", position),
            ("body_line", bodyLine), ("body_column", bodyColumn),
        ]
        members += numbers.compactMap { key, value in value.map { (key, integer($0)) } }
        return (try? JSONValue.object(JSONObject(members)).jsonText()) ?? "{}"
    }

    private func integer(_ value: Int) -> JSONValue { .number(JSONNumber(Int64(value))) }
}

/// The calling thread's last error report. Each thread keeps its own, in a
/// pthread key whose destructor frees it when the thread ends, so that a
/// caller reads the report of its own last failed call, as with errno.
enum LastErrorReport {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { report in free(report) }
        return key
    }()

    /// Replaces the calling thread's report.
    static func set(_ report: ErrorReport) {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, strdup(report.json))
        free(previous)
    }

    /// A malloc'ed copy of the calling thread's report, or nil when none of
    /// its calls has failed.
    static func copy() -> UnsafeMutablePointer<CChar>? {
        guard let report = pthread_getspecific(key) else { return nil }
        return strdup(report.assumingMemoryBound(to: CChar.self))
    }
}

/// Reports `error` through `errorOut` (its message) and the calling
/// thread's last error report (its fields); returns `status`.
@discardableResult
func fail(_ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ status: Int32, _ error: any Error) -> Int32 {
    let report = ErrorReport(error, status: status)
    LastErrorReport.set(report)
    errorOut?.pointee = strdup(report.message)
    return status
}

/// Reports a bad argument, described by `message`; returns CR_INVALID_ARGUMENT.
@discardableResult
func failArgument(_ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ message: String) -> Int32 {
    fail(errorOut, Int32(CR_INVALID_ARGUMENT), ArgumentError(message: message))
}

@_cdecl("cr_last_error_json")
public func crLastErrorJSON() -> UnsafeMutablePointer<CChar>? {
    LastErrorReport.copy()
}
