/// Qwen3 and Qwen3.5's "<think>…</think>" (vLLM `qwen3`, `vllm/reasoning/qwen3_reasoning_parser.py`).
/// Qwen3.5's chat template writes "<think>" into the prompt; older templates let the model write
/// it, and it is dropped then. With thinking on (the default), an output with no end tag was cut
/// short and is all reasoning, unless a tool call opens first: Qwen3.5 may start "<tool_call>"
/// without closing its reasoning, and a "<tool_call>" followed by "<function=" or "<function "
/// ends the reasoning and stays in the answer.
public struct Qwen3ReasoningParser: ReasoningParser {
    public static let name = "qwen3"
    public var startTag: String { "<think>" }
    public var endTag: String { "</think>" }
    /// The request's `chat_template_kwargs.enable_thinking` (true unless the client turned it off).
    public var thinkingEnabled: Bool

    public init(thinkingEnabled: Bool = true) {
        self.thinkingEnabled = thinkingEnabled
    }

    /// Drops everything up to and including the first "<think>". Then: with "</think>", the
    /// reasoning is the text before it ("" when it comes first) and the answer the text after it
    /// (nil when empty); thinking off, the whole text is the answer and the reasoning nil; a
    /// genuine first "<tool_call>" splits reasoning (nil when empty) from the answer that starts
    /// with the tag; otherwise the whole text is reasoning.
    public func extract(from text: String) -> ReasoningExtraction {
        let split = ThinkTagSplit(text, startTag: startTag, endTag: endTag)
        if let (reasoning, content) = split.aroundEndTag {
            return ReasoningExtraction(reasoning: reasoning, content: content)
        }
        guard thinkingEnabled else { return ReasoningExtraction(reasoning: nil, content: split.body) }
        let scalars = split.scalars
        if let index = TagSearch.firstIndex(of: ToolCallOpening.tag, in: scalars),
           ToolCallOpening.verdict(after: scalars[(index + ToolCallOpening.tag.count)...], final: true) == .genuine {
            let reasoning = String(scalars: scalars[..<index])
            return ReasoningExtraction(reasoning: reasoning.isEmpty ? nil : reasoning,
                                       content: String(scalars: scalars[index...]))
        }
        return ReasoningExtraction(reasoning: split.body, content: nil)
    }

    /// Thinking off, every piece is the answer, unchanged (vLLM's server streams it so, as the
    /// prompt closed the reasoning).
    public func makeStreamingParser() -> any StreamingReasoningParser {
        ThinkingStreamParser(startTag: startTag, endTag: endTag, endsAtToolCall: true, answering: !thinkingEnabled)
    }

    /// As the default, and a genuine "<tool_call>" with no "</tool_call>" after it also ends the
    /// reasoning (a tool call of an earlier turn is closed, and skipped).
    public func isReasoningEnd(in text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        let start = Array(startTag.unicodeScalars), end = Array(endTag.unicodeScalars)
        var index = scalars.count - 1
        while index >= 0 {
            if TagSearch.matches(start, in: scalars, at: index) { return false }
            if TagSearch.matches(end, in: scalars, at: index) { return true }
            if TagSearch.matches(ToolCallOpening.tag, in: scalars, at: index),
               TagSearch.firstIndex(of: ToolCallOpening.closingTag, in: scalars, from: index) == nil,
               ToolCallOpening.verdict(after: scalars[(index + ToolCallOpening.tag.count)...], final: true) == .genuine {
                return true
            }
            index -= 1
        }
        return false
    }
}
