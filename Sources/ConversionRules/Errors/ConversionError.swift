import RuleDSL

/// A conversion that failed: which rule, conversion and step, and why.
public struct ConversionError: Error, Sendable, CustomStringConvertible {
    /// Why a conversion failed.
    public indirect enum Reason: Sendable {
        /// The body is not JSON, so an expression step cannot read it.
        case bodyNotJSON(JSONReadError)
        /// The expression failed; with its JSONata code and position.
        case expression(JSONataError, location: SourceLocation?)
        /// The expression's result is undefined.
        case undefinedResult
        /// The result cannot be written as JSON (a non-finite number).
        case resultNotJSON(JSONWriteError)
        /// The flavor has no such service.
        case missingService(flavor: String, service: String)
        /// A stream payload failed; the chunk's index and the error.
        case streamChunk(index: Int, ConversionError)
        /// Bytes were fed to a stream that was already finished.
        case streamFinished
        /// A stream's line or event grew past its limit without ending.
        case streamTooLarge(StreamTooLargeError)
        /// The conversion's stream state (its `state` declaration) failed.
        case streamState(Reason)
        /// A stream state written as JSON is larger than ``StreamStateRule/maximumBytes``.
        case stateTooLarge(bytes: Int)
    }

    /// The rule, as `flavor:service`.
    public let rule: String
    /// The conversion, such as `request_from_aog`.
    public let conversion: String
    /// The step (1-based), when a step failed.
    public let step: Int?
    public let reason: Reason

    public init(rule: String, conversion: String, step: Int?, reason: Reason) {
        self.rule = rule
        self.conversion = conversion
        self.step = step
        self.reason = reason
    }

    public var description: String {
        let place = "\(rule) \(conversion)" + (step.map { " step \($0)" } ?? "")
        switch reason {
        case .bodyNotJSON(let error):
            return "\(place): body is not JSON: \(error.message) at line \(error.line), column \(error.column)"
        case .expression(let error, let location):
            let at = location.map { " at \($0)" } ?? " at position \(error.position) of the expression"
            return "\(place): \(error.code) \(error.message)\(at)"
        case .undefinedResult:
            return "\(place): the expression produced no value (undefined)"
        case .resultNotJSON(let error):
            return "\(place): \(error)"
        case .missingService(let flavor, let service):
            return "flavor \(flavor) has no service \(service)"
        case .streamChunk(let index, let error):
            return "stream chunk \(index): \(error)"
        case .streamTooLarge(let error):
            return "\(place): \(error)"
        case .streamFinished:
            return "\(place): the stream was already finished; open a new one for more input"
        case .streamState(let inner):
            let failure = ConversionError(rule: rule, conversion: conversion, step: nil, reason: inner).description
            return "the stream state of " + failure
        case .stateTooLarge(let bytes):
            return "\(place): the stream state is \(bytes) bytes as JSON, more than the \(StreamStateRule.maximumBytes) a stream may keep"
        }
    }
}
