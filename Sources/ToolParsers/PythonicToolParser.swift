import SwiftletJSON

/// Python call syntax: `[get_weather(city="Paris", days=3), now()]`, the whole output one list of calls
/// with keyword arguments whose values are literals (vLLM `pythonic`, for Llama 3.2 / 4 and ToolACE).
///
/// As in vLLM: the output must begin with `[` and be nothing but the list (whitespace after it), with at
/// least one call; a name is letters, digits and `_`, beginning with a letter, right before its `(`;
/// the arguments are `json.dumps` of the keyword arguments; otherwise the whole text is content, and
/// content is nil beside calls. Unlike vLLM: positional arguments and a second statement after the list
/// make it content (vLLM drops them), and signed numbers are read (see `PythonLiteral`).
public struct PythonicToolParser: ToolParser {
    public static let name = "pythonic"
    /// None fixed: the list's `[` opens any list too.
    public var callOpening: String? { nil }

    public init() {}

    public func extract(from text: String) -> ToolCallExtraction {
        PythonicStream().extractAll(text)
    }

    public func makeStreamingParser() -> any StreamingToolParser {
        PythonicStream()
    }
}

/// The pythonic state machine. An output that does not begin with `[` streams out as content. In the
/// list, a call's name goes out at its `(`, `{` with it, each keyword argument once its value ends,
/// and `}` at the `)`. Output that turns out malformed goes out as content whole while no call was
/// sent, else from the scalar where it failed on.
final class PythonicStream: ToolCallStateMachine {
    private enum Mode {
        case start, callStart, name, keyStart, key, equals, value, afterCall, done, passthrough
    }

    private var mode = Mode.start
    /// The whole output while no call was sent (after that, the last scalar), for when it turns out malformed.
    private var text: [Unicode.Scalar] = []
    private var word: [Unicode.Scalar] = []
    private var value = PythonValueScanner()
    private var keys: [String] = []
    private var writer = DeltaWriter()
    private(set) var isMalformed = false

    func feed(_ piece: String) -> ToolStreamDelta {
        for scalar in piece.unicodeScalars { push(scalar) }
        return writer.take()
    }

    func finish() -> ToolStreamDelta {
        switch mode {
        case .start, .done, .passthrough: break
        default: fallBack()
        }
        mode = .passthrough
        return writer.take()
    }

    private func push(_ scalar: Unicode.Scalar) {
        if writer.sentAnyCall { text = [scalar] } else { text.append(scalar) }
        let isSpace = CallObjectReader.isSpace(scalar)
        switch mode {
        case .passthrough:
            writer.addContent(String(scalar))
            text = []
        case .start:
            text = [scalar]
            if scalar == "[" { mode = .callStart } else { fallBack() }
        case .callStart:
            if isSpace { return }
            guard Self.isLetter(scalar) else { return fallBack() }
            word = [scalar]
            mode = .name
        case .name:
            if Self.isLetter(scalar) || scalar == "_" || ("0"..."9").contains(scalar) { return word.append(scalar) }
            guard scalar == "(" else { return fallBack() }
            writer.openCall()
            writer.nameCall(ScalarText.string(word[...]), id: nil)
            writer.addArguments("{")
            keys = []
            mode = .keyStart
        case .keyStart:
            if isSpace { return }
            if scalar == ")" { return endCall() }
            guard Self.isLetter(scalar) else { return fallBack() }
            word = [scalar]
            mode = .key
        case .key, .equals:
            if case .key = mode, Self.isLetter(scalar) || scalar == "_" || ("0"..."9").contains(scalar) {
                return word.append(scalar)
            }
            mode = .equals
            if isSpace { return }
            guard scalar == "=" else { return fallBack() }
            let key = ScalarText.string(word[...])
            // Python refuses a keyword given twice.
            guard !keys.contains(key) else { return fallBack() }
            keys.append(key)
            value = PythonValueScanner()
            mode = .value
        case .value:
            guard value.push(scalar) else { return endValue(scalar) }
        case .afterCall:
            if isSpace { return }
            if scalar == "," { mode = .callStart } else if scalar == "]" { mode = .done } else { fallBack() }
        case .done:
            if !isSpace { fallBack() }
        }
    }

    /// The value of the last keyword ended at `scalar` (`,` or `)`).
    private func endValue(_ scalar: Unicode.Scalar) {
        guard scalar == "," || scalar == ")", let parsed = PythonLiteral.parse(value.text[...]) else { return fallBack() }
        let member = PythonJSONText.text(of: .string(keys[keys.count - 1])) + ": " + PythonJSONText.text(of: parsed)
        writer.addArguments((keys.count > 1 ? ", " : "") + member)
        if scalar == ")" { endCall() } else { mode = .keyStart }
    }

    private func endCall() {
        writer.addArguments("}")
        mode = .afterCall
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private func fallBack() {
        if case .start = mode {} else { isMalformed = true }
        mode = .passthrough
        writer.addContent(text[...])
        text = []
    }
}

/// Finds where a keyword argument's value ends: at a `,` or `)` outside brackets and strings.
struct PythonValueScanner {
    private(set) var text: [Unicode.Scalar] = []
    private var brackets: [Unicode.Scalar] = []
    private var quote: Unicode.Scalar?
    private var escaped = false

    /// Takes `scalar` into the value; false when it ends the value (and is not part of it).
    mutating func push(_ scalar: Unicode.Scalar) -> Bool {
        if let open = quote {
            if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == open { quote = nil }
        } else {
            switch scalar {
            case "'", "\"": quote = scalar
            case "[", "{", "(": brackets.append(scalar)
            case "]", "}": if brackets.popLast() == nil { return false }
            case ")", ",": if brackets.isEmpty { return false } else if scalar == ")" { brackets.removeLast() }
            default: break
            }
        }
        text.append(scalar)
        return true
    }
}
