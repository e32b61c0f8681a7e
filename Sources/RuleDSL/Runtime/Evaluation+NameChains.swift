/// Plain field paths (`a.b`, `choices[0].delta`): walked directly through
/// documents and built objects, as a path over single objects evaluates,
/// handing over to the general path evaluation where arrays are met.
extension Evaluation {
    /// What walking a name chain gave: the value, or a sign that the general
    /// path evaluation must decide (an array on the way).
    enum NameNavigation {
        case value(Value?)
        case needsPathEvaluation
    }

    /// Walks a chain of field names through objects, as a path over single
    /// objects evaluates: a missing field or a non-object on the way gives
    /// undefined; a literal index selects an array element (a single value
    /// is an array of one). Arrays on the way (which a path maps over and
    /// flattens) and result sequences at the end are left to the general
    /// evaluation.
    static func navigate(_ chain: NameChain, from input: borrowing Value?) -> NameNavigation {
        navigate(chain.steps, from: 0, in: input)
    }

    /// The walk from step `position` through `value`, which is borrowed
    /// (recursion, not a variable that would hold a copy of each value on
    /// the way); a member of a built object is looked up as a copy.
    private static func navigate(
        _ chain: UnsafeBufferPointer<NameStep>, from position: Int,
        in value: borrowing Value?
    ) -> NameNavigation {
        guard position < chain.count else { return ending(with: copy value) }
        switch value {
        case .node(let document, let index)?:
            // Inside a document the walk needs no values until the end.
            return navigate(chain, from: position, in: document, at: index)
        case .object(let object)?:
            let member = object[chain[position].name]
            guard position + 1 < chain.count || chain[position].index != nil else {
                // The last step: the member itself is the result (its copy
                // handed over, not copied again).
                return ending(with: member)
            }
            return navigate(chain, from: position, afterMember: member)
        case .array?:
            return .needsPathEvaluation
        default:
            return .value(nil)
        }
    }

    /// The value a walk ends with; a result sequence is left to the general
    /// evaluation (which flattens or keeps it as a path would).
    private static func ending(with value: consuming Value?) -> NameNavigation {
        if case .array(_, let flags)? = value, flags.contains(.sequence) { return .needsPathEvaluation }
        return .value(value)
    }

    /// The walk after step `position` found `member` in a built object: its
    /// index predicate, if any, then the next steps.
    private static func navigate(
        _ chain: UnsafeBufferPointer<NameStep>, from position: Int,
        afterMember member: borrowing Value?
    ) -> NameNavigation {
        guard let wanted = chain[position].index else { return navigate(chain, from: position + 1, in: member) }
        switch member {
        case nil:
            return .value(nil)
        case .node(let document, let index)? where document.kind(at: index) == .array:
            return navigate(chain, from: position, in: document, at: index, selecting: wanted)
        case .array?:
            return .needsPathEvaluation
        default:
            // A single value is an array of one.
            guard wanted == 0 || wanted == -1 else { return .value(nil) }
            return navigate(chain, from: position + 1, in: member)
        }
    }

    /// The walk of a name chain whose first field was found already in a
    /// built object (its value is `member`).
    static func navigate(_ chain: UnsafeBufferPointer<NameStep>, afterFirstMember member: borrowing Value?) -> NameNavigation {
        guard chain.count > 1 || chain[0].index != nil else { return ending(with: copy member) }
        return navigate(chain, from: 0, afterMember: member)
    }

    /// The walk of a name chain whose first field was found already (its
    /// value is at `member`), up to the index of the value it ends at.
    static func navigateToIndex(
        _ chain: UnsafeBufferPointer<NameStep>, afterFirstField member: JSONDocument.Index,
        in document: JSONDocument
    ) -> DocumentNavigation {
        if let wanted = chain[0].index {
            return navigateToIndex(chain, from: 0, in: document, at: member, selecting: wanted)
        }
        return navigateToIndex(chain, from: 1, in: document, at: member)
    }

    /// Where a name chain's walk inside a document ends: at a value (its
    /// index), at nothing, or at arrays the general evaluation must decide.
    enum DocumentNavigation {
        case index(JSONDocument.Index)
        case absent
        case needsPathEvaluation

        /// The walk's result with its value made (from `document`).
        func navigation(in document: JSONDocument) -> NameNavigation {
            switch self {
            case .index(let index): return .value(Value.fromDocument(document, index))
            case .absent: return .value(nil)
            case .needsPathEvaluation: return .needsPathEvaluation
            }
        }
    }

    /// The rest of a name chain's walk, from step `first`, inside a document:
    /// only index positions change hands, and one value is made at the end.
    /// With `selecting`, the step's field was already looked up (it is
    /// `index`) and only its index predicate is left to apply.
    private static func navigate(
        _ chain: UnsafeBufferPointer<NameStep>, from first: Int, in document: JSONDocument,
        at start: JSONDocument.Index, selecting pendingIndex: Int? = nil
    ) -> NameNavigation {
        navigateToIndex(chain, from: first, in: document, at: start, selecting: pendingIndex).navigation(in: document)
    }

