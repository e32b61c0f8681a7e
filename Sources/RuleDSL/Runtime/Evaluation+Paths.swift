/// Paths: steps mapped over sequences, predicates, sorting, and the tuple
/// streams that carry focus (`@`), index (`#`) and parent (`%`) bindings.
extension Evaluation {
    /// Evaluates a path without per-item bindings.
    func evaluatePath(_ steps: [Node], keepSingleton: Bool, _ input: Value?, _ frame: Frame) throws(JSONataError) -> Value? {
        var items: [Value?]
        if case .variable = steps[0].kind {
            items = [input]
        } else if let input, input.isArray, input.flattenedCount > 0 {
            // An empty array is one item, so that the first step's
            // predicates see it (`x[$error()]` fails on `[]`).
            items = input.asList
        } else {
            items = [input]
        }
        for (index, step) in steps.enumerated() {
            if case .sort(let terms) = step.kind {
                var sorted: Value? = .array(try sort(items.compactMap { $0 }, terms, frame, position: step.position), .sequence)
                for stage in step.stages {
                    if case .predicate(let predicate) = stage { sorted = try filter(sorted, by: predicate, frame) }
                }
                items = sorted?.asList ?? []
                if items.isEmpty { break }
                continue
            }
            var results: [Value] = []
            for item in items {
                try tick(step.position)
                var value = try evaluateKind(step, item, frame)
                if index > 0, case .array = step.kind, case .array(let elements, let flags)? = value {
                    // An array constructor after the first step keeps its arrays whole.
                    value = .array(elements, flags.union(.constructed))
                }
                value = try applyPredicates(step.stages, to: value, frame)
                // A group-by on a step that is not a name (`*{k: v}.b`) groups each item's result.
                if let group = step.group { value = try groupBy(value, group, frame, position: step.position) }
                if let value { results.append(value) }
            }
            if index == 0, case .array = step.kind, step.stages.isEmpty, results.count == 1, results[0].flattenedCount == 0 {
                // As JSONata: a path that starts from an empty array
                // constructor is that empty array (`[].a` is `[]`).
                return .array([], [])
            }
            if index == steps.count - 1, results.count == 1, results[0].isArray, !results[0].isSequence {
                // A single array from the last step is the result as it is;
                // so is an empty one under `[]` (`b[]` of `{"b": []}` is `[]`).
                guard keepSingleton, results[0].flattenedCount > 0 else { return results[0] }
                if case .array(_, let flags) = results[0], flags.contains(.constructed) {
                    return .array([results[0]], [.sequence, .keepSingleton])
                }
                return .array(results[0].asList, [.sequence, .keepSingleton])
            }
            items = try flattenStep(results, position: step.position)
            if items.isEmpty { break }
        }
        var flags: ArrayFlags = .sequence
        if keepSingleton { flags.insert(.keepSingleton) }
        return .array(items.compactMap { $0 }, flags)
    }

    /// The results of one step as the next step's input: arrays are
    /// flattened one level, except arrays built by a constructor.
    private func flattenStep(_ results: [Value], keepConstructed: Bool = true, position: Int) throws(JSONataError) -> [Value?] {
        var flattened: [Value?] = []
        for result in results {
            try accountForElements(result.flattenedCount, joining: flattened.count, position: position)
            if case .array(let items, let flags) = result {
                if keepConstructed && flags.contains(.constructed) { flattened.append(result) } else { flattened.append(contentsOf: items) }
            } else if result.isArray {
                flattened.append(contentsOf: result.asList)
            } else {
                flattened.append(result)
            }
        }
        return flattened
    }

    /// Applies a predicate to a value: a number selects by index (negative
    /// from the end), anything else keeps the items for which it is true.
    /// Applies the predicates among `stages` to `value`, in order. To
    /// JSONata an undefined value is one undefined item: each predicate is
    /// still evaluated on it (so `x[$error("e")]` fails when `x` is missing)
    /// until one leaves it out; the result stays undefined.
    func applyPredicates(_ stages: [Stage], to value: Value?, _ frame: Frame) throws(JSONataError) -> Value? {
        var value = value
        var undefinedSelected = true
        for stage in stages {
            guard case .predicate(let predicate) = stage else { continue }
            if let current = value {
                value = try filter(current, by: predicate, frame)
            } else if undefinedSelected {
                undefinedSelected = try selectsUndefined(predicate, frame)
            }
        }
        return value
    }

