/// Object constructors whose keys are distinct string literals (the shape
/// of nearly every conversion rule): only the values are evaluated, and
/// their members go either into a built object or, for the result of a
/// whole expression that is written at once, straight into JSON text.
extension Evaluation {
    /// Adds the members of a literal-key constructor to `sink`, in order,
    /// skipping undefined values. Over an input object (in a document or
    /// built), the field paths of the values, and those inside the values,
    /// start from members found in one pass (``FieldBatch``).
    func addMembers<Sink: MemberSink>(
        of node: Node, _ values: Operands, _ literalKeys: LiteralKeys, _ input: Value?,
        _ frame: Frame, to sink: inout Sink
    ) throws(JSONataError) {
        guard let batch = node.fieldBatch else {
            return try addMembers(values, literalKeys, input, frame, resolved: nil, to: &sink)
        }
        // The plan is referred to by address (it is too large to copy for
        // each field path); the found members live in temporary memory on
        // the stack. Both closures are untyped: the error comes out beside.
        var failure: JSONataError? = nil
        let added = withUnsafePointer(to: batch) { batch in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: batch.pointee.names.count) { found in
                addMembers(values, literalKeys, input, frame, planned: batch, found: found, to: &sink, failure: &failure)
            }
        }
        if let failure { throw failure }
        if !added { try addMembers(values, literalKeys, input, frame, resolved: nil, to: &sink) }
    }

    /// Finds the planned fields in the input object and adds the members
    /// with them at hand; false (nothing added) when the input is no object.
    private func addMembers<Sink: MemberSink>(
        _ values: Operands, _ literalKeys: LiteralKeys, _ input: Value?, _ frame: Frame,
        planned batch: UnsafePointer<FieldBatch>, found: UnsafeMutableBufferPointer<Int>,
        to sink: inout Sink, failure: inout JSONataError?
    ) -> Bool {
        switch input {
        case .node(let document, let object)? where document.kind(at: object) == .object:
            batch.pointee.resolve(in: document, object: object, into: found)
            let resolved = ResolvedFields(batch: batch, source: .document(.passUnretained(document), object: object), found: found)
            failure = addMembers(values, literalKeys, input, frame, resolvedBy: resolved, to: &sink)
            return true
        case .object(let object)? where object.count > 0:
            batch.pointee.resolve(in: object, into: found)
            // The input holds the object, and with it the member storage.
            return object.entries.withUnsafeBufferPointer { members in
                let resolved = ResolvedFields(batch: batch, source: .members(members.baseAddress!), found: found)
                failure = addMembers(values, literalKeys, input, frame, resolvedBy: resolved, to: &sink)
                return true
            }
        default:
            return false
        }
    }

    /// Adds the members with `resolved` at hand, for the values and (as
    /// ``activeFields``) for the field paths inside them; returns the error
    /// that stopped it.
    private func addMembers<Sink: MemberSink>(
        _ values: Operands, _ literalKeys: LiteralKeys, _ input: Value?, _ frame: Frame,
        resolvedBy resolved: ResolvedFields, to sink: inout Sink
    ) -> JSONataError? {
        withUnsafePointer(to: resolved) { resolvedPointer in
            let enclosing = activeFields
            activeFields = resolvedPointer
            defer { activeFields = enclosing }
            do throws(JSONataError) {
                try addMembers(values, literalKeys, input, frame, resolved: resolved, to: &sink)
                return nil
            } catch {
                return error
            }
        }
    }

    /// Each value walked from its resolved first field when it has one, put
    /// in as an object when it is itself a literal-key constructor (a
    /// writer writes it in place), evaluated otherwise (and when the walk
    /// meets arrays).
    private func addMembers<Sink: MemberSink>(
        _ values: Operands, _ literalKeys: LiteralKeys, _ input: Value?, _ frame: Frame,
        resolved: ResolvedFields?, to sink: inout Sink
    ) throws(JSONataError) {
        for index in 0..<values.count {
            switch resolved?.walk(index) {
            case .value(let walked)?:
                if let walked { sink.add(literalKeys, index, walked) }
                continue
            case .documentValue(let document, let value)?:
                document.withGuaranteedReference { document in sink.add(literalKeys, index, document: document, at: value) }
                continue
            case .needsPathEvaluation?, nil:
                break
            }
            let valueNode = values[index]
            let nested = try valueNode.withGuaranteedReference { node throws(JSONataError) -> Bool in
                guard let parts = Self.literalObjectParts(node, input) else { return false }
                try sink.addObject(literalKeys, index, capacity: parts.values.count) { object throws(JSONataError) in
                    // The closure captures the unmanaged node: capturing the
                    // node itself would count a reference on it (shared by
                    // every thread) for each object built.
                    try valueNode.withGuaranteedReference { node throws(JSONataError) in
                        try enter(node)
                        defer { leave() }
                        try addMembers(of: node, parts.values, parts.keys, input, frame, to: &object)
                    }
                }
                return true
            }
            if nested { continue }
            guard let value = try evaluate(values[index], input, frame) else { continue }
            sink.add(literalKeys, index, value)
        }
    }

    /// The values and keys of a literal-key object constructor that
    /// evaluates to its members alone (no predicates, bindings or grouping;
    /// an array input would group): what ``evaluate(_:_:_:)`` would build.
    private static func literalObjectParts(_ node: Node, _ input: Value?) -> (values: Operands, keys: LiteralKeys)? {
        guard case .literalObject = node.route, node.isPlain, !(input?.isArray ?? false),
            let keys = node.literalKeys, let values = node.operands
        else { return nil }
        return (values, keys)
    }

    /// Evaluates the expression `root` and writes its result to `writer`:
    /// the same text as evaluating and then writing the value, but a
    /// literal-key object constructor at the root writes each member as it
    /// is evaluated, so that the object is never built. So does one that a
    /// condition at the root chooses (`$exists(error) ? {...} : {...}`).
    /// - Returns: false when the result is undefined (nothing is written).
    /// - Throws: ``ResultWriteError``.
    func write(_ root: Node, _ input: Value?, to writer: inout JSONWriter) throws(ResultWriteError) -> Bool {
        if root.isPlain, case .condition(let test, let then, let otherwise) = root.kind {
            let chosen: Node?
            do throws(JSONataError) {
                try enter(root)
                defer { leave() }
                chosen = Self.truthy(try evaluate(test, input, self)) ? then : otherwise
            } catch {
                throw .evaluation(error)
            }
            guard let chosen else { return false }
            return try write(chosen, input, to: &writer)
        }
        guard let (values, keys) = Self.literalObjectParts(root, input) else {
            let value: Value?
            do throws(JSONataError) {
                value = RuleExpression.finalize(try evaluate(root, input, self))
            } catch {
                throw .evaluation(error)
            }
            guard let value else { return false }
            do throws(JSONWriteError) {
                try value.write(to: &writer)
            } catch {
                throw .writing(error)
            }
            return true
        }
        let failure: JSONWriteError?
        do throws(JSONataError) {
            try enter(root)
            defer { leave() }
            failure = try MemberWriter.writeObject(into: &writer) { members throws(JSONataError) in
                try addMembers(of: root, values, keys, input, self, to: &members)
            }
        } catch {
            throw .evaluation(error)
        }
        if let failure { throw .writing(failure) }
        return true
    }
}

