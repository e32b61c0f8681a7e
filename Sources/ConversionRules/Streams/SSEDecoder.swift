import RuleDSL

/// Incremental Server-Sent Events decoder (the HTML event-stream rules):
/// lines end in `\n`, `\r\n` or `\r`; `data:` values (one leading space
/// removed) are joined with `\n`; `event:`, `id:`, `retry:` and comment lines
/// are not payload; a blank line ends an event; an event without data is
/// not a payload; an event still open at end of input is discarded, as the
/// rules say; a UTF-8 byte order mark at the start of the stream is not
/// part of the first line.
public struct SSEDecoder: StreamDecoder {
    private let limits: StreamLimits
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    /// A `\r` ended the last line: a `\n` right after it belongs to it.
    private var afterCarriageReturn = false
    /// The first bytes of the stream, held until it is known whether they
    /// are a byte order mark (which may arrive split over reads).
    private var start: [UInt8]? = []
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A decoder that holds at most `limits` of a pending line or event.
    public init(limits: StreamLimits = StreamLimits()) {
        self.limits = limits
    }

    public mutating func feed(_ bytes: [UInt8]) throws(StreamTooLargeError) -> [[UInt8]] {
        guard var pending = start else { return try decode(bytes) }
        pending += bytes
        if pending.count < 3, Self.byteOrderMark.starts(with: pending) {
            start = pending
            return []
        }
        start = nil
        if pending.starts(with: Self.byteOrderMark) { pending.removeFirst(3) }
        return try decode(pending)
    }

    private mutating func decode(_ bytes: [UInt8]) throws(StreamTooLargeError) -> [[UInt8]] {
        var payloads: [[UInt8]] = []
        try bytes.withUnsafeBufferPointer { bytes throws(StreamTooLargeError) in
            var index = 0
            while index < bytes.count {
                if afterCarriageReturn {
                    afterCarriageReturn = false
                    if bytes[index] == UInt8(ascii: "\n") {
                        index += 1
                        continue
                    }
                }
                let end = Self.lineEnd(in: bytes, from: index)
                guard line.count + (end - index) <= limits.maximumLineBytes else {
                    throw StreamTooLargeError(what: "line", limit: limits.maximumLineBytes)
                }
                guard end < bytes.count else {
                    line.append(contentsOf: bytes[index..<end])
                    break
                }
                if line.isEmpty {
                    // A line whole in this read is used where it is, not copied.
                    try endLine(UnsafeBufferPointer(rebasing: bytes[index..<end]), into: &payloads)
                } else {
                    line.append(contentsOf: bytes[index..<end])
                    try endPendingLine(into: &payloads)
                }
                afterCarriageReturn = bytes[end] == UInt8(ascii: "\r")
                index = end + 1
            }
        }
        return payloads
    }

    public mutating func finish() throws(StreamTooLargeError) -> [[UInt8]] {
        line.removeAll()
        start = nil
        data.removeAll()
        hasData = false
        return []
    }

    /// The position of the first `\n` or `\r` from `start`, or the end of
    /// `bytes`: eight bytes at a time (a payload line is mostly JSON text
    /// without either).
    static func lineEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var position = start
        guard let base = bytes.baseAddress else { return start }
        while position + 8 <= bytes.count {
            let word = ByteWords.load(base, at: position)
            let marks = ByteWords.equal(word, to: UInt8(ascii: "\n")) | ByteWords.equal(word, to: UInt8(ascii: "\r"))
            if marks != 0 { return position + ByteWords.firstFlagged(marks) }
            position += 8
        }
        while position < bytes.count, bytes[position] != UInt8(ascii: "\n"), bytes[position] != UInt8(ascii: "\r") {
            position += 1
        }
        return position
    }

    /// Ends the line gathered over several reads.
    private mutating func endPendingLine(into payloads: inout [[UInt8]]) throws(StreamTooLargeError) {
        // Moved out so that the line can be read while the decoder changes;
        // moved back after, to keep its capacity.
        var pending: [UInt8] = []
        swap(&pending, &line)
        defer {
            pending.removeAll(keepingCapacity: true)
            swap(&pending, &line)
        }
        try pending.withUnsafeBufferPointer { line throws(StreamTooLargeError) in try endLine(line, into: &payloads) }
    }

    private mutating func endLine(_ line: UnsafeBufferPointer<UInt8>, into payloads: inout [[UInt8]]) throws(StreamTooLargeError) {
        if line.isEmpty {
            if hasData { payloads.append(data) }
            data.removeAll(keepingCapacity: true)
            hasData = false
            return
        }
        if line[0] == UInt8(ascii: ":") { return }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.count
        guard colon == 4, line[0] == UInt8(ascii: "d"), line[1] == UInt8(ascii: "a"),
            line[2] == UInt8(ascii: "t"), line[3] == UInt8(ascii: "a")
        else { return }
        var valueStart = min(colon + 1, line.count)
        if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        guard data.count + 1 + (line.count - valueStart) <= limits.maximumEventBytes else {
            throw StreamTooLargeError(what: "event", limit: limits.maximumEventBytes)
        }
        if hasData { data.append(UInt8(ascii: "\n")) }
        data.append(contentsOf: line[valueStart...])
        hasData = true
    }
}

/// Incremental NDJSON decoder: one payload per line; a trailing `\r` is not
/// part of it; blank lines are skipped; a last line without a newline is a
/// payload at end of input.
public struct NDJSONDecoder: StreamDecoder {
    private let limits: StreamLimits
    private var line: [UInt8] = []

    /// A decoder that holds at most `limits.maximumLineBytes` of a pending line.
    public init(limits: StreamLimits = StreamLimits()) {
        self.limits = limits
    }

    public mutating func feed(_ bytes: [UInt8]) throws(StreamTooLargeError) -> [[UInt8]] {
        var payloads: [[UInt8]] = []
        var index = 0
        while index < bytes.count {
            let end = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            guard line.count + (end - index) <= limits.maximumLineBytes else {
                throw StreamTooLargeError(what: "line", limit: limits.maximumLineBytes)
            }
            line.append(contentsOf: bytes[index..<end])
            guard end < bytes.count else { break }
            emit(into: &payloads)
            index = end + 1
        }
        return payloads
    }

    public mutating func finish() throws(StreamTooLargeError) -> [[UInt8]] {
        var payloads: [[UInt8]] = []
        emit(into: &payloads)
        return payloads
    }

    private mutating func emit(into payloads: inout [[UInt8]]) {
        defer { line.removeAll(keepingCapacity: true) }
        var payload = line[...]
        if payload.last == UInt8(ascii: "\r") { payload = payload.dropLast() }
        if payload.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) { return }
        payloads.append(Array(payload))
    }
}