    /// Whether `predicate` keeps the undefined item: an index 0 (or -1) or
    /// a true test. A literal index is resolved without evaluation.
    private func selectsUndefined(_ predicate: Node, _ frame: Frame) throws(JSONataError) -> Bool {
        if case .number = predicate.kind, predicate.stages.isEmpty { return false }
        let test = try evaluate(predicate, nil, frame)
        if let indexes = numericIndexes(test) { return indexes.contains { matchesIndex($0, 0, 1) } }
        return Self.truthy(test)
    }

    func filter(_ value: Value?, by predicate: Node, _ frame: Frame) throws(JSONataError) -> Value? {
        guard let value else { return nil }
        let items = value.asList
        var results: [Value] = []
        if case .number(let number) = predicate.kind, predicate.stages.isEmpty {
            var index = number.saturatingFloor
            if index < 0 { index += items.count }
            guard index >= 0 && index < items.count else { return .array([], .sequence) }
            // A selected array is the result itself, so that further predicates index into it.
            if items[index].isArray { return items[index] }
            return .array([items[index]], .sequence)
        }
        for (position, item) in items.enumerated() {
            let test = try evaluate(predicate, item, frame)
            if let indexes = numericIndexes(test) {
                if indexes.contains(where: { matchesIndex($0, position, items.count) }) { results.append(item) }
            } else if Self.truthy(test) {
                results.append(item)
            }
        }
        return .array(results, .sequence)
    }

    /// A predicate result that is a number or an array of numbers selects by index.
    /// The indexes a predicate's value selects, or nil when it is a test
    /// of truth instead (NaN is no index: it selects nothing, as in JSONata).
    private func numericIndexes(_ test: Value?) -> [Double]? {
        guard let test else { return nil }
        if let number = test.numberValue { return number.isNaN ? nil : [number] }
        guard let elements = test.arrayElements, !elements.isEmpty else { return nil }
        let numbers = elements.compactMap { $0.numberValue }.filter { !$0.isNaN }
        return numbers.count == elements.count ? numbers : nil
    }

    private func matchesIndex(_ index: Double, _ position: Int, _ count: Int) -> Bool {
        var wanted = index.saturatingFloor
        if wanted < 0 { wanted += count }
        return wanted == position
    }

    // MARK: - Sorting

    /// Sorts `items` by the terms, stably.
    /// - Throws: T2007 when values of different types meet, T2008 for values that are neither numbers nor strings.
    func sort(
        _ items: [Value], _ terms: [SortTerm], _ frame: Frame, position: Int,
        bindings: [[String: Value]]? = nil
    ) throws(JSONataError) -> [Value] {
        let order = try sortOrder(items, terms, frame, position: position, bindings: bindings)
        return order.map { items[$0] }
    }

    /// The permutation that sorts `items` by `terms`.
    func sortOrder(
        _ items: [Value], _ terms: [SortTerm], _ frame: Frame, position: Int,
        bindings: [[String: Value]]?
    ) throws(JSONataError) -> [Int] {
        // Keys are evaluated when a comparison first needs them, as JSONata
        // does: one item is never compared, so its keys are never evaluated
        // or checked, and a later term is read only to break a tie.
        var keys = [[Value??]](repeating: [Value??](repeating: nil, count: terms.count), count: items.count)
        func key(_ item: Int, _ term: Int) throws(JSONataError) -> Value? {
            if let known = keys[item][term] { return known }
            let itemFrame = bindings.map { Frame(parent: frame, bindings: $0[item]) } ?? frame
            let value = try evaluate(terms[term].expression, items[item], itemFrame)?.decodedScalar
            keys[item][term] = .some(value)
            return value
        }
        return try Array(items.indices).mergeSorted { (left, right) throws(JSONataError) -> Bool in
            for termIndex in terms.indices {
                let leftKey = try key(left, termIndex)
                let rightKey = try key(right, termIndex)
                switch (leftKey, rightKey) {
                case (nil, nil): continue
                // An item without a key goes after one with a key, in either direction.
                case (nil, _): return false
                case (_, nil): return true
                case (let leftKey?, let rightKey?):
                    let comparison = try Self.compareSortKeys(leftKey, rightKey, position: position)
                    if comparison != 0 { return terms[termIndex].descending ? comparison > 0 : comparison < 0 }
                }
            }
            return false
        }
    }

