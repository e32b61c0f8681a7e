import ArgumentParser
import Flavors

/// The options of every command that reads the rule catalog: template and
/// plugin directories to add to the built-in flavors.
struct CatalogOptions: ParsableArguments {
    @Option(name: .customLong("templates"),
            help: "A directory of templates to add (repeatable); its flavors replace built-in ones.")
    var templateDirectories: [String] = []

    @Option(name: .customLong("plugin"), help: "A plugin directory to load (repeatable): its plugin.yaml and templates/.")
    var pluginDirectories: [String] = []

    /// The built-in catalog with the directories added.
    /// - Throws: `ExitCode(2)` after printing what did not load (a template
    ///   with errors, a missing directory, a malformed plugin manifest).
    func loadCatalog() throws -> RuleCatalog {
        do {
            let catalog = try RuleCatalog()
            for directory in templateDirectories {
                let diagnostics = try catalog.addDirectory(directory)
                for diagnostic in diagnostics where diagnostic.severity == .error { printError(diagnostic.description) }
                if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(2) }
            }
            for directory in pluginDirectories {
                try catalog.addPlugin(directory: directory)
            }
            return catalog
        } catch let error as CatalogError {
            printError("\(error)")
            throw ExitCode(2)
        }
    }
}
