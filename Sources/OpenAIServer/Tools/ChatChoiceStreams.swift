/// The tool-call streamers of one streamed chat request, one per choice, created on first use.
/// The SSE writer calls it from one task at a time.
final class ChatChoiceStreams: @unchecked Sendable {
    let tools: ToolsRequest
    private let auto: (any AutoToolCalls)?
    private var streamers: [Int: ToolCallStreamer] = [:]

    init(tools: ToolsRequest, auto: (any AutoToolCalls)?) {
        self.tools = tools
        self.auto = auto
    }

    /// The delta for choice `index`'s new text, with what the streamer held back when it `finished`.
    func delta(choice index: Int, text: String, finished: Bool) -> ToolCallStreamer.Delta {
        let streamer = streamers[index] ?? ToolCallStreamer(request: tools, auto: auto)
        streamers[index] = streamer
        var delta = streamer.feed(text)
        if finished {
            let rest = streamer.finish()
            if let content = rest.content { delta.content = (delta.content ?? "") + content }
            delta.toolCalls += rest.toolCalls
        }
        return delta
    }

    /// The finish reason for choice `index`: `"tool_calls"` when it streamed calls and stopped by itself
    /// (not for a named function).
    func finishReason(choice index: Int, engineReason: String?) -> String? {
        ToolCallMessage.finishReason(engineReason, request: tools, callsMade: streamers[index]?.streamedCalls ?? false)
    }
}