    private static func compareSortKeys(_ left: Value, _ right: Value, position: Int) throws(JSONataError) -> Int {
        switch (left, right) {
        case (.number(let a), .number(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.string(let a), .string(let b)): return compareStrings(a, b)
        case (.number, .string), (.string, .number):
            throw JSONataError(
                .sortTypeMismatch, position: position,
                token: "\(describeSortKey(left)) and \(describeSortKey(right))")
        default: throw JSONataError(.sortNotComparable, position: position)
        }
    }

    /// A sort key as an error message shows it: a string in quotes, a number as written.
    private static func describeSortKey(_ key: Value) -> String {
        if let text = key.stringValue { return "\"\(text)\"" }
        return (try? Stringify.string(key, position: 0)) ?? ""
    }

    /// Compares strings by UTF-16 code units, as JavaScript does.
    static func compareStrings(_ left: String, _ right: String) -> Int {
        if left == right { return 0 }
        var leftUnits = left.utf16.makeIterator()
        var rightUnits = right.utf16.makeIterator()
        while true {
            switch (leftUnits.next(), rightUnits.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let a?, let b?): if a != b { return a < b ? -1 : 1 }
            }
        }
    }

    // MARK: - Tuple streams

    /// One item of a path that binds variables per item.
    struct Tuple {
        var value: Value?
        var bindings: [String: Value]
    }

    /// Evaluates a path in which some step binds variables per item.
    func evaluateTuplePath(
        _ steps: [Node], keepSingleton: Bool, group: [(Node, Node)]?, _ input: Value?,
        _ frame: Frame
    ) throws(JSONataError) -> Value? {
        let (tuples, reachedBindingStep) = try tupleStream(steps, input, frame)
        if let group {
            let values = tuples.compactMap(\.value)
            // As JSONata: a path whose items run out before its first step
            // that binds is a plain path, whose group-by still runs once on
            // undefined; after that step, no item binds anything: no group.
            if values.isEmpty {
                return reachedBindingStep ? .object(ObjectValue()) : try groupBy(nil, group, frame, position: steps[0].position)
            }
            let bindings = tuples.filter { $0.value != nil }.map(\.bindings)
            return try groupBy(.array(values, .sequence), group, frame, position: steps[0].position, tupleBindings: bindings)
        }
        var flags: ArrayFlags = .sequence
        if keepSingleton { flags.insert(.keepSingleton) }
        return .array(tuples.compactMap(\.value), flags)
    }

    /// The items of a path with the variables each one binds, and whether
    /// the items lasted until the first step that binds.
    private func tupleStream(_ steps: [Node], _ input: Value?, _ frame: Frame) throws(JSONataError) -> ([Tuple], reachedBindingStep: Bool) {
        var reachedBindingStep = false
        var tuples: [Tuple]
        if case .variable = steps[0].kind {
            tuples = [Tuple(value: input, bindings: [:])]
        } else if let input, input.isArray {
            tuples = input.asList.map { Tuple(value: $0, bindings: [:]) }
        } else {
            tuples = [Tuple(value: input, bindings: [:])]
        }
        for (stepIndex, step) in steps.enumerated() {
            reachedBindingStep = reachedBindingStep || step.bindsPerItem || step.yieldsTuples
            if case .sort(let terms) = step.kind {
                let values = tuples.map { $0.value ?? .null }
                let order = try sortOrder(values, terms, frame, position: step.position, bindings: tuples.map(\.bindings))
                // Index bindings and predicates after a sort see the sorted order.
                tuples = try applyStages(step.stages, step, order.map { tuples[$0] }, frame)
                if tuples.isEmpty { break }
                continue
            }
            var next: [Tuple] = []
            for tuple in tuples {
                let tupleFrame = tuple.bindings.isEmpty ? frame : Frame(parent: frame, bindings: tuple.bindings)
                var produced = try stepItems(step, stepIndex: stepIndex, tuple.value, tupleFrame)
                    .map { item, innerBindings -> Tuple in
                        var bindings = tuple.bindings
                        bindings.merge(innerBindings) { _, inner in inner }
                        if let slot = step.ancestorSlot, let context = tuple.value { bindings[slot] = context }
                        if let focus = step.focus {
                            bindings[focus] = item
                            return Tuple(value: tuple.value, bindings: bindings)
                        }
                        return Tuple(value: item, bindings: bindings)
                    }
                for stage in step.stages {
                    guard case .indexBinding(let name) = stage else { break }
                    for index in produced.indices { produced[index].bindings[name] = .number(Double(index)) }
                }
                try accountForElements(produced.count, joining: next.count, position: step.position)
                next.append(contentsOf: produced)
            }
            tuples = try applyStages(Array(step.stages.drop { if case .indexBinding = $0 { return true } else { return false } }), step, next, frame)
            if tuples.isEmpty { break }
        }
        return (tuples, reachedBindingStep)
    }

