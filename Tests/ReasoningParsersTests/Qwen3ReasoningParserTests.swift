import Testing
import ReasoningParsers

/// `extract(from:)` against vLLM's qwen3 results (`qwen3_reasoning_parser.py` `extract_reasoning`).
@Suite struct Qwen3ReasoningParserTests {
    static let thinking: [(text: String, reasoning: String?, content: String?)] = [
        ("<think>This is a reasoning section</think>This is the rest", "This is a reasoning section", "This is the rest"),
        // Qwen3.5: "<think>" is in the prompt.
        ("This is a reasoning section</think>This is the rest", "This is a reasoning section", "This is the rest"),
        // Thinking on and no end tag: cut short, all reasoning.
        ("This is a reasoning section", "This is a reasoning section", nil),
        ("<think>This is a reasoning section", "This is a reasoning section", nil),
        ("", "", nil),
        ("</think>answer", "", "answer"),
        ("<think>reasoning</think>", "reasoning", nil),
        ("pre<think>r</think>c", "r", "c"),
        // A tool call opened inside the reasoning ends it; the tag stays in the answer.
        ("Let me check.\n<tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n</function>\n</tool_call>",
         "Let me check.\n", "<tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n</function>\n</tool_call>"),
        ("<tool_call><function name=\"f\">", nil, "<tool_call><function name=\"f\">"),
        ("<think><tool_call>\t<function\n", nil, "<tool_call>\t<function\n"),
        // A mere mention is not a tool call: "<function" must follow, then whitespace or "=".
        ("I could write <tool_call> here", "I could write <tool_call> here", nil),
        ("a<tool_call>\n<functions>", "a<tool_call>\n<functions>", nil),
        ("a<tool_call>\n<function", "a<tool_call>\n<function", nil),
        // Only the first "<tool_call>" is looked at.
        ("a<tool_call> b <tool_call><function=f>", "a<tool_call> b <tool_call><function=f>", nil),
        // The end tag wins over a tool call.
        ("a<tool_call>\n<function=f></think>b", "a<tool_call>\n<function=f>", "b"),
    ]

    static let notThinking: [(text: String, reasoning: String?, content: String?)] = [
        ("The answer", nil, "The answer"),
        ("<think>The answer", nil, "The answer"),
        ("", nil, ""),
        ("a<tool_call>\n<function=f>", nil, "a<tool_call>\n<function=f>"),
        // An end tag still splits.
        ("a</think>b", "a", "b"),
    ]

    @Test(arguments: thinking.indices)
    func extractsWhileThinking(_ index: Int) {
        let (text, reasoning, content) = Self.thinking[index]
        #expect(Qwen3ReasoningParser().extract(from: text) == ReasoningExtraction(reasoning: reasoning, content: content))
    }

    @Test(arguments: notThinking.indices)
    func extractsWithThinkingOff(_ index: Int) {
        let (text, reasoning, content) = Self.notThinking[index]
        let parser = Qwen3ReasoningParser(thinkingEnabled: false)
        #expect(parser.extract(from: text) == ReasoningExtraction(reasoning: reasoning, content: content))
    }

    /// Thinking off, the stream is the answer, tags and all.
    @Test func streamsAnswerWithThinkingOff() {
        let stream = Qwen3ReasoningParser(thinkingEnabled: false).makeStreamingParser()
        #expect(stream.feed("<think>a</thi") == ReasoningDelta(content: "<think>a</thi"))
        #expect(stream.feed("nk>b") == ReasoningDelta(content: "nk>b"))
        #expect(stream.finish().isEmpty)
    }

    /// The qwen3 chat template with enable_thinking false closes the reasoning in the prompt.
    @Test func promptEndsReasoning() {
        let parser = Qwen3ReasoningParser()
        #expect(parser.isReasoningEnd(in: "<|im_start|>assistant\n<think>\n\n</think>\n\n"))
        #expect(!parser.isReasoningEnd(in: "<|im_start|>assistant\n<think>\n"))
        #expect(!parser.isReasoningEnd(in: "<|im_start|>assistant\n"))
        #expect(parser.isReasoningEnd(in: "<think>a<tool_call>\n<function=f>"))
        // A closed tool call (an earlier turn) and a mention are skipped.
        #expect(!parser.isReasoningEnd(in: "<tool_call>\n<function=f></tool_call><think>"))
        #expect(!parser.isReasoningEnd(in: "<tool_call>\n<function=f></tool_call>"))
        #expect(!parser.isReasoningEnd(in: "<think>a<tool_call> b"))
        #expect(parser.isReasoningEnd(in: "</think><tool_call>\n<function=f></tool_call>"))
    }

    @Test func registry() throws {
        #expect(ReasoningParserRegistry.names == ["deepseek_r1", "qwen3"])
        #expect(ReasoningParserRegistry.make("deepseek_r1") is DeepSeekR1ReasoningParser)
        let qwen = try #require(ReasoningParserRegistry.make("qwen3") as? Qwen3ReasoningParser)
        #expect(qwen.thinkingEnabled)
        let off = try #require(ReasoningParserRegistry.make("qwen3", enableThinking: false) as? Qwen3ReasoningParser)
        #expect(!off.thinkingEnabled)
        #expect(ReasoningParserRegistry.make("hermes") == nil)
        #expect(ReasoningParserRegistry.make("") == nil)
    }
}
