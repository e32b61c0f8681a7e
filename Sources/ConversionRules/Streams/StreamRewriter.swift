import RuleDSL

/// What a stream rewriter produced from one read: bytes to write and, for
/// inspection, the payloads those bytes frame (prologue and epilogue included).
public struct StreamOutput: Sendable, Equatable {
    public var bytes: [UInt8] = []
    public var payloads: [[UInt8]] = []

    public init(bytes: [UInt8] = [], payloads: [[UInt8]] = []) {
        self.bytes = bytes
        self.payloads = payloads
    }

    mutating func append(_ other: StreamOutput) {
        bytes.append(contentsOf: other.bytes)
        payloads.append(contentsOf: other.payloads)
    }
}

/// Rewrites a streamed response incrementally: it is fed the bytes as they
/// arrive and returns the bytes to send, converting each payload with one set
/// of variables for the whole stream.
///
/// - Input framing comes from the input Content-Type (SSE, otherwise NDJSON).
/// - Blank and dropped payloads are skipped; the stream goes on.
/// - Output framing: the Content-Type of the first converted payload's
///   headers when it names SSE or NDJSON, otherwise the input's framing.
/// - Prologue entries go before the first output payload, epilogue entries
///   after the last, framed like payloads; an entry starting with `data:` is
///   taken as already framed (its text after `data:` is the payload).
/// - A payload that fails ends the stream with an error naming its index.
///   Every payload before it is delivered as whole frames first: when one
///   read completes good payloads and then a failing one, that read returns
///   the good frames and the next call (`feed` or `finish`) throws.
///
/// The output does not depend on how the input is split into reads. A
/// rewriter belongs to one stream and one thread at a time.
public struct StreamRewriter {
    /// Converts one payload (as content with the stream's headers).
    public typealias PayloadConverter = (HTTPContent) throws(ConversionError) -> StepOutcome
    /// Converts one payload; the flag says whether the result's headers are
    /// used (only the first converted payload's are).
    /// The stream's states are passed along (the rewriter owns them).
    typealias BodyConverter = (HTTPContent, _ headersNeeded: Bool, inout StreamStates) throws(ConversionError) -> StepOutcome

    private var decoder: any StreamDecoder
    private let inputHeaders: HTTPHeaders
    private let inputFraming: StreamFraming
    private let convert: BodyConverter
    private let prologue: [[UInt8]]
    private let epilogue: [[UInt8]]
    private let passThrough: Bool
    private var pendingPrologue: Bool
    private var payloadIndex = 0
    private var failure: ConversionError?
    /// What the conversions keep from one payload to the next.
    private var states = StreamStates()
    private var finished = false

    /// Whether ``finish()`` was called: the stream takes no more input.
    public var isFinished: Bool { finished }

    /// The headers of the first converted payload (the response head), or the
    /// input headers until one is converted.
    public private(set) var outputHeaders: HTTPHeaders
    /// The framing of the output, decided by the first converted payload.
    public private(set) var outputFraming: StreamFraming?
    /// How many payloads a step dropped so far.
    public private(set) var droppedPayloads = 0

    /// A rewriter that converts each payload with `convert`.
    /// `streamLimits` bound how much of a pending line or event is held.
    public init(
        inputHeaders: HTTPHeaders, prologue: [String] = [], epilogue: [String] = [],
        passThrough: Bool = false, streamLimits: StreamLimits = StreamLimits(),
        convert: @escaping PayloadConverter
    ) {
        self.init(
            inputHeaders: inputHeaders, prologue: prologue, epilogue: epilogue, passThrough: passThrough,
            streamLimits: streamLimits, bodyConverter: { content, _, _ throws(ConversionError) in try convert(content) })
    }

    private init(
        inputHeaders: HTTPHeaders, prologue: [String], epilogue: [String],
        passThrough: Bool, streamLimits: StreamLimits, bodyConverter convert: @escaping BodyConverter
    ) {
        // The rewriter's own copy: each payload's content holds the headers,
        // and streams on other threads should not count references to the
        // same buffer.
        self.inputHeaders = HTTPHeaders(inputHeaders.fields.map { $0 })
        self.inputFraming = StreamFraming(contentType: inputHeaders["Content-Type"]) ?? .ndjson
        self.decoder = inputFraming == .serverSentEvents ? SSEDecoder(limits: streamLimits) : NDJSONDecoder(limits: streamLimits)
        self.convert = convert
        self.prologue = prologue.map(Self.entryPayload)
        self.epilogue = epilogue.map(Self.entryPayload)
        self.passThrough = passThrough
        self.pendingPrologue = !prologue.isEmpty
        self.outputHeaders = inputHeaders
    }

    /// A rewriter for one stream conversion of a service; its prologue and
    /// epilogue come from that conversion's own definition.
    public init(
        rules: ServiceRules, conversion: ConversionKind, inputHeaders: HTTPHeaders,
        variables: [String: Value], limits: EvaluationLimits = EvaluationLimits(),
        streamLimits: StreamLimits = StreamLimits()
    ) {
        let pipeline = rules.pipeline(conversion)
        let variables = Self.ownCopy(variables)
        self.init(
            inputHeaders: inputHeaders, prologue: pipeline.prologue, epilogue: pipeline.epilogue,
            passThrough: false, streamLimits: streamLimits
        ) { content, headersNeeded, states throws(ConversionError) in
            try rules.convert(conversion, content, variables: variables, limits: limits, headersNeeded: headersNeeded, state: &states.target)
        }
    }

