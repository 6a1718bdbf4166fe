import ToolParsers

/// `tool_choice: "auto"` through one of the ToolParsers formats (`--tool-call-parser NAME`): calls
/// the format names no id for get vLLM's `chatcmpl-tool-…` ids.
struct ParserToolCalls: AutoToolCalls {
    let parser: any ToolParser

    /// The parser vLLM registers as `name`; nil for an unknown name.
    init?(name: String) {
        guard let parser = ToolParserRegistry.make(name) else { return nil }
        self.parser = parser
    }

    func extract(_ text: String) -> (content: String?, calls: [ToolCallOutput]) {
        let extraction = parser.extract(from: text)
        return (extraction.content, extraction.calls.map {
            ToolCallOutput(id: $0.id ?? ToolCallOutput.makeID(), name: $0.name, arguments: $0.arguments)
        })
    }

    func makeStream() -> any AutoToolCallStream { ParserToolCallStream(parser.makeStreamingParser()) }

    var keepsSpecialTokens: Bool { parser.callOpening != nil }
}

/// One streamed answer through a ToolParsers streaming parser.
final class ParserToolCallStream: AutoToolCallStream {
    private let parser: any StreamingToolParser

    init(_ parser: any StreamingToolParser) { self.parser = parser }

    func feed(_ text: String) -> ToolCallStreamer.Delta { Self.delta(parser.feed(text)) }

    func finish() -> ToolCallStreamer.Delta { Self.delta(parser.finish()) }

    /// A call's first piece (the one with its name) carries its id and type, as vLLM's do.
    private static func delta(_ delta: ToolStreamDelta) -> ToolCallStreamer.Delta {
        ToolCallStreamer.Delta(content: delta.content?.isEmpty == false ? delta.content : nil, toolCalls: delta.calls.map { call in
            let opens = call.name != nil
            return DeltaToolCall(id: opens ? (call.id ?? ToolCallOutput.makeID()) : nil, type: opens ? "function" : nil, index: call.index,
                                 function: DeltaFunctionCall(name: call.name.map { .some($0) }, arguments: call.arguments))
        })
    }
}
