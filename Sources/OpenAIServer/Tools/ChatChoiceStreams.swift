import ReasoningParsers

/// The output parsers of one streamed chat request, one set per choice, created on first use:
/// reasoning first (until the prompt or the text closes it), then the tool-call streamer on the
/// answer. The SSE writer calls it from one task at a time.
final class ChatChoiceStreams: @unchecked Sendable {
    /// What one text delta becomes.
    struct Delta: Equatable {
        var reasoning: String?
        var content: String?
        var toolCalls: [DeltaToolCall] = []

        var isEmpty: Bool { reasoning == nil && content == nil && toolCalls.isEmpty }
    }

    let parsing: ChatOutputParsing
    private var reasoners: [Int: any StreamingReasoningParser] = [:]
    private var streamers: [Int: ToolCallStreamer] = [:]

    init(parsing: ChatOutputParsing) {
        self.parsing = parsing
    }

    /// The delta for choice `index`'s new text, with what the parsers held back when it `finished`.
    func delta(choice index: Int, text: String, finished: Bool) -> Delta {
        var delta = Delta()
        var answer: String? = text
        if let parser = parsing.reasoning, !parsing.promptEndsReasoning {
            let reasoner = reasoners[index] ?? parser.makeStreamingParser()
            reasoners[index] = reasoner
            var split = reasoner.feed(text)
            if finished {
                let rest = reasoner.finish()
                split.reasoning = Self.joined(split.reasoning, rest.reasoning)
                split.content = Self.joined(split.content, rest.content)
            }
            delta.reasoning = parsing.includeReasoning ? split.reasoning : nil
            answer = split.content
        }
        guard let tools = parsing.tools else {
            delta.content = answer?.isEmpty == false ? answer : nil
            return delta
        }
        let streamer = streamers[index] ?? ToolCallStreamer(request: tools, auto: parsing.auto)
        streamers[index] = streamer
        var parts = streamer.feed(answer ?? "")
        if finished {
            let rest = streamer.finish()
            parts.content = Self.joined(parts.content, rest.content)
            parts.toolCalls += rest.toolCalls
        }
        delta.content = parts.content
        delta.toolCalls = parts.toolCalls
        return delta
    }

    /// The finish reason for choice `index`: `"tool_calls"` when it streamed calls and stopped by itself
    /// (not for a named function).
    func finishReason(choice index: Int, engineReason: String?) -> String? {
        parsing.finishReason(engineReason, callsMade: streamers[index]?.streamedCalls ?? false)
    }

    private static func joined(_ first: String?, _ second: String?) -> String? {
        guard let second, !second.isEmpty else { return first }
        return (first ?? "") + second
    }
}