    /// The items one step produces from one input item, each with the
    /// variables it binds: none for an ordinary step, the inner path's
    /// bindings for a block that ends in a tuple path.
    private func stepItems(
        _ step: Node, stepIndex: Int, _ input: Value?,
        _ frame: Frame
    ) throws(JSONataError) -> [(Value, [String: Value])] {
        if step.yieldsTuples, case .block(let expressions) = step.kind, case .path(let innerSteps, _)? = expressions.last?.kind {
            let scope = Frame(parent: frame)
            for expression in expressions.dropLast() { _ = try evaluate(expression, input, scope) }
            return try tupleStream(innerSteps, input, scope).0.compactMap { tuple in tuple.value.map { ($0, tuple.bindings) } }
        }
        var value = try evaluateKind(step, input, frame)
        if stepIndex > 0, case .array = step.kind, case .array(let elements, let flags)? = value {
            value = .array(elements, flags.union(.constructed))
        }
        if let group = step.group { value = try groupBy(value, group, frame, position: step.position) }
        return try flattenStep(value.map { [$0] } ?? [], keepConstructed: false, position: step.position).compactMap { $0 }.map { ($0, [:]) }
    }

    /// Predicates and index bindings that follow a step's first predicate,
    /// over the whole tuple stream the step produced.
    private func applyStages(_ stages: [Stage], _ step: Node, _ tuples: [Tuple], _ frame: Frame) throws(JSONataError) -> [Tuple] {
        var tuples = tuples
        for stage in stages {
            switch stage {
            case .indexBinding(let name):
                for index in tuples.indices { tuples[index].bindings[name] = .number(Double(index)) }
            case .predicate(let predicate):
                var kept: [Tuple] = []
                for (position, tuple) in tuples.enumerated() {
                    let subject = step.focus.flatMap { tuple.bindings[$0] } ?? tuple.value
                    let tupleFrame = Frame(parent: frame, bindings: tuple.bindings)
                    let test = try evaluate(predicate, subject, tupleFrame)
                    if let indexes = numericIndexes(test) {
                        if indexes.contains(where: { matchesIndex($0, position, tuples.count) }) { kept.append(tuple) }
                    } else if Self.truthy(test) {
                        kept.append(tuple)
                    }
                }
                tuples = kept
            }
        }
        return tuples
    }
}

extension Array {
    /// A stable merge sort by `areInIncreasingOrder` (Swift's sort is not
    /// guaranteed stable); the first error the comparison throws ends it.
    func mergeSorted<Failure: Error>(
        by areInIncreasingOrder: (Element, Element) throws(Failure) -> Bool
    ) throws(Failure) -> [Element] {
        guard count > 1 else { return self }
        let middle = count / 2
        let left = try Array(self[..<middle]).mergeSorted(by: areInIncreasingOrder)
        let right = try Array(self[middle...]).mergeSorted(by: areInIncreasingOrder)
        var result: [Element] = []
        result.reserveCapacity(count)
        var leftIndex = 0
        var rightIndex = 0
        while leftIndex < left.count && rightIndex < right.count {
            if try areInIncreasingOrder(right[rightIndex], left[leftIndex]) {
                result.append(right[rightIndex])
                rightIndex += 1
            } else {
                result.append(left[leftIndex])
                leftIndex += 1
            }
        }
        result.append(contentsOf: left[leftIndex...])
        result.append(contentsOf: right[rightIndex...])
        return result
    }
}
