/// A scope of variable bindings during one evaluation. Frames are created per
/// evaluation (and per block or function call), never shared between calls.
final class Frame {
    private var bindings: [String: Value]
    let parent: Frame?

    init(parent: Frame?, bindings: [String: Value] = [:]) {
        self.parent = parent
        self.bindings = bindings
    }

    /// The value bound to `name` here or in an enclosing frame.
    func lookup(_ name: String) -> Value? {
        var frame: Frame? = self
        while let current = frame {
            if let value = current.bindings[name] { return value }
            frame = current.parent
        }
        return nil
    }

    /// Binds `name` in this frame; binding undefined removes it.
    func bind(_ name: String, _ value: Value?) {
        bindings[name] = value
    }
}
