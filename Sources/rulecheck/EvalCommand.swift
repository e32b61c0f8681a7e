import ArgumentParser
import Foundation
import RuleDSL

/// `rulecheck eval EXPRESSION [FILE]`: evaluates an expression on a JSON
/// document and prints the result.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate an expression on a JSON file (or standard input) and print the result."
    )

    @Argument(help: "The expression.")
    var expression: String

    @Argument(help: "The JSON input file; standard input when omitted, or '-'. Use --no-input for none.")
    var file: String?

    @Flag(help: "Evaluate without any input.")
    var noInput = false

    @Option(name: .customLong("bind"), help: "A variable binding name=JSON (repeatable), visible as $name.")
    var bindings: [String] = []

    @Flag(help: "Print the result indented.")
    var pretty = false

    @Option(help: "The deepest nesting of evaluation allowed.")
    var depth: Int?

    @Option(help: "The time limit of the evaluation, in milliseconds.")
    var timeLimit: Int?

    func run() throws {
        let compiled: RuleExpression
        do throws(JSONataError) {
            compiled = try RuleExpression(expression)
        } catch {
            printExpressionError(error)
            throw ExitCode(1)
        }
        var variables: [String: Value] = [:]
        for binding in bindings {
            guard let equals = binding.firstIndex(of: "=") else {
                throw ValidationError("--bind \(binding): expected name=JSON")
            }
            let name = String(binding[..<equals])
            let text = String(binding[binding.index(after: equals)...])
            do {
                variables[name] = Value(try JSONValue(parsing: text))
            } catch {
                printError("--bind \(name): \(error)")
                throw ExitCode(2)
            }
        }
        var input: Value? = nil
        if !noInput {
            let bytes: [UInt8]
            if let file, file != "-" {
                guard let data = FileManager.default.contents(atPath: file) else {
                    printError("\(file): cannot read the file")
                    throw ExitCode(2)
                }
                bytes = Array(data)
            } else {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            }
            do {
                input = Value(document: try JSONDocument(bytes: bytes))
            } catch {
                printError("\(file ?? "-"):\(error.line):\(error.column): error: \(error.message)")
                throw ExitCode(2)
            }
        }
        var limits = EvaluationLimits()
        if let depth { limits.maximumDepth = depth }
        limits.timeLimitMilliseconds = timeLimit
        let result: Value?
        do throws(JSONataError) {
            result = try compiled.evaluate(input, bindings: variables, limits: limits)
        } catch {
            printExpressionError(error)
            throw ExitCode(1)
        }
        guard let result else {
            print("undefined")
            return
        }
        guard let json = result.jsonValue else {
            print("(function)")
            return
        }
        do {
            print(try json.jsonText(pretty: pretty))
        } catch {
            printError("error: the result cannot be written as JSON: \(error)")
            throw ExitCode(1)
        }
    }

    /// The error with the expression and a caret under its position.
    private func printExpressionError(_ error: JSONataError) {
        printError("error \(error.code): \(error.message)")
        let lines = expression.split(separator: "\n", omittingEmptySubsequences: false)
        var offset = 0
        for line in lines {
            let length = line.count + 1
            if error.position < offset + length {
                printError("  " + line)
                printError("  " + String(repeating: " ", count: error.position - offset) + "^")
                return
            }
            offset += length
        }
        printError("  " + expression)
    }
}
