/// How deeply a value built during evaluation nests.
///
/// Values from an input document are flat references into it and cost
/// nothing here; arrays and objects that an expression built nest by
/// holding each other, and they are released (and written) by recursion.
/// A fold that wraps its accumulator a hundred thousand times would make a
/// value that overflows the stack when it is freed, so evaluation checks
/// the values that can grow without bound (the accumulator of `$reduce`)
/// against ``EvaluationLimits/maximumValueNesting``.
extension Value {
    /// Whether the built arrays and objects of this value nest more than
    /// `limit` levels. Walks with a stack of its own, and stops at the
    /// first path that passes the limit.
    func nestsDeeper(than limit: Int) -> Bool {
        var pending: [(value: Value, depth: Int)] = [(self, 0)]
        while let (value, depth) = pending.popLast() {
            switch value {
            case .array(let items, _):
                guard depth < limit else { return true }
                for item in items where item.isBuiltContainer { pending.append((item, depth + 1)) }
            case .object(let object):
                guard depth < limit else { return true }
                for member in object.entries where member.value.isBuiltContainer { pending.append((member.value, depth + 1)) }
            default:
                break
            }
        }
        return false
    }

    private var isBuiltContainer: Bool {
        switch self {
        case .array, .object: return true
        default: return false
        }
    }
}