    /// A rewriter for a two-hop stream conversion (base `stream_response`);
    /// prologue and epilogue come from the target (client) flavor's
    /// `stream_response_from_aog`. Between a flavor and itself the bytes pass unchanged.
    public init(
        converter: TwoHopConverter, inputHeaders: HTTPHeaders, variables: [String: Value],
        limits: EvaluationLimits = EvaluationLimits(), streamLimits: StreamLimits = StreamLimits()
    ) {
        let pipeline = converter.targetPipeline ?? .identity
        let variables = Self.ownCopy(variables)
        // Every payload carries the stream's headers: whether the body is
        // binary (and passes unchanged) is decided once.
        let isBinary = HTTPContent(headers: inputHeaders, body: []).isBinary
        self.init(
            inputHeaders: inputHeaders, prologue: pipeline.prologue, epilogue: pipeline.epilogue,
            passThrough: converter.isPassThrough, streamLimits: streamLimits
        ) { content, headersNeeded, states throws(ConversionError) in
            if isBinary { return .content(content) }
            return try converter.convert(
                content, variables: variables, limits: limits, headersNeeded: headersNeeded,
                binaryChecked: true, states: &states)
        }
    }

    /// A copy of the stream's variables in storage of its own: every
    /// payload's evaluation holds them, and streams on other threads with
    /// the same variables should not count references to the same storage.
    private static func ownCopy(_ variables: [String: Value]) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: variables.map { ($0.key, $0.value) })
    }

    /// A prologue or epilogue entry as a payload: `data: X` is the pre-framed X.
    private static func entryPayload(_ entry: String) -> [UInt8] {
        var bytes = Array(entry.utf8)
        guard bytes.starts(with: "data:".utf8) else { return bytes }
        bytes.removeFirst(5)
        if bytes.first == UInt8(ascii: " ") { bytes.removeFirst() }
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        return bytes
    }

    /// Converts the payloads that `bytes` completes.
    /// - Throws: ``ConversionError`` (reason ``ConversionError/Reason/streamChunk(index:_:)``)
    ///   when a payload fails, once the frames of the payloads before it
    ///   were returned; the rewriter then stays failed. Reason
    ///   ``ConversionError/Reason/streamFinished`` after ``finish()``.
    public mutating func feed(_ bytes: [UInt8]) throws(ConversionError) -> StreamOutput {
        if let failure { throw failure }
        guard !finished else { throw ConversionError(rule: "stream", conversion: "feed", step: nil, reason: .streamFinished) }
        if passThrough {
            let payloads = try decoded { decoder throws(StreamTooLargeError) in try decoder.feed(bytes) }
            return StreamOutput(bytes: bytes, payloads: payloads)
        }
        return try convert(decoded { decoder throws(StreamTooLargeError) in try decoder.feed(bytes) })
    }

    /// What the decoder gives; a line or event past its limit fails the stream.
    private mutating func decoded(_ step: (inout any StreamDecoder) throws(StreamTooLargeError) -> [[UInt8]]) throws(ConversionError) -> [[UInt8]] {
        do throws(StreamTooLargeError) {
            return try step(&decoder)
        } catch {
            let wrapped = ConversionError(rule: "stream", conversion: "input", step: nil, reason: .streamTooLarge(error))
            failure = wrapped
            throw wrapped
        }
    }

    /// The frames of `payloads`, up to the first that fails. With frames to
    /// deliver, the failure is kept for the next call; without, it is thrown.
    private mutating func convert(_ payloads: [[UInt8]]) throws(ConversionError) -> StreamOutput {
        var output = StreamOutput()
        for payload in payloads {
            do throws(ConversionError) {
                try process(payload, into: &output)
            } catch {
                if output.bytes.isEmpty { throw error }
                return output
            }
        }
        return output
    }

    /// Ends the stream: converts what is pending and writes the epilogue
    /// (and the prologue, if no payload came through).
    /// - Throws: ``ConversionError`` as ``feed(_:)``.
    public mutating func finish() throws(ConversionError) -> StreamOutput {
        if let failure { throw failure }
        guard !finished else { return StreamOutput() }
        finished = true
        if passThrough { return StreamOutput(payloads: try decoded { decoder throws(StreamTooLargeError) in try decoder.finish() }) }
        var output = try convert(decoded { decoder throws(StreamTooLargeError) in try decoder.finish() })
        // A failure in the last payloads: their good frames are returned
        // now, the error by the next call.
        if failure != nil { return output }
        let framing = outputFraming ?? inputFraming
        if pendingPrologue { writePrologue(framing, into: &output) }
        for entry in epilogue { write(entry, framing, into: &output) }
        return output
    }

    private mutating func process(_ payload: [UInt8], into output: inout StreamOutput) throws(ConversionError) {
        if payload.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return }
        let index = payloadIndex
        payloadIndex += 1
        let outcome: StepOutcome
        do throws(ConversionError) {
            // Only the first converted payload's headers are used.
            outcome = try convert(HTTPContent(headers: inputHeaders, body: payload), outputFraming == nil, &states)
        } catch {
            let wrapped = ConversionError(
                rule: error.rule, conversion: error.conversion, step: error.step,
                reason: .streamChunk(index: index, error))
            failure = wrapped
            throw wrapped
        }
        guard case .content(let converted) = outcome else {
            droppedPayloads += 1
            return
        }
        if outputFraming == nil {
            outputFraming = StreamFraming(contentType: converted.headers["Content-Type"]) ?? inputFraming
            outputHeaders = converted.headers
        }
        let framing = outputFraming!
        if pendingPrologue { writePrologue(framing, into: &output) }
        write(converted.body, framing, into: &output)
    }

    private mutating func writePrologue(_ framing: StreamFraming, into output: inout StreamOutput) {
        pendingPrologue = false
        for entry in prologue { write(entry, framing, into: &output) }
    }

    private func write(_ payload: [UInt8], _ framing: StreamFraming, into output: inout StreamOutput) {
        framing.frame(payload, into: &output.bytes)
        output.payloads.append(payload)
    }
}
