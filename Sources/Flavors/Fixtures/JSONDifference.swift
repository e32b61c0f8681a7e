import RuleDSL

/// The differences between two JSON values, each with its JSON path
/// (`$.choices[0].message.content`) and both values. Objects compare by key
/// set (order ignored), arrays element by element, numbers by value.
public enum JSONDifference {
    public static func differences(expected: JSONValue, actual: JSONValue, path: String = "$") -> [String] {
        switch (expected, actual) {
        case (.object(let left), .object(let right)):
            var result: [String] = []
            let leftKeys = Set(left.members.map(\.key))
            let rightKeys = Set(right.members.map(\.key))
            for key in left.members.map(\.key) where leftKeys.contains(key) {
                let childPath = path + member(key)
                guard let actualValue = right[key] else {
                    result.append("\(childPath): expected \(render(left[key]!)), got nothing")
                    continue
                }
                result += differences(expected: left[key]!, actual: actualValue, path: childPath)
            }
            for key in right.members.map(\.key) where !leftKeys.contains(key) && rightKeys.contains(key) {
                result.append("\(path + member(key)): expected nothing, got \(render(right[key]!))")
            }
            return uniqued(result)
        case (.array(let left), .array(let right)):
            var result: [String] = []
            for index in 0..<max(left.count, right.count) {
                let childPath = "\(path)[\(index)]"
                switch (index < left.count ? left[index] : nil, index < right.count ? right[index] : nil) {
                case (let expectedItem?, let actualItem?): result += differences(expected: expectedItem, actual: actualItem, path: childPath)
                case (let expectedItem?, nil): result.append("\(childPath): expected \(render(expectedItem)), got nothing")
                case (nil, let actualItem?): result.append("\(childPath): expected nothing, got \(render(actualItem))")
                default: break
                }
            }
            return result
        default:
            return expected == actual ? [] : ["\(path): expected \(render(expected)), got \(render(actual))"]
        }
    }

    private static func member(_ key: String) -> String {
        let simple = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !(key.first!.isNumber)
        return simple ? ".\(key)" : "[\((try? JSONValue.string(key).jsonText()) ?? key)]"
    }

    static func render(_ value: JSONValue) -> String {
        let text = (try? value.jsonText()) ?? "?"
        return text.count > 200 ? String(text.prefix(200)) + "..." : text
    }

    /// The strings in order, each once.
    private static func uniqued(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}
