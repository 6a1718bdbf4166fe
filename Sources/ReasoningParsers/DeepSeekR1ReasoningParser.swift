/// DeepSeek R1's "<think>…</think>" (vLLM `deepseek_r1`, `vllm/reasoning/deepseek_r1_reasoning_parser.py`
/// on `basic_parsers.py`). The chat template may already have written "<think>" into the prompt,
/// so the output may hold only "</think>": everything before it is reasoning, and an output with
/// no end tag is all reasoning.
public struct DeepSeekR1ReasoningParser: ReasoningParser {
    public static let name = "deepseek_r1"
    public var startTag: String { "<think>" }
    public var endTag: String { "</think>" }

    public init() {}

    /// Drops everything up to and including the first "<think>"; then the text before the first
    /// "</think>" is the reasoning ("" when the tag comes first) and the text after it the answer
    /// (nil when empty). Without "</think>" the whole text is reasoning and there is no answer.
    public func extract(from text: String) -> ReasoningExtraction {
        let split = ThinkTagSplit(text, startTag: startTag, endTag: endTag)
        guard let (reasoning, content) = split.aroundEndTag else {
            return ReasoningExtraction(reasoning: split.body, content: nil)
        }
        return ReasoningExtraction(reasoning: reasoning, content: content)
    }

    public func makeStreamingParser() -> any StreamingReasoningParser {
        ThinkingStreamParser(startTag: startTag, endTag: endTag)
    }
}
