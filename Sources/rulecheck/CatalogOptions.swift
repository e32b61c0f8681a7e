import ArgumentParser
import Flavors
import RuleDSL

/// The options of every command that reads the rule catalog: template and
/// plugin directories to add to the built-in flavors.
struct CatalogOptions: ParsableArguments {
    @Option(
        name: .customLong("templates"),
        help: "A directory of templates to add (repeatable); its flavors replace built-in ones.")
    var templateDirectories: [String] = []

    @Option(name: .customLong("plugin"), help: "A plugin directory to load (repeatable): its plugin.yaml and templates/.")
    var pluginDirectories: [String] = []

    @Flag(help: "Plan every expression without shortcuts: each construct evaluated by its general rules.")
    var noShortcuts = false

    /// The built-in catalog with the directories added. A template or a
    /// service that does not load is printed and left out: the rest is
    /// served (the caller decides what that does to its exit status).
    /// - Throws: `ExitCode(2)` after printing a directory that cannot be
    ///   read or a malformed plugin manifest.
    func loadCatalog() throws -> (catalog: RuleCatalog, somethingFailed: Bool) {
        let options = PlannerOptions(shortcuts: !noShortcuts)
        let catalog = try Self.exitingOnCatalogError { () throws(CatalogError) in try RuleCatalog(plannerOptions: options) }
        var somethingFailed = false
        for directory in templateDirectories {
            let diagnostics = try Self.exitingOnCatalogError { () throws(CatalogError) in try catalog.addDirectory(directory) }
            for diagnostic in diagnostics where diagnostic.severity == .error { printError(diagnostic.description) }
            if diagnostics.contains(where: { $0.severity == .error }) { somethingFailed = true }
        }
        for directory in pluginDirectories {
            _ = try Self.exitingOnCatalogError { () throws(CatalogError) in try catalog.addPlugin(directory: directory) }
        }
        return (catalog, somethingFailed)
    }

    /// The result of `body`, or `ExitCode(2)` after printing its error.
    private static func exitingOnCatalogError<Result>(_ body: () throws(CatalogError) -> Result) throws -> Result {
        do throws(CatalogError) {
            return try body()
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }
}
