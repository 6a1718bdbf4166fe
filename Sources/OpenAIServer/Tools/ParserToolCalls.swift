import Engine
import StructuredOutputs
import SwiftletJSON
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

    /// hermes: free text, in which `<tool_call>` must go on as one call of the request's tools
    /// (`{"name": ..., "arguments": ...}` valid against that tool's parameters) and `</tool_call>`.
    /// Other formats have no fixed opening and closing to hang the constraint on: nil.
    func callConstraint(for request: ToolsRequest) throws -> StructuredOutputsParams? {
        guard type(of: parser).name == HermesToolParser.name, !request.tools.isEmpty else { return nil }
        let calls = try ToolCallSchema.callObjects(request.tools, argumentsKey: "arguments")
        var schema: JSONObject = ["type": "object", "anyOf": .array(calls.alternatives)]
        if !calls.defs.isEmpty { schema.append(.object(calls.defs), forKey: "$defs") }
        let tag = StructuralTag(triggers: ["<tool_call>"],
                                structures: [.init(begin: "<tool_call>", schema: .object(schema), end: "</tool_call>")],
                                stopAfterFirst: !request.parallelToolCalls)
        return StructuredOutputsParams(.structuralTag(tag))
    }
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
