/// Mistral: `[TOOL_CALLS]` and then either a JSON array of `{"name", "arguments"}` objects (tokenizers
/// before v11) or, from v11, `name{arguments}` after each `[TOOL_CALLS]` (`[ARGS]` may stand between the
/// name and the arguments) (vLLM `mistral`). vLLM picks the form from the tokenizer; here the text does:
/// an array when the first `[TOOL_CALLS]` is followed by `[` (after whitespace).
///
/// As in vLLM: the content is the text before the first `[TOOL_CALLS]`; each call gets a random id of
/// 9 ASCII letters and digits. Array form: the first JSON value after the token is read and the text
/// after it ignored; `arguments` default to `{}` and are written as `json.dumps` writes them. Named
/// form: the name is the text up to the first `{` with `[ARGS]` removed (not trimmed), the arguments
/// are the rest of the segment as written (not checked), a segment without `{` is skipped.
/// Unlike vLLM: malformed output gives the whole text as content (vLLM gives the text after the token,
/// or raises); its fallback regex for arrays that do not parse is not taken over.
public struct MistralToolParser: ToolParser {
    public static let name = "mistral"
    public var callOpening: String? { "[TOOL_CALLS]" }

    public init() {}

    public func extract(from text: String) -> ToolCallExtraction {
        MistralStream().extractAll(text)
    }

    public func makeStreamingParser() -> any StreamingToolParser {
        MistralStream()
    }

    /// A Mistral tool call id: 9 characters from A-Z, a-z and 0-9.
    public static func makeCallID() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".unicodeScalars)
        var id = ""
        for _ in 0..<9 { id.unicodeScalars.append(alphabet.randomElement() ?? "A") }
        return id
    }
}

/// The mistral state machine: content until the first `[TOOL_CALLS]` (a partial token at the end held
/// back), then the array form read object by object, or the named form segment by segment with the
/// arguments streamed as they come. Output that turns out malformed, or has no call, goes out as
/// content from the first `[TOOL_CALLS]` on, with all that follows (once a call was sent, only
/// the text after the failure).
final class MistralStream: ToolCallStateMachine {
    private enum Mode { case content, choosing, arrayOpen(first: Bool), arrayObject, arrayAfterObject, arrayDone, name, arguments, passthrough }

    private var mode = Mode.content
    private var splitter = TokenSplitter(token: "[TOOL_CALLS]")
    /// The text from the first `[TOOL_CALLS]` on, until a call is sent.
    private var callsText: [Unicode.Scalar] = []
    private var name: [Unicode.Scalar] = []
    private var reader = CallObjectReader(defaultArguments: "{}")
    private var writer = DeltaWriter()
    private(set) var isMalformed = false

    func feed(_ text: String) -> ToolStreamDelta {
        for piece in splitter.push(text) { handle(piece) }
        return writer.take()
    }

    func finish() -> ToolStreamDelta {
        for piece in splitter.flush() { handle(piece) }
        switch mode {
        case .content, .arrayDone, .passthrough: break
        case .name where writer.callCount > 0: break
        case .arguments: break
        default: fallBack()
        }
        mode = .passthrough
        return writer.take()
    }

    private func handle(_ piece: TokenSplitter.Piece) {
        switch mode {
        case .content, .passthrough: break
        default: if !writer.sentAnyCall { callsText.append(contentsOf: piece.scalars) }
        }
        switch (mode, piece) {
        case (.passthrough, _): writer.addContent(piece.scalars[...])
        case (.content, .token):
            mode = .choosing
            callsText = Array(piece.scalars)
        case (.content, .text(let text)): writer.addContent(text)
        case (.arguments, .text(let text)): writer.addArguments(ScalarText.string(text))
        case (.choosing, .token), (.name, .token), (.arguments, .token):
            mode = .name
            name = []
        case (.arrayDone, .text): break
        case (_, .token): fallBack()
        case (_, .text(let text)):
            for scalar in text { push(scalar) }
        }
    }

    private func push(_ scalar: Unicode.Scalar) {
        switch mode {
        case .choosing:
            name.append(scalar)
            if CallObjectReader.isSpace(scalar) { return }
            mode = scalar == "[" ? .arrayOpen(first: true) : .name
            if scalar != "[" { nameScalar(name.removeLast()) }
        case .name:
            nameScalar(scalar)
        case .arguments:
            writer.addArguments(String(scalar))
        case .arrayOpen(let first):
            if CallObjectReader.isSpace(scalar) { return }
            if scalar == "]" && first { return mode = .arrayDone }
            guard scalar == "{" else { return fallBack(at: scalar) }
            reader = CallObjectReader(defaultArguments: "{}")
            writer.openCall()
            mode = .arrayObject
            pushObject(scalar)
        case .arrayObject:
            pushObject(scalar)
        case .arrayAfterObject:
            if CallObjectReader.isSpace(scalar) { return }
            if scalar == "," { mode = .arrayOpen(first: false) } else if scalar == "]" { mode = .arrayDone } else { fallBack(at: scalar) }
        case .passthrough: if writer.sentAnyCall { writer.addContent(String(scalar)) }
        case .arrayDone, .content: break
        }
    }

    private func nameScalar(_ scalar: Unicode.Scalar) {
        guard scalar == "{" else { return name.append(scalar) }
        var text = ScalarText.string(name[...])
        // HF tokenizers may leave `[ARGS]` in the text.
        while let range = ScalarText.find(Array("[ARGS]".unicodeScalars), in: Array(text.unicodeScalars)) {
            var scalars = Array(text.unicodeScalars)
            scalars.removeSubrange(range..<(range + 6))
            text = ScalarText.string(scalars[...])
        }
        writer.openCall()
        writer.nameCall(text, id: MistralToolParser.makeCallID())
        writer.addArguments("{")
        mode = .arguments
    }

    private func pushObject(_ scalar: Unicode.Scalar) {
        guard reader.push(scalar) else { return fallBack(at: scalar) }
        if let name = reader.name, !writer.openCallNamed { writer.nameCall(name, id: MistralToolParser.makeCallID()) }
        writer.addArguments(reader.takeArguments())
        if reader.isDone { mode = .arrayAfterObject }
    }

    /// Once a call was sent only the text from the failure (`scalar`) on goes out.
    private func fallBack(at scalar: Unicode.Scalar? = nil) {
        isMalformed = true
        mode = .passthrough
        if !writer.sentAnyCall { writer.addContent(callsText[...]) } else if let scalar { writer.addContent(String(scalar)) }
        callsText = []
    }
}
