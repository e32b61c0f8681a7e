/// The transform expression `| pattern | update, delete |`: a copy of the
/// input in which the objects the pattern selects are merged with the update
/// object and lose the deleted keys.
extension Evaluation {
    func transform(_ input: Value?, _ pattern: Node, _ update: Node, _ delete: Node?, _ frame: Frame) throws(JSONataError) -> Value? {
        guard let input else { return nil }
        var nextIdentity = 0
        let copy = Self.ownedCopy(input, &nextIdentity)
        let matched = try evaluate(pattern, copy, frame)
        var changes: [Int: (update: ObjectValue?, deletes: [String])] = [:]
        for target in matched?.asList ?? [] {
            guard case .object(let object) = target, object.identity != 0 else { continue }
            var updateObject: ObjectValue? = nil
            if let updateValue = try evaluate(update, target, frame) {
                guard let value = updateValue.objectValue else {
                    throw JSONataError(.transformUpdateNotObject, position: update.position, token: describe(updateValue))
                }
                updateObject = value
            }
            var deletes: [String] = []
            if let delete, let deleteValue = try evaluate(delete, target, frame) {
                for key in deleteValue.asList {
                    guard let name = key.stringValue else {
                        throw JSONataError(.transformDeleteNotStrings, position: delete.position, token: describe(deleteValue))
                    }
                    deletes.append(name)
                }
            }
            changes[object.identity] = (updateObject, deletes)
        }
        return Self.applyChanges(copy, changes)
    }

    /// A copy whose objects are owned values with identities 1, 2, ...
    private static func ownedCopy(_ value: Value, _ nextIdentity: inout Int) -> Value {
        if let elements = value.arrayElements {
            var flags: ArrayFlags = []
            if case .array(_, let existing) = value { flags = existing }
            return .array(elements.map { ownedCopy($0, &nextIdentity) }, flags)
        }
        if let members = value.objectMembers {
            var object = ObjectValue()
            for member in members { object[member.key] = ownedCopy(member.value, &nextIdentity) }
            nextIdentity += 1
            object.identity = nextIdentity
            return .object(object)
        }
        return value
    }

    private static func applyChanges(_ value: Value, _ changes: [Int: (update: ObjectValue?, deletes: [String])]) -> Value {
        switch value {
        case .array(let items, let flags):
            return .array(items.map { applyChanges($0, changes) }, flags)
        case .object(let object):
            var result = ObjectValue()
            for member in object.entries { result.appendNew(member.key, applyChanges(member.value, changes)) }
            if let change = changes[object.identity] {
                if let update = change.update {
                    for member in update.entries { result[member.key] = member.value }
                }
                for key in change.deletes { result[key] = nil }
            }
            return .object(result)
        default:
            return value
        }
    }
}
