import RuleDSL

/// A ``HeaderEdit`` as conversions run it: its names and values as UTF-8 in
/// memory this object owns.
///
/// The edit's strings are shared by every thread converting with the same
/// rules; passing one to a header operation copies it, and the count of
/// references that copy changes would move between cores on each
/// conversion. Here the edit compares bytes, and makes the thread its own
/// strings only when a header actually changes.
final class CompiledHeaderEdit: @unchecked Sendable {
    private struct Field {
        let name: UnsafeBufferPointer<UInt8>
        let value: UnsafeBufferPointer<UInt8>
    }

    private let clearAll: Bool
    private let deleteNames: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>
    private let setFields: UnsafeBufferPointer<Field>
    private let addFields: UnsafeBufferPointer<Field>

    init(_ edit: HeaderEdit) {
        clearAll = edit.clearAll
        deleteNames = .ownedCopy(of: edit.delete.map(Self.ownedUTF8))
        setFields = .ownedCopy(of: edit.set.map { Field(name: Self.ownedUTF8($0.name), value: Self.ownedUTF8($0.value)) })
        addFields = .ownedCopy(of: edit.add.map { Field(name: Self.ownedUTF8($0.name), value: Self.ownedUTF8($0.value)) })
    }

    deinit {
        for name in deleteNames { name.freeOwnedCopy() }
        for field in setFields {
            field.name.freeOwnedCopy()
            field.value.freeOwnedCopy()
        }
        for field in addFields {
            field.name.freeOwnedCopy()
            field.value.freeOwnedCopy()
        }
        deleteNames.freeOwnedCopy()
        setFields.freeOwnedCopy()
        addFields.freeOwnedCopy()
    }

    private static func ownedUTF8(_ text: String) -> UnsafeBufferPointer<UInt8> {
        .ownedCopy(of: Array(text.utf8))
    }

    private static func string(_ utf8: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: utf8, as: UTF8.self)
    }

    /// Applies the edits in order: clear all, delete, set, add.
    func apply(to headers: inout HTTPHeaders) {
        if clearAll { headers.removeAll() }
        for name in deleteNames where headers.contains(utf8Name: name) {
            headers.remove(Self.string(name))
        }
        for field in setFields where !headers.hasOnly(utf8Name: field.name, utf8Value: field.value) {
            headers.set(Self.string(field.name), Self.string(field.value))
        }
        for field in addFields {
            headers.add(Self.string(field.name), Self.string(field.value))
        }
    }
}
