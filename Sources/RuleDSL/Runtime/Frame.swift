/// A scope of variable bindings during one evaluation. Frames are created per
/// evaluation (and per block or function call), never shared between calls.
/// The outermost scope, holding the caller's bindings, is the ``Evaluation``
/// itself (a subclass), so that a call allocates one object for both.
class Frame {
    private var bindings: [String: Value]
    /// Names bound to undefined here (`$x := nothing`, a parameter given no
    /// argument): they hide the enclosing frames' bindings of those names.
    private var undefinedNames: Set<String> = []
    let parent: Frame?
    /// Whether the frame holds a function call's parameters.
    let isFunctionScope: Bool

    init(parent: Frame?, bindings: [String: Value] = [:], isFunctionScope: Bool = false) {
        self.parent = parent
        self.bindings = bindings
        self.isFunctionScope = isFunctionScope
    }

    /// The variables an expression given to `$eval` here sees, as JSONata
    /// gives them: those in scope where the innermost function being called
    /// was defined (not its parameters, nor the blocks inside it), or,
    /// outside any function, every variable in scope here.
    final func evalBindings() -> [String: Value] {
        var start: Frame? = self
        var frame: Frame? = self
        while let current = frame {
            if current.isFunctionScope { start = current.parent }
            frame = current.isFunctionScope ? nil : current.parent
        }
        var visible: [String: Value] = [:]
        var hidden: Set<String> = []
        frame = start
        while let current = frame {
            for (name, value) in current.bindings where visible[name] == nil && !hidden.contains(name) { visible[name] = value }
            hidden.formUnion(current.undefinedNames)
            frame = current.parent
        }
        return visible
    }

    /// The value bound to `name` here or in an enclosing frame.
    final func lookup(_ name: String) -> Value? {
        var frame: Frame? = self
        while let current = frame {
            // Most scopes of blocks and calls bind little: an empty one is passed without hashing.
            if !current.bindings.isEmpty, let value = current.bindings[name] { return value }
            if !current.undefinedNames.isEmpty, current.undefinedNames.contains(name) { return nil }
            frame = current.parent
        }
        return nil
    }

    /// Binds `name` in this frame; bound to undefined, the name stays
    /// undefined here whatever an enclosing frame binds it to.
    final func bind(_ name: String, _ value: Value?) {
        guard let value else {
            bindings.removeValue(forKey: name)
            undefinedNames.insert(name)
            return
        }
        bindings[name] = value
        if !undefinedNames.isEmpty { undefinedNames.remove(name) }
    }

    /// Drops every binding: see ``Evaluation/releaseClosures()``.
    final func removeAllBindings() {
        bindings.removeAll()
        undefinedNames.removeAll()
    }
}

extension Value {
    /// Whether this value is a function or holds one in the arrays and
    /// objects an expression built (document values hold none).
    var holdsFunction: Bool {
        var pending: [Value] = [self]
        while let value = pending.popLast() {
            switch value {
            case .function: return true
            case .array(let items, _): pending += items
            case .object(let object): pending += object.entries.map(\.value)
            default: break
            }
        }
        return false
    }
}
