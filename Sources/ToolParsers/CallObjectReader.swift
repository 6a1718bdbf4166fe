import SwiftletJSON

/// Reads one call object, `{"name": "f", "arguments": {...}}`, a scalar at a time: the name once its
/// string is complete, the arguments as they come (written again by `JSONValueStream`). Members other
/// than the name and the arguments are read and dropped. Where a key repeats, the first member counts.
struct CallObjectReader {
    /// The keys that may hold the arguments (llama accepts "parameters" too).
    private let argumentKeys: [String]
    /// The arguments text when the object has none (mistral's `{}`); nil when they are required.
    private let defaultArguments: String?

    private enum Field { case name, arguments, other }
    private enum State {
        case start, beforeKey(first: Bool), key(JSONValueStream, text: String), colon(Field)
        case value(JSONValueStream, Field, text: String), afterValue, done, failed
    }

    private var state = State.start
    /// The name, once its string is complete.
    private(set) var name: String?
    private var argumentsSeen = false
    private var arguments = ""

    init(argumentKeys: [String] = ["arguments"], defaultArguments: String? = nil) {
        self.argumentKeys = argumentKeys.map { "\"" + $0 + "\"" }
        self.defaultArguments = defaultArguments
    }

    var isDone: Bool { if case .done = state { true } else { false } }
    var isFailed: Bool { if case .failed = state { true } else { false } }

    /// The arguments text read since the last call.
    mutating func takeArguments() -> String {
        if case .value(var stream, .arguments, let text) = state {
            arguments += stream.takeOutput()
            state = .value(stream, .arguments, text: text)
        }
        defer { arguments = "" }
        return arguments
    }

    /// Reads one scalar. False when it is not part of the object: the object ended before it, or the
    /// reading failed (`isFailed`).
    mutating func push(_ scalar: Unicode.Scalar) -> Bool {
        switch state {
        case .done, .failed: return false
        case .start:
            if Self.isSpace(scalar) { return true }
            state = scalar == "{" ? .beforeKey(first: true) : .failed
        case .beforeKey(let first):
            if Self.isSpace(scalar) { return true }
            if scalar == "}" && first {
                finishObject()
            } else if scalar == "\"" {
                var stream = JSONValueStream()
                _ = stream.push(scalar)
                state = .key(stream, text: "")
            } else {
                state = .failed
            }
        case .key(var stream, let text):
            _ = stream.push(scalar)
            let text = text + stream.takeOutput()
            switch stream.status {
            case .failed: state = .failed
            case .reading: state = .key(stream, text: text)
            case .complete: state = .colon(field(forKey: text))
            }
        case .colon(let field):
            if Self.isSpace(scalar) { return true }
            state = scalar == ":" ? .value(JSONValueStream(), field, text: "") : .failed
        case .value(var stream, let field, let text):
            let consumed = stream.push(scalar)
            var text = text
            if field == .arguments { arguments += stream.takeOutput() } else { text += stream.takeOutput() }
            switch stream.status {
            case .failed: state = .failed
            case .reading: state = .value(stream, field, text: text)
            case .complete:
                state = .afterValue
                if field == .name {
                    guard case .string(let decoded)? = try? JSONValue(parsing: text) else {
                        state = .failed
                        return false
                    }
                    name = decoded
                }
                if !consumed { return push(scalar) }
            }
        case .afterValue:
            if Self.isSpace(scalar) { return true }
            if scalar == "," {
                state = .beforeKey(first: false)
            } else if scalar == "}" {
                finishObject()
            } else {
                state = .failed
            }
        }
        return !isFailed
    }

    private mutating func field(forKey keyText: String) -> Field {
        if keyText == "\"name\"" && name == nil { return .name }
        if argumentKeys.contains(keyText) && !argumentsSeen {
            argumentsSeen = true
            return .arguments
        }
        return .other
    }

    private mutating func finishObject() {
        guard name != nil, argumentsSeen || defaultArguments != nil else { return state = .failed }
        if !argumentsSeen { arguments += defaultArguments ?? "" }
        state = .done
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }
}
