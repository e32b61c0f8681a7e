import ArgumentParser
import Foundation
import RuleDSL

/// `rulecheck json FILE...`: validates JSON files with the library's reader
/// and prints them compact (or pretty), or the error with its position.
struct JSONCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "json",
        abstract: "Validate JSON files and print them in compact or pretty form."
    )

    @Argument(help: "JSON files to read ('-' for standard input).")
    var files: [String]

    @Flag(help: "Print indented JSON instead of compact JSON.")
    var pretty = false

    func run() throws {
        var failed = false
        for file in files {
            let bytes: [UInt8]
            if file == "-" {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            } else {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("\(file): cannot read the file")
                }
                bytes = Array(data)
            }
            do throws(JSONReadError) {
                let value = try JSONValue(parsing: bytes)
                print(try! value.jsonText(pretty: pretty))  // values read from JSON are always finite
            } catch {
                failed = true
                printError("\(file):\(error.line):\(error.column): error: \(error.message) (byte \(error.offset))")
            }
        }
        if failed { throw ExitCode(1) }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
