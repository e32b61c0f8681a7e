import Flavors

/// Any bytes as a fixture file; a file that reads is run against its rule
/// (or ollama:chat), which drives every conversion path with its inputs.
enum FixtureTarget {
    private static let catalog = try! RuleCatalog()

    static func run(_ bytes: [UInt8]) {
        guard let fixture = try? FixtureFile(bytes: bytes, file: "fuzz.json") else { return }
        guard let rule = try? catalog.rule(fixture.rule ?? "ollama:chat") else { return }
        _ = FixtureRunner.run(fixture, rule: rule, catalog: catalog)
    }
}