    /// The walk of ``navigate(_:from:in:at:selecting:)`` up to the index of
    /// the value it ends at (a caller writing the value needs no value made).
    private static func navigateToIndex(
        _ chain: UnsafeBufferPointer<NameStep>, from first: Int, in document: JSONDocument,
        at start: JSONDocument.Index, selecting pendingIndex: Int? = nil
    ) -> DocumentNavigation {
        var index = start
        var position = first
        if let pendingIndex {
            guard let element = select(pendingIndex, of: index, in: document) else { return .absent }
            guard element >= 0 else { return .needsPathEvaluation }
            index = element
            position += 1
        }
        while position < chain.count {
            switch document.kind(at: index) {
            case .object: break
            case .array: return .needsPathEvaluation
            default: return .absent
            }
            let found = document.member(of: index, keyBytes: chain[position].bytes)
            guard let found else { return .absent }
            index = found
            if let wanted = chain[position].index {
                guard let element = select(wanted, of: index, in: document) else { return .absent }
                guard element >= 0 else { return .needsPathEvaluation }
                index = element
            }
            position += 1
        }
        return .index(index)
    }

    /// The element a literal index predicate selects from the document value
    /// at `index` (an array, or a single value as an array of one); negative
    /// positions count from the end. Nil when there is none; -1 when the
    /// element is itself an array, which a path would flatten (the general
    /// evaluation decides).
    private static func select(_ wanted: Int, of index: JSONDocument.Index, in document: JSONDocument) -> JSONDocument.Index? {
        guard document.kind(at: index) == .array else {
            return wanted == 0 || wanted == -1 ? index : nil
        }
        let count = document.count(at: index)
        guard let element = document.element(of: index, at: wanted < 0 ? wanted + count : wanted) else { return nil }
        return document.kind(at: element) == .array ? -1 : element
    }
}

/// A ``FieldBatch`` resolved against one input object: where its first
/// field names were found (-1: absent). Held without counting references
/// (the input, which its evaluation holds, keeps the object alive), so that
/// the evaluation may keep it at hand for the field paths inside the values.
struct ResolvedFields {
    /// The object the fields were found in.
    enum Source {
        /// An object in a document; `found` holds the indexes of the values.
        case document(Unmanaged<JSONDocument>, object: JSONDocument.Index)
        /// A built object's member storage; `found` holds member positions.
        case members(UnsafePointer<ObjectMember>)
    }

    /// The plan (owned by the constructor's node).
    let batch: UnsafePointer<FieldBatch>
    let source: Source
    let found: UnsafeMutableBufferPointer<Int>

    /// What walking a field path gave: a value, a value in the input
    /// document (its index: a caller that only writes it needs no value
    /// made), or a sign that the general path evaluation must decide.
    enum Walked {
        case value(Value?)
        case documentValue(Unmanaged<JSONDocument>, JSONDocument.Index)
        case needsPathEvaluation

        /// The walk's result with its value made.
        var navigation: Evaluation.NameNavigation {
            switch self {
            case .value(let value): return .value(value)
            case .documentValue(let document, let index):
                return document.withGuaranteedReference { document in .value(Value.fromDocument(document, index)) }
            case .needsPathEvaluation: return .needsPathEvaluation
            }
        }
    }

    /// The walk of value `index`'s field path from its found first field;
    /// nil when that value is not a field path.
    func walk(_ index: Int) -> Walked? {
        guard let chain = batch.pointee.chains[index] else { return nil }
        return walk(chain, from: found[batch.pointee.slots[index]])
    }

    /// The walk of `node`'s field path against `input` from its found first
    /// field; nil when `node` is not one of the batch's nested field paths
    /// or `input` is not the object the fields were found in.
    func walk(_ node: RuleExpression.Node, _ input: borrowing Value?) -> Evaluation.NameNavigation? {
        guard isSource(input), let slot = batch.pointee.nestedSlot(of: node), let chain = node.nameChain else { return nil }
        return walk(chain, from: found[slot]).navigation
    }

    private func isSource(_ input: borrowing Value?) -> Bool {
        switch source {
        case .document(let document, let object): return Value.isNode(input, at: object, of: document)
        case .members(let members): return Value.isObject(input, withMembersAt: UnsafeRawPointer(members))
        }
    }

    /// The walk of `chain` from its first field, found at `member` (-1: absent).
    private func walk(_ chain: NameChain, from member: Int) -> Walked {
        if member < 0 { return .value(nil) }
        switch source {
        case .document(let document, _):
            let walked = document.withGuaranteedReference { document in
                Evaluation.navigateToIndex(chain.steps, afterFirstField: member, in: document)
            }
            switch walked {
            case .index(let index): return .documentValue(document, index)
            case .absent: return .value(nil)
            case .needsPathEvaluation: return .needsPathEvaluation
            }
        case .members(let members):
            switch Evaluation.navigate(chain.steps, afterFirstMember: members[member].value) {
            case .value(let value): return .value(value)
            case .needsPathEvaluation: return .needsPathEvaluation
            }
        }
    }
}
