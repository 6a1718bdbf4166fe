import ReasoningParsers

/// How one chat request's generated text becomes the message's fields, as vLLM's parser does it:
/// first the reasoning parser (`--reasoning-parser`) splits off the reasoning, then the tool
/// fields turn the rest into content and tool calls.
struct ChatOutputParsing: Sendable {
    var tools: ToolsRequest?
    var auto: (any AutoToolCalls)?
    var reasoning: (any ReasoningParser)?
    /// The prompt already closed the reasoning (a template that writes `<think></think>`): a
    /// stream's text is all answer (vLLM checks the prompt for streams only).
    var promptEndsReasoning = false
    /// `include_reasoning: false` leaves the reasoning out of the response.
    var includeReasoning = true

    /// Whether the text needs any parsing at all.
    var isActive: Bool { tools != nil || reasoning != nil }

    /// The fields of a finished choice's message.
    func message(for text: String) -> (reasoning: String?, content: String?, toolCalls: [ToolCallOutput]) {
        var reasoningText: String?
        var content: String? = text
        if let reasoning {
            let split = reasoning.extract(from: text)
            reasoningText = includeReasoning ? split.reasoning : nil
            content = split.content
        }
        guard let tools else { return (reasoningText, content, []) }
        let parsed = ToolCallMessage(text: content ?? "", request: tools, auto: auto)
        // A forced call's content is "" even when nothing was parsed; otherwise no text stays none.
        let kept = content == nil && !tools.forcesCalls ? nil : parsed.content
        return (reasoningText, kept, parsed.toolCalls)
    }

    /// The finish reason of a choice that made `callsMade` tool calls.
    func finishReason(_ engineReason: String?, callsMade: Bool) -> String? {
        ToolCallMessage.finishReason(engineReason, request: tools, callsMade: callsMade)
    }
}