/// Where a literal-key object constructor puts its members.
protocol MemberSink {
    /// Adds the member of key `index` of `keys`; keys come in order.
    mutating func add(_ keys: LiteralKeys, _ index: Int, _ value: consuming Value)
    /// Adds the member of key `index` of `keys` whose value is the value at
    /// `value` in `document` (a writer copies its text, making no value).
    mutating func add(_ keys: LiteralKeys, _ index: Int, document: JSONDocument, at value: JSONDocument.Index)
    /// Adds the member of key `index` of `keys` whose value is the object
    /// that `fill` puts members into (expecting about `capacity`).
    mutating func addObject(
        _ keys: LiteralKeys, _ index: Int, capacity: Int,
        _ fill: (inout Self) throws(JSONataError) -> Void) throws(JSONataError)
}

extension ObjectValue: MemberSink {
    mutating func add(_ keys: LiteralKeys, _ index: Int, _ value: consuming Value) {
        appendNew(keys[index], value)
    }

    mutating func add(_ keys: LiteralKeys, _ index: Int, document: JSONDocument, at value: JSONDocument.Index) {
        appendNew(keys[index], Value.fromDocument(document, value))
    }

    mutating func addObject(
        _ keys: LiteralKeys, _ index: Int, capacity: Int,
        _ fill: (inout ObjectValue) throws(JSONataError) -> Void
    ) throws(JSONataError) {
        var object = ObjectValue(capacity: capacity)
        try fill(&object)
        appendNew(keys[index], .object(object))
    }
}

/// Writes members as JSON text (the braces are the caller's), as writing
/// the built object would.
struct MemberWriter: MemberSink {
    var writer = JSONWriter(capacity: 0)
    private var first = true
    /// The first value that could not be written; later members are skipped.
    private(set) var failure: JSONWriteError? = nil

    mutating func add(_ keys: LiteralKeys, _ index: Int, _ value: consuming Value) {
        guard appendKey(keys, index) else { return }
        do throws(JSONWriteError) {
            try value.write(to: &writer)
        } catch {
            failure = error
        }
    }

    mutating func add(_ keys: LiteralKeys, _ index: Int, document: JSONDocument, at value: JSONDocument.Index) {
        guard appendKey(keys, index) else { return }
        writer.appendValue(of: document, at: value)
    }

    mutating func addObject(
        _ keys: LiteralKeys, _ index: Int, capacity: Int,
        _ fill: (inout MemberWriter) throws(JSONataError) -> Void
    ) throws(JSONataError) {
        guard appendKey(keys, index) else { return }
        failure = try Self.writeObject(into: &writer, fill)
    }

    /// Writes the pre-encoded key with its punctuation; false (nothing
    /// written) once a value has failed.
    private mutating func appendKey(_ keys: LiteralKeys, _ index: Int) -> Bool {
        guard failure == nil else { return false }
        writer.appendEncoded(keys.encoded(index, first: first))
        first = false
        return true
    }

    /// Writes `{`, the members `fill` adds (their commas starting afresh),
    /// and `}` into `writer`.
    /// - Returns: the first value that could not be written, if any.
    /// - Throws: what `fill` throws.
    static func writeObject(
        into writer: inout JSONWriter,
        _ fill: (inout MemberWriter) throws(JSONataError) -> Void
    ) throws(JSONataError) -> JSONWriteError? {
        // The writer moves into the member writer and back: a copy would
        // share its bytes, and the first append would copy them all.
        var members = MemberWriter()
        swap(&members.writer, &writer)
        defer { swap(&members.writer, &writer) }
        members.writer.appendByte(UInt8(ascii: "{"))
        try fill(&members)
        members.writer.appendByte(UInt8(ascii: "}"))
        return members.failure
    }
}
