/// Hermes 2 Pro / Qwen style: `<tool_call>{"name": "f", "arguments": {...}}</tool_call>`, one tag per
/// call (vLLM `hermes`).
///
/// As in vLLM: the content is the text before the first `<tool_call>` (text between and after the
/// calls is dropped); a last call without its closing tag is still read up to the end of the text; the
/// arguments are written as `json.dumps` writes them. If any call is not a JSON object with a string
/// `name` and an `arguments` member, the whole text is content.
public struct HermesToolParser: ToolParser {
    public static let name = "hermes"
    public var callOpening: String? { "<tool_call>" }

    public init() {}

    public func extract(from text: String) -> ToolCallExtraction {
        HermesStream().extractAll(text)
    }

    public func makeStreamingParser() -> any StreamingToolParser {
        HermesStream()
    }
}

/// The hermes state machine. Content streams until `<tool_call>` (a partial tag at the end is held
/// back); inside a call the object is read as it comes; after a call, text is dropped until the next
/// opening. A call that turns out malformed goes out as content from its opening tag on, with all the
/// text after it (once a name was sent it cannot be taken back).
final class HermesStream: ToolCallStateMachine {
    private static let opening = Array("<tool_call>".unicodeScalars)
    private static let closing = Array("</tool_call>".unicodeScalars)

    private enum Mode { case content, call, between, passthrough }

    private var mode = Mode.content
    /// Text not yet decided on: a partial tag at the end of what came.
    private var held: [Unicode.Scalar] = []
    private var reader = CallObjectReader()
    /// The open call's text from its opening tag on, for when it turns out malformed.
    private var callText: [Unicode.Scalar] = []
    private var writer = DeltaWriter()
    private(set) var isMalformed = false

    func feed(_ text: String) -> ToolStreamDelta {
        held.append(contentsOf: text.unicodeScalars)
        process(atEnd: false)
        return writer.take()
    }

    func finish() -> ToolStreamDelta {
        process(atEnd: true)
        return writer.take()
    }

    private func process(atEnd: Bool) {
        var text = held[...]
        held = []
        while !text.isEmpty || (atEnd && mode == .call) {
            switch mode {
            case .passthrough:
                writer.addContent(text)
                text = []
            case .content, .between:
                if let start = ScalarText.find(Self.opening, in: Array(text)) {
                    let before = text.prefix(start)
                    if mode == .content { writer.addContent(before) }
                    text = text.dropFirst(start + Self.opening.count)
                    beginCall()
                    continue
                }
                let keep = atEnd ? 0 : ScalarText.partialTagLength(Self.opening, atEndOf: text)
                if mode == .content { writer.addContent(text.dropLast(keep)) }
                held = Array(text.suffix(keep))
                text = []
            case .call:
                let end = ScalarText.find(Self.closing, in: Array(text))
                let keep = end != nil || atEnd ? 0 : ScalarText.partialTagLength(Self.closing, atEndOf: text)
                let body = text.prefix(end ?? (text.count - keep))
                let rest = text.dropFirst(body.count)
                guard read(body), end != nil || atEnd else {
                    held = Array(rest)
                    if isMalformed { fallBack(held[...]) }
                    return
                }
                guard reader.isDone else { return fallBack(rest) }
                mode = .between
                text = rest.dropFirst(end == nil ? rest.count : Self.closing.count)
            }
        }
    }

    private func beginCall() {
        mode = .call
        reader = CallObjectReader()
        callText = Self.opening
        writer.openCall()
    }

    /// Reads body text of the open call; false when it is malformed.
    private func read(_ body: ArraySlice<Unicode.Scalar>) -> Bool {
        callText.append(contentsOf: body)
        for scalar in body where !reader.push(scalar) {
            // After the object only whitespace may stand before the closing tag.
            if reader.isFailed || !CallObjectReader.isSpace(scalar) {
                isMalformed = true
                return false
            }
        }
        if let name = reader.name { writer.nameCall(name) }
        writer.addArguments(reader.takeArguments())
        return true
    }

    private func fallBack(_ rest: ArraySlice<Unicode.Scalar>) {
        isMalformed = true
        mode = .passthrough
        writer.addContent(callText[...])
        writer.addContent(rest)
        held = []
    }
}
