import Testing
import ReasoningParsers

/// `extract(from:)` against vLLM's deepseek_r1 results (`basic_parsers.py` `extract_reasoning`).
@Suite struct DeepSeekR1ReasoningParserTests {
    static let cases: [(text: String, reasoning: String?, content: String?)] = [
        ("<think>This is a reasoning section</think>This is the rest", "This is a reasoning section", "This is the rest"),
        // The template put "<think>" in the prompt: the output holds only the end tag.
        ("This is a reasoning section</think>This is the rest", "This is a reasoning section", "This is the rest"),
        // No end tag: all reasoning, with or without the start tag.
        ("<think>This is a reasoning section", "This is a reasoning section", nil),
        ("This is a reasoning section", "This is a reasoning section", nil),
        ("", "", nil),
        // Empty parts: reasoning "" is kept, an empty answer is nil.
        ("<think>reasoning</think>", "reasoning", nil),
        ("</think>answer", "", "answer"),
        ("<think></think>", "", nil),
        ("<think>Line 1\nLine 2</think>\nAnswer\n", "Line 1\nLine 2", "\nAnswer\n"),
        // Text before the first start tag is dropped; later tags stay in the text.
        ("pre<think>r</think>c", "r", "c"),
        ("<think>a<think>b</think>c", "a<think>b", "c"),
        ("<think>a</think>b</think>c<think>", "a", "b</think>c<think>"),
        // The first start tag is looked for in the whole output, even after the end tag.
        ("a</think>b<think>c", "c", nil),
        // Tags are matched on code points: a combining mark after one does not hide it.
        ("r</think>\u{301}x", "r", "\u{301}x"),
        ("<think", "<think", nil),
        ("a</think", "a</think", nil),
    ]

    @Test(arguments: cases.indices)
    func extracts(_ index: Int) {
        let (text, reasoning, content) = Self.cases[index]
        #expect(DeepSeekR1ReasoningParser().extract(from: text) == ReasoningExtraction(reasoning: reasoning, content: content))
    }

    @Test func tags() {
        let parser = DeepSeekR1ReasoningParser()
        #expect(DeepSeekR1ReasoningParser.name == "deepseek_r1")
        #expect(parser.startTag == "<think>")
        #expect(parser.endTag == "</think>")
    }

    /// vLLM's `is_reasoning_end` over a prompt: the last tag decides.
    @Test func promptEndsReasoning() {
        let parser = DeepSeekR1ReasoningParser()
        #expect(parser.isReasoningEnd(in: "<|User|>hi<|Assistant|><think>\n\n</think>\n\n"))
        #expect(!parser.isReasoningEnd(in: "<|User|>hi<|Assistant|><think>\n"))
        #expect(!parser.isReasoningEnd(in: "<|User|>hi<|Assistant|>"))
        #expect(!parser.isReasoningEnd(in: "a</think>b<|Assistant|><think>"))
        #expect(parser.isReasoningEnd(in: "</think>"))
        #expect(!parser.isReasoningEnd(in: ""))
        #expect(!parser.isReasoningEnd(in: "<tool_call>\n<function=f>"))
    }
}
