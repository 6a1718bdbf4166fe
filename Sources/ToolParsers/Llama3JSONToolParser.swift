/// Llama 3.x / 4 JSON tool calls: `{"name": "f", "parameters": {...}}` objects (or `"arguments"`),
/// several separated by `;`, possibly after `<|python_tag|>` (vLLM `llama3_json`, also `llama4_json`).
///
/// As in vLLM's non-streaming extraction: every `{` outside an object already read starts a JSON value
/// that must be a call object (a string `name`, and `arguments`, else `parameters`); any that is not
/// makes the whole text content; text around the calls is dropped (content nil). Unlike vLLM, a `{`
/// right after the end of the previous object starts the next call (vLLM skips it). A stream takes
/// whichever of `arguments` and `parameters` comes first (vLLM refuses both in a stream).
public struct Llama3JSONToolParser: ToolParser {
    public static let name = "llama3_json"
    /// None fixed: calls may start with `{` as well as with `<|python_tag|>`.
    public var callOpening: String? { nil }

    static let argumentKeys = ["arguments", "parameters"]

    public init() {}

    public func extract(from text: String) -> ToolCallExtraction {
        let scalars = Array(text.unicodeScalars)
        var calls: [ExtractedToolCall] = []
        var position = 0
        while let start = scalars[position...].firstIndex(of: "{") {
            // "arguments" when the object has them, else "parameters".
            guard let (call, end) = Self.readCall(scalars, from: start, argumentKey: "arguments")
                ?? Self.readCall(scalars, from: start, argumentKey: "parameters")
            else { return ToolCallExtraction(content: text) }
            calls.append(call)
            position = end
        }
        return calls.isEmpty ? ToolCallExtraction(content: text) : ToolCallExtraction(content: nil, calls: calls)
    }

    /// The call object at `start` and the position after it, or nil.
    private static func readCall(_ scalars: [Unicode.Scalar], from start: Int, argumentKey: String) -> (ExtractedToolCall, Int)? {
        var reader = CallObjectReader(argumentKeys: [argumentKey])
        var end = start
        var arguments = ""
        while end < scalars.count, reader.push(scalars[end]) {
            arguments += reader.takeArguments()
            end += 1
        }
        arguments += reader.takeArguments()
        guard reader.isDone, let name = reader.name else { return nil }
        return (ExtractedToolCall(name: name, arguments: arguments), end)
    }

    public func makeStreamingParser() -> any StreamingToolParser {
        Llama3JSONStream()
    }
}

/// The llama state machine. As vLLM streams it, only an output that begins with `<|python_tag|>` or
/// `{` (here: after leading whitespace) is read as calls; any other streams out as content. Text
/// between the calls is dropped. A call that turns out malformed goes out as content from where its
/// unit began, with all the text after it.
final class Llama3JSONStream: ToolCallStateMachine {
    private static let tag = Array("<|python_tag|>".unicodeScalars)

    private enum Mode { case start, afterTag, call, between, passthrough }

    private var mode = Mode.start
    /// The text of the current unit not sent: the start of the output, or the open call.
    private var held: [Unicode.Scalar] = []
    private var reader = CallObjectReader(argumentKeys: Llama3JSONToolParser.argumentKeys)
    private var writer = DeltaWriter()
    private(set) var isMalformed = false

    func feed(_ text: String) -> ToolStreamDelta {
        for scalar in text.unicodeScalars { push(scalar) }
        return writer.take()
    }

    func finish() -> ToolStreamDelta {
        switch mode {
        case .start, .afterTag: writer.addContent(held[...])
        case .call: fallBack()
        case .between, .passthrough: break
        }
        held = []
        mode = .passthrough
        return writer.take()
    }

    private func push(_ scalar: Unicode.Scalar) {
        switch mode {
        case .passthrough:
            writer.addContent(String(scalar))
        case .start:
            held.append(scalar)
            let text = held.drop { CallObjectReader.isSpace($0) }
            if text.first == "{" {
                beginCall(scalar)
            } else if text.count >= Self.tag.count {
                if text.elementsEqual(Self.tag) { mode = .afterTag } else { fallBack() }
            } else if !text.elementsEqual(Self.tag.prefix(text.count)) {
                fallBack()
            }
        case .afterTag, .between:
            if mode == .afterTag { held.append(scalar) }
            if scalar == "{" { beginCall(scalar) }
        case .call:
            held.append(scalar)
            guard reader.push(scalar) else { return fallBack() }
            if let name = reader.name { writer.nameCall(name) }
            writer.addArguments(reader.takeArguments())
            if reader.isDone {
                mode = .between
                held = []
            }
        }
    }

    private func beginCall(_ brace: Unicode.Scalar) {
        if mode == .between { held = [brace] }
        mode = .call
        reader = CallObjectReader(argumentKeys: Llama3JSONToolParser.argumentKeys)
        _ = reader.push(brace)
        writer.openCall()
    }

    /// The held text goes out as content, and all that follows.
    private func fallBack() {
        if mode == .call { isMalformed = true }
        mode = .passthrough
        writer.addContent(held[...])
        held = []
    }
}
