import Foundation
import RuleDSL

/// A GET request's query as a JSON body, and back, the way AOG does it: each
/// parameter maps to the array of its values, as strings.
enum QueryText {
    /// `a=1&a=2&b=x` as `{"a":["1","2"],"b":["x"]}`; no query is `{}`.
    static func object(from query: String?) -> [UInt8] {
        var components = URLComponents()
        components.percentEncodedQuery = query
        var members: [(key: String, value: JSONValue)] = []
        for item in components.queryItems ?? [] {
            let value = JSONValue.string(item.value ?? "")
            if let index = members.firstIndex(where: { $0.key == item.name }), case .array(var values) = members[index].value {
                values.append(value)
                members[index].value = .array(values)
            } else {
                members.append((key: item.name, value: .array([value])))
            }
        }
        return (try? JSONValue.object(JSONObject(members)).serialized()) ?? Array("{}".utf8)
    }

    /// `url` with the query a converted GET body describes: an object
    /// whose members are strings, numbers, booleans or arrays of them.
    static func url(_ url: URL, query body: [UInt8]) -> URL {
        guard let value = try? JSONValue(parsing: body), case .object(let object) = value, !object.members.isEmpty,
            var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        else { return url }
        var items = components.queryItems ?? []
        for (key, member) in object.members {
            let values: [JSONValue]
            if case .array(let elements) = member { values = elements } else { values = [member] }
            for element in values {
                switch element {
                case .string(let text): items.append(URLQueryItem(name: key, value: text))
                case .number(let number): items.append(URLQueryItem(name: key, value: number.description))
                case .bool(let flag): items.append(URLQueryItem(name: key, value: flag ? "true" : "false"))
                default: continue
                }
            }
        }
        components.queryItems = items.isEmpty ? nil : items
        return components.url ?? url
    }
}
