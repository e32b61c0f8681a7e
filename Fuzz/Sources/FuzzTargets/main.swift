import CFuzzerDriver
import Foundation

// One fuzzing binary for every boundary, the target chosen by FUZZ_TARGET
// (Scripts/fuzz sets it): one sanitizer build serves them all.
let targets: [String: ([UInt8]) -> Void] = [
    "json": JSONTarget.run,
    "expression": ExpressionTarget.run,
    "stream": StreamTarget.run,
    "template": TemplateTarget.run,
    "fixture": FixtureTarget.run,
    "c-interface": CInterfaceTarget.run,
]

guard let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"], let target = targets[name] else {
    FileHandle.standardError.write(Data("set FUZZ_TARGET to one of: \(targets.keys.sorted().joined(separator: ", "))\n".utf8))
    exit(2)
}
// The callback is a C function pointer: it reaches the target through a global.
nonisolated(unsafe) var selectedTarget: ([UInt8]) -> Void = target
// One run before fuzzing builds what the targets keep for the whole run (the
// catalog): built inside an input, LeakSanitizer would count it as a leak of
// that input.
target([])

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    selectedTarget(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
exit(status)
