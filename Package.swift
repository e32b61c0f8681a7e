// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ConversionRules",
    products: [
        // The library a gateway links: the expression language, the conversion
        // runtime and the flavor catalog with the built-in templates.
        .library(name: "ConversionRules", targets: ["RuleDSL", "ConversionRules", "Flavors"]),
        .executable(name: "rulecheck", targets: ["rulecheck"]),
        // The C interface (include/conversion_rules.h): libConversionRulesC.so.
        .library(name: "ConversionRulesC", type: .dynamic, targets: ["ConversionRulesC"]),
        // The gateway host: serves the rules over HTTP (Hummingbird) and calls
        // providers (AsyncHTTPClient). A product of its own, so that building
        // rulecheck or the library does not build the HTTP stack.
        .executable(name: "rulegateway", targets: ["rulegateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` builds the DocC catalogs.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CJansson",
            pkgConfig: "jansson",
            providers: [.apt(["libjansson-dev"])]
        ),
        // The calling thread's stack bounds, so that deep evaluation stops
        // with an error before the stack overflows.
        .target(name: "CStackBounds"),
        .target(name: "RuleDSL", dependencies: ["CStackBounds"]),
        .target(name: "ConversionRules", dependencies: ["RuleDSL"]),
        .executableTarget(name: "TemplateEmbedder"),
        .plugin(
            name: "EmbedTemplates",
            capability: .buildTool(),
            dependencies: ["TemplateEmbedder"]
        ),
        .target(
            name: "Flavors",
            dependencies: ["ConversionRules", "RuleDSL", "CYAML"],
            plugins: ["EmbedTemplates"]
        ),
        .systemLibrary(name: "CConversionRulesHeader"),
        .target(name: "ConversionRulesC", dependencies: ["CConversionRulesHeader", "Flavors", "ConversionRules", "RuleDSL"]),
        // Counts allocations for `rulecheck bench` (wraps glibc's malloc).
        .target(name: "AllocationCounter"),
        .executableTarget(
            name: "rulecheck",
            dependencies: [
                "Flavors", "ConversionRules", "RuleDSL", "AllocationCounter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "RuleGateway",
            dependencies: [
                "Flavors", "ConversionRules", "RuleDSL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "rulegateway",
            dependencies: ["RuleGateway", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Measures the JSON layer against libjansson and simdjson: swift run -c release JSONBench
        .executableTarget(name: "JSONBench", dependencies: ["RuleDSL", "CJansson", "CSimdjsonShim"]),
        // simdjson (libsimdjson-dev) behind a C interface, for JSONBench only.
        .target(name: "CSimdjsonShim", linkerSettings: [.linkedLibrary("simdjson")]),
        // libjansson as the reference the tests and the fuzzer compare the JSON reader with.
        .target(name: "JanssonReference", dependencies: ["CJansson", "RuleDSL"]),
        .testTarget(
            name: "RuleDSLTests", dependencies: ["RuleDSL", "JanssonReference"],
            exclude: ["Conformance/Differential"]),
        .testTarget(name: "ConversionRulesTests", dependencies: ["ConversionRules"]),
        .testTarget(name: "FlavorsTests", dependencies: ["Flavors"], exclude: ["Resources"]),
        .testTarget(name: "rulecheckTests", dependencies: ["rulecheck"]),
        .testTarget(name: "RuleGatewayTests", dependencies: ["RuleGateway"]),
    ],
    // simdjson's header needs C++17.
    cxxLanguageStandard: .cxx17
)

// The fuzzing binary exists only in the builds Scripts/fuzz makes: it names
// libFuzzer's runtime in CONVERSION_RULES_FUZZ_RUNTIME and builds everything
// with address sanitizer and coverage instrumentation, in .build-fuzz.
if let fuzzerRuntime = Context.environment["CONVERSION_RULES_FUZZ_RUNTIME"] {
    package.targets += [
        .target(name: "CFuzzerDriver", path: "Fuzz/Sources/CFuzzerDriver"),
        .executableTarget(
            name: "FuzzTargets",
            dependencies: ["CFuzzerDriver", "JanssonReference", "RuleDSL", "ConversionRules", "Flavors", "ConversionRulesC"],
            path: "Fuzz/Sources/FuzzTargets",
            linkerSettings: [.unsafeFlags([fuzzerRuntime, "-lstdc++"])]
        ),
    ]
    package.products.append(.executable(name: "FuzzTargets", targets: ["FuzzTargets"]))
}
