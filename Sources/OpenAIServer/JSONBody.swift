import Foundation

/// JSON helpers for responses built as dictionaries (keys sorted, slashes unescaped).
enum JSONBody {
    static func data(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    /// One server-sent event: `data: {...}\n\n`.
    static func event(_ object: [String: Any]) -> Data {
        var out = Data("data: ".utf8)
        out.append(data(object))
        out.append(Data("\n\n".utf8))
        return out
    }

    static let done = Data("data: [DONE]\n\n".utf8)

    static func optional(_ value: Any?) -> Any { value ?? NSNull() }
}

/// A JSON dictionary handed to the response task (it holds only strings, numbers and nulls).
struct JSONObjectBox: @unchecked Sendable {
    let value: [String: Any]
}
