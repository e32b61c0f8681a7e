import AllocationCounter
import ArgumentParser
import Flavors
import Foundation
import RuleDSL

/// `rulecheck bench`: measures the benchmark scenarios (S1-S5, see `BenchScenarios`) on this machine.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure conversions per scenario (S1-S5): time, MB/s, ratio to the JSON floor, allocations, threads.",
        discussion: """
            Build in release mode first (swift build -c release). Each scenario's output is checked before it is \
            measured. Times are medians of timed batches after warm-up; the floor is reading the same input and \
            writing the produced output with the project's JSON layer, measured in the same run. Allocations are \
            counted by wrapping glibc's malloc, calloc and realloc. S1 and S4 also measure conversions per second \
            on one thread and on two, each thread converting its own copy of the input: the median of five \
            alternating rounds.
            """
    )

    @Option(help: "Run only this scenario (S1 ... S5).")
    var scenario: String?

    @Flag(help: "Print the numbers as JSON.")
    var json = false

    @Flag(help: "Only check every scenario's output, without timing.")
    var verifyOnly = false

    @Option(help: "Seconds of timed runs per measurement.")
    var seconds: Double = 1.0

    @Option(
        help: ArgumentHelp(
            "Write each scenario's input to DIRECTORY (S1.input, ...) and exit, so that another binding can measure the same conversions.",
            valueName: "directory"))
    var writeInputs: String?

    @Option(
        help: ArgumentHelp(
            "Write each scenario's expression work to DIRECTORY (S1.json, ...) and exit, so that another JSONata engine can do the same work.",
            discussion: """
                Each file holds the scenario's hops (expressions and stream state), variables, payloads and the outputs \
                this engine gives; Scripts/compare-engines times jsonatapy on them against this engine.
                """,
            valueName: "directory"))
    var dump: String?

    @Option(
        help: ArgumentHelp(
            "Count each scenario's allocations per conversion, without timing, and fail where one exceeds its limit in FILE.",
            discussion: """
                FILE is JSON: {"release": {"S1": 60, ...}, "debug": {...}}; the build's own configuration applies. \
                A performance guard: limits only ever go down.
                """,
            valueName: "file"))
    var allocationLimits: String?

    static func write(_ scenarios: [BenchScenario], to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for scenario in scenarios {
            let path = (directory as NSString).appendingPathComponent("\(scenario.name).input")
            guard FileManager.default.createFile(atPath: path, contents: Data(scenario.input)) else {
                throw ValidationError("cannot write \(path)")
            }
        }
    }

    /// Writes each scenario's work to `directory`, after checking that the
    /// work gives what the scenario's conversion gives.
    static func dump(_ scenarios: [BenchScenario], to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for scenario in scenarios {
            let work = try scenario.work.json(name: scenario.name, title: scenario.title)
            let outputs = try scenario.work.outputs().map { try JSONValue(parsing: $0) }
            let converted = try scenario.outputPayloads().map { try JSONValue(parsing: $0) }
            guard outputs == converted else {
                throw ValidationError("\(scenario.name): the dumped work does not give the conversion's output")
            }
            let path = (directory as NSString).appendingPathComponent("\(scenario.name).json")
            guard FileManager.default.createFile(atPath: path, contents: Data(try work.jsonText(pretty: true).utf8)) else {
                throw ValidationError("cannot write \(path)")
            }
        }
    }

    func run() throws {
        let catalog = try CatalogOptions.parse([]).loadCatalog().catalog
        let scenarios = try BenchScenarios.all(catalog: catalog).filter { scenario == nil || $0.name.lowercased() == scenario!.lowercased() }
        guard !scenarios.isEmpty else { throw ValidationError("no scenario named \(scenario ?? "")") }
        if let writeInputs {
            try Self.write(scenarios, to: writeInputs)
            return
        }
        if let dump {
            try Self.dump(scenarios, to: dump)
            return
        }
        var failed = false
        for scenario in scenarios {
            let output = try scenario.convert()
            if let problem = scenario.verify(output) {
                printError("\(scenario.name): wrong output: \(problem)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
        if let allocationLimits {
            try checkAllocations(scenarios, limitsFile: allocationLimits)
            return
        }
        if verifyOnly {
            print("\(scenarios.count) passed, 0 failed")
            return
        }
        #if DEBUG
            printError("warning: this is a debug build; measure with: swift build -c release && .build/release/rulecheck bench")
        #endif
        var results: [JSONValue] = []
        let progress = Progress(total: scenarios.count)
        for (index, scenario) in scenarios.enumerated() {
            progress.update(index, scenario.name)
            let result = try measure(scenario)
            results.append(result.json)
            if !json { result.printTable() }
        }
        progress.finish()
        if json {
            print(
                (try? JSONValue.object(JSONObject([("scenarios", .array(results)), ("peak_rss_kib", .number(JSONNumber(Int64(Self.peakResidentKiB()))))]))
                    .jsonText(pretty: true)) ?? "{}")
        } else {
            print("peak resident memory: \(Self.peakResidentKiB()) KiB")
        }
    }

    struct Measurement {
        let median: Double
        let minimum: Double
        let maximum: Double
    }

    struct Result {
        let scenario: BenchScenario
        let conversion: Measurement
        let floor: Measurement
        let allocations: Double
        let threads: [(threads: Int, perSecond: Double)]

        var megabytesPerSecond: Double { Double(scenario.input.count) / 1e6 / conversion.median }

        func printTable() {
            func micro(_ seconds: Double) -> String { String(format: "%.2f us", seconds * 1e6) }
            print("\(scenario.name) \(scenario.title) (\(scenario.input.count) bytes in)")
            print(
                "  conversion: median \(micro(conversion.median)), min \(micro(conversion.minimum)), max \(micro(conversion.maximum)); "
                    + String(format: "%.1f MB/s", megabytesPerSecond))
            print("  floor (read input + write output): \(micro(floor.median)); ratio " + String(format: "%.2f", conversion.median / floor.median))
            print("  allocations per conversion: " + (allocation_counter_available() != 0 ? String(format: "%.1f", allocations) : "not counted here"))
            if scenario.name == "S4" {
                print("  per chunk: " + micro(conversion.median / 200))
            }
            for entry in threads {
                print("  \(entry.threads) thread\(entry.threads == 1 ? "" : "s"): " + String(format: "%.0f conversions/s", entry.perSecond))
            }
            if threads.count == 2 {
                print("  scaling, 2 threads / 1: " + String(format: "%.2f", threads[1].perSecond / threads[0].perSecond))
            }
        }

        var json: JSONValue {
            func number(_ value: Double) -> JSONValue { .number(JSONNumber(value)) }
            var members: [(key: String, value: JSONValue)] = [
                ("name", .string(scenario.name)), ("title", .string(scenario.title)),
                ("input_bytes", number(Double(scenario.input.count))),
                ("median_us", number(conversion.median * 1e6)), ("min_us", number(conversion.minimum * 1e6)),
                ("max_us", number(conversion.maximum * 1e6)), ("mb_per_s", number(megabytesPerSecond)),
                ("floor_us", number(floor.median * 1e6)), ("ratio_to_floor", number(conversion.median / floor.median)),
                ("allocations_per_conversion", allocation_counter_available() != 0 ? number(allocations) : .null),
            ]
            if !threads.isEmpty {
                members.append(
                    (
                        "threads",
                        .array(
                            threads.map {
                                .object(JSONObject([("threads", number(Double($0.threads))), ("conversions_per_s", number($0.perSecond))]))
                            })
                    ))
            }
            return .object(JSONObject(members))
        }
    }

    private func measure(_ scenario: BenchScenario) throws -> Result {
        let conversion = try time { _ = try scenario.convert() }
        let outputs = try scenario.outputPayloads()
        let outputDocuments = try outputs.map { try JSONDocument(bytes: $0) }
        let floor = try time {
            for payload in scenario.inputPayloads { _ = try JSONDocument(bytes: payload) }
            var writer = JSONWriter(capacity: 4096)
            for document in outputDocuments {
                writer.appendValue(of: document, at: document.root)
                writer.bytes.removeAll(keepingCapacity: true)
            }
        }
        let allocations = try Self.allocationsPerConversion(scenario)
        var threads: [(Int, Double)] = []
        if scenario.name == "S1" || scenario.name == "S4" {
            threads = throughputs(scenario, conversionSeconds: conversion.median)
        }
        return Result(scenario: scenario, conversion: conversion, floor: floor, allocations: allocations, threads: threads)
    }

    /// The mean allocations of one conversion over 50, after a warm-up one.
    private static func allocationsPerConversion(_ scenario: BenchScenario) throws -> Double {
        _ = try scenario.convert()
        allocation_counter_set_enabled(1)
        defer { allocation_counter_set_enabled(0) }
        let before = allocation_counter_value()
        let counted = 50
        for _ in 0..<counted { _ = try scenario.convert() }
        return Double(allocation_counter_value() - before) / Double(counted)
    }

    #if DEBUG
        private static let buildConfiguration = "debug"
    #else
        private static let buildConfiguration = "release"
    #endif

    /// Compares each scenario's allocations with its limit for this build.
    /// - Throws: a validation error for an unreadable file or a scenario
    ///   without a limit; exit code 1 when a scenario exceeds its limit.
    private func checkAllocations(_ scenarios: [BenchScenario], limitsFile: String) throws {
        guard allocation_counter_available() != 0 else {
            throw ValidationError("allocations cannot be counted on this platform (glibc's allocator is needed)")
        }
        let limits = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: limitsFile))))
        guard case .object(let limitsByConfiguration) = limits, case .object(let ownLimits)? = limitsByConfiguration[Self.buildConfiguration] else {
            throw ValidationError("\(limitsFile): no \"\(Self.buildConfiguration)\" object of limits per scenario")
        }
        var exceeded = false
        for scenario in scenarios {
            guard case .number(let limit)? = ownLimits[scenario.name] else {
                throw ValidationError("\(limitsFile): no \(Self.buildConfiguration) limit for \(scenario.name)")
            }
            let allocations = try Self.allocationsPerConversion(scenario)
            let verdict = allocations <= limit.doubleValue ? "ok" : "EXCEEDS THE LIMIT"
            let count = String(format: "%.1f", allocations)
            print("\(scenario.name): \(count) allocations per conversion, \(Self.buildConfiguration) limit \(limit): \(verdict)")
            exceeded = exceeded || allocations > limit.doubleValue
        }
        if exceeded { throw ExitCode(1) }
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Per-run times: warm-up, then batches of about 10 ms, for `seconds`.
    private func time(_ body: () throws -> Void) throws -> Measurement {
        var iterations = 1
        let warmUpEnd = Self.now() + min(0.2, seconds / 4)
        while Self.now() < warmUpEnd {
            let start = Self.now()
            for _ in 0..<iterations { try body() }
            if Self.now() - start < 0.01 { iterations *= 2 }
        }
        var samples: [Double] = []
        let end = Self.now() + seconds
        while Self.now() < end || samples.count < 5 {
            let start = Self.now()
            for _ in 0..<iterations { try body() }
            samples.append((Self.now() - start) / Double(iterations))
        }
        samples.sort()
        return Measurement(median: samples[samples.count / 2], minimum: samples.first!, maximum: samples.last!)
    }

    /// Conversions per second on one thread and on two: five rounds, each
    /// measuring one and then two threads for about 0.2 s, and the median
    /// round of each. The machine's cores are shared with other work, which
    /// slows a round now and then (two threads more often than one: they
    /// need both cores); one such round does not decide the result.
    private func throughputs(_ scenario: BenchScenario, conversionSeconds: Double) -> [(Int, Double)] {
        let perThread = max(20, Int(0.2 / max(1e-7, conversionSeconds)))
        var rounds: [[Double]] = [[], []]
        for _ in 0..<5 {
            for count in [1, 2] {
                rounds[count - 1].append(throughput(scenario, threads: count, conversionsPerThread: perThread))
            }
        }
        return [1, 2].map { count in (count, rounds[count - 1].sorted()[2]) }
    }

    /// Conversions per second with `threads` threads converting at once.
    private func throughput(_ scenario: BenchScenario, threads: Int, conversionsPerThread perThread: Int) -> Double {
        // Each thread makes its own request copy, so that it comes from the
        // thread's own allocator arena as a gateway's requests would: copies
        // made one after another on one thread may share cache lines, and
        // their reference counts, written by each conversion, would then
        // move between the cores (false sharing the rules do not cause).
        struct Scenario: @unchecked Sendable { let scenario: BenchScenario }
        let shared = Scenario(scenario: scenario)
        let start = Self.now()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let convert = shared.scenario.convertForThread()
            for _ in 0..<perThread { _ = try? convert() }
        }
        return Double(perThread * threads) / (Self.now() - start)
    }

    static func peakResidentKiB() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss
    }
}
