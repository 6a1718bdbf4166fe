import Testing
import ReasoningParsers

/// The streaming parsers: pinned deltas, and the property that any split of a text streams to the
/// same reasoning and answer as `extract(from:)` (an empty part, "" there, is nil here: a delta
/// never carries an empty string, as vLLM's qwen3 deltas do not).
@Suite struct StreamingReasoningParserTests {
    static let parsers: [any ReasoningParser] = [DeepSeekR1ReasoningParser(), Qwen3ReasoningParser()]

    @Test func holdsBackAPartialTag() {
        let stream = DeepSeekR1ReasoningParser().makeStreamingParser()
        #expect(stream.feed("<thi").isEmpty)
        #expect(stream.feed("nk>abc</th") == ReasoningDelta(reasoning: "abc"))
        #expect(stream.feed("ink>xyz") == ReasoningDelta(content: "xyz"))
        #expect(stream.feed("</think>") == ReasoningDelta(content: "</think>"))
        #expect(stream.finish().isEmpty)
    }

    @Test func oneDeltaCarriesBothParts() {
        let stream = DeepSeekR1ReasoningParser().makeStreamingParser()
        #expect(stream.feed("r</think>c") == ReasoningDelta(reasoning: "r", content: "c"))
        #expect(stream.feed("").isEmpty)
    }

    @Test func finishFlushesAnUnfinishedTagAsReasoning() {
        let stream = DeepSeekR1ReasoningParser().makeStreamingParser()
        #expect(stream.feed("abc</") == ReasoningDelta(reasoning: "abc"))
        #expect(stream.finish() == ReasoningDelta(reasoning: "</"))
        #expect(stream.finish().isEmpty)
    }

    @Test func qwen3HoldsAToolCallUntilItIsDecided() {
        let stream = Qwen3ReasoningParser().makeStreamingParser()
        #expect(stream.feed("a<tool_call>") == ReasoningDelta(reasoning: "a"))
        #expect(stream.feed("\n<func").isEmpty)
        #expect(stream.feed("tion=f>") == ReasoningDelta(content: "<tool_call>\n<function=f>"))
        #expect(stream.feed("</think>") == ReasoningDelta(content: "</think>"))

        let mention = Qwen3ReasoningParser().makeStreamingParser()
        #expect(mention.feed("a<tool_") == ReasoningDelta(reasoning: "a"))
        #expect(mention.feed("call> <f").isEmpty)
        #expect(mention.feed("x</think>b") == ReasoningDelta(reasoning: "<tool_call> <fx", content: "b"))
    }

    /// Where vLLM's own stream and whole-text results disagree, the stream cannot know the future.
    @Test func streamsTextBeforeALateStartTagAsReasoning() {
        let stream = DeepSeekR1ReasoningParser().makeStreamingParser()
        #expect(stream.feed("pre<think>r") == ReasoningDelta(reasoning: "prer"))
        #expect(DeepSeekR1ReasoningParser().extract(from: "pre<think>r") == ReasoningExtraction(reasoning: "r", content: nil))
    }

    static let fragments = ["a", "\n", "<", "</", "<th", "</think", "</think>", "ink>", "e\u{301}",
                            "<tool_call>", "<function="]

    /// Texts of up to three fragments, each with and without a leading "<think>", where the
    /// whole text and the stream must agree.
    static let texts: [String] = {
        var texts: [String] = [""]
        var previous: [String] = [""]
        for _ in 0..<3 {
            previous = previous.flatMap { prefix in fragments.map { prefix + $0 } }
            texts += previous
        }
        return (texts + texts.map { "<think>" + $0 }).filter(streamable)
    }()

    /// Not a start tag after the very beginning, and not a genuine tool call before an end tag
    /// (see `ThinkingStreamParser`).
    static func streamable(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        if let start = find("<think>", in: scalars), start != 0 { return false }
        if let end = find("</think>", in: scalars), let tool = find("<tool_call>", in: scalars), tool < end {
            return Qwen3ReasoningParser().extract(from: text).content?.hasPrefix("<tool_call>") != true
                && !String(text.unicodeScalars.dropFirst(tool)).hasPrefix("<tool_call><function=")
        }
        return true
    }

    static func find(_ tag: String, in scalars: [Unicode.Scalar]) -> Int? {
        let tag = Array(tag.unicodeScalars)
        guard scalars.count >= tag.count else { return nil }
        return (0...(scalars.count - tag.count)).first { scalars[$0..<($0 + tag.count)].elementsEqual(tag) }
    }

    @Test func everySplitStreamsTheWholeTextResult() {
        #expect(Self.texts.count == 2913)
        for parser in Self.parsers {
            for text in Self.texts {
                let whole = parser.extract(from: text)
                let expected = ReasoningExtraction(reasoning: whole.reasoning.flatMap { $0.isEmpty ? nil : $0 },
                                                   content: whole.content.flatMap { $0.isEmpty ? nil : $0 })
                let scalars = Array(text.unicodeScalars)
                var splits = (0...scalars.count).map { [$0] }
                splits.append(Array(0...scalars.count))  // one scalar a piece
                for cuts in splits {
                    let streamed = Self.stream(parser, scalars, cuts: cuts)
                    if streamed != expected {  // one expectation per failure: the loop runs 10^5 times
                        Issue.record("\(type(of: parser).name) \(text.debugDescription) cut at \(cuts): \(String(describing: streamed))")
                    }
                }
            }
        }
    }

    /// Feeds the pieces between `cuts`, then finishes; nil when a delta carries "" or reasoning
    /// follows the answer.
    static func stream(_ parser: any ReasoningParser, _ scalars: [Unicode.Scalar], cuts: [Int]) -> ReasoningExtraction? {
        let stream = parser.makeStreamingParser()
        var result = ReasoningExtraction(reasoning: nil, content: nil)
        var from = 0
        var deltas: [ReasoningDelta] = []
        for cut in cuts + [scalars.count] where cut >= from {
            var piece = String.UnicodeScalarView()
            piece.append(contentsOf: scalars[from..<cut])
            deltas.append(stream.feed(String(piece)))
            from = cut
        }
        deltas.append(stream.finish())
        for delta in deltas {
            if delta.reasoning == "" || delta.content == "" { return nil }
            if let reasoning = delta.reasoning {
                if result.content != nil { return nil }
                result.reasoning = (result.reasoning ?? "") + reasoning
            }
            if let content = delta.content { result.content = (result.content ?? "") + content }
        }
        return result
    }
}
