import ArgumentParser

/// The `rulecheck` command: checks and measures conversion rules.
@main
struct RuleCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rulecheck",
        abstract: "Check, run and measure the conversion rules of a model gateway.",
        subcommands: [
            FixtureCommand.self, LintCommand.self, ListCommand.self, RunCommand.self, ExplainCommand.self, EvalCommand.self, BenchCommand.self,
            JSONataSuiteCommand.self, JSONCheckCommand.self,
        ],
        defaultSubcommand: FixtureCommand.self
    )
}
