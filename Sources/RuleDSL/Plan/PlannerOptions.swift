/// How the planner turns a checked expression into what evaluation runs.
///
/// The defaults are what production uses. Turning ``shortcuts`` off makes
/// every node evaluate by the general rules of its construct, which is how
/// the tests check that each shortcut gives exactly what the general
/// evaluation gives:
///
/// ```swift
/// let general = try RuleExpression("a.b[0]", options: PlannerOptions(shortcuts: false))
/// ```
public struct PlannerOptions: Sendable, Equatable {
    /// Whether the planner chooses short evaluation paths for the common
    /// shapes of conversion rules: literals, plain field paths walked in
    /// place, operands visited without reference counting, built-in calls
    /// resolved at compile time, object constructors with literal keys
    /// written straight to JSON and their field paths found in one pass.
    public var shortcuts: Bool

    /// Options with every shortcut on (`shortcuts: true`), unless told otherwise.
    public init(shortcuts: Bool = true) {
        self.shortcuts = shortcuts
    }
}
