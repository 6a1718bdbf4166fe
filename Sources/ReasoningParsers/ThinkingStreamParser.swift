/// The streaming parser of the think-tag parsers (deepseek_r1, qwen3): the incremental form of
/// their `extract(from:)`. Text is reasoning until the end tag, the answer after it; the first
/// start tag seen while reasoning is dropped; with `endsAtToolCall` (qwen3) the first
/// "<tool_call>" followed by a function tag also ends reasoning and stays in the answer.
///
/// Where the whole text and the stream disagree (vLLM's streaming disagrees there too): text
/// before a start tag that is not at the very beginning is streamed as reasoning, while
/// `extract` drops it; a start tag after the end tag is streamed as answer text; and a genuine
/// tool call followed later by an end tag is streamed as the answer from the tool call on.
final class ThinkingStreamParser: StreamingReasoningParser {
    private let startTag: [Unicode.Scalar]
    private let endTag: [Unicode.Scalar]
    private let endsAtToolCall: Bool
    private var answering: Bool
    private var startDropped = false
    private var toolCallChecked = false
    /// True while `held` starts with "<tool_call>" whose verdict is still open.
    private var holdingToolCall = false
    /// Text not yet sent: a possible start of a tag, or an undecided tool call.
    private var held: [Unicode.Scalar] = []

    /// A parser that starts in the reasoning, or in the answer when `answering` (reasoning
    /// already closed, or thinking off: every piece goes out as the answer, unchanged).
    init(startTag: String, endTag: String, endsAtToolCall: Bool = false, answering: Bool = false) {
        self.startTag = Array(startTag.unicodeScalars)
        self.endTag = Array(endTag.unicodeScalars)
        self.endsAtToolCall = endsAtToolCall
        self.answering = answering
    }

    func feed(_ text: String) -> ReasoningDelta {
        var delta = ReasoningDelta()
        if answering {
            delta.appendContent(text.unicodeScalars)
            return delta
        }
        held.append(contentsOf: text.unicodeScalars)
        advance(&delta, final: false)
        return delta
    }

    func finish() -> ReasoningDelta {
        var delta = ReasoningDelta()
        guard !answering else { return delta }
        advance(&delta, final: true)
        delta.appendReasoning(held)
        held = []
        return delta
    }

    /// Sends what is decided of `held`, keeps the rest.
    private func advance(_ delta: inout ReasoningDelta, final: Bool) {
        while !answering {
            if holdingToolCall {
                switch ToolCallOpening.verdict(after: held.dropFirst(ToolCallOpening.tag.count), final: final) {
                case .undecided:
                    return
                case .genuine:
                    answer(&delta, from: 0)
                    return
                case .notGenuine:
                    holdingToolCall = false
                    toolCallChecked = true
                    delta.appendReasoning(ToolCallOpening.tag)
                    held.removeFirst(ToolCallOpening.tag.count)
                    continue
                }
            }
            let tags = activeTags
            guard let (index, tag) = firstTag(tags) else {
                let keep = final ? 0 : TagSearch.partialTagLength(held, tags: tags)
                delta.appendReasoning(held[..<(held.count - keep)])
                held.removeFirst(held.count - keep)
                return
            }
            delta.appendReasoning(held[..<index])
            if tag == endTag {
                answer(&delta, from: index + endTag.count)
            } else if tag == startTag {
                startDropped = true
                held.removeFirst(index + startTag.count)
            } else {
                holdingToolCall = true
                held.removeFirst(index)
            }
        }
    }

    /// The tags that can still change the state while reasoning.
    private var activeTags: [[Unicode.Scalar]] {
        var tags = [endTag]
        if !startDropped { tags.append(startTag) }
        if endsAtToolCall && !toolCallChecked { tags.append(ToolCallOpening.tag) }
        return tags
    }

    /// The earliest occurrence in `held` of one of `tags` (no tag starts another at one place).
    private func firstTag(_ tags: [[Unicode.Scalar]]) -> (Int, [Unicode.Scalar])? {
        var best: (Int, [Unicode.Scalar])?
        for tag in tags {
            if let index = TagSearch.firstIndex(of: tag, in: held), index < (best?.0 ?? Int.max) { best = (index, tag) }
        }
        return best
    }

    /// Switches to the answer, sending `held` from `start` on as answer text.
    private func answer(_ delta: inout ReasoningDelta, from start: Int) {
        answering = true
        delta.appendContent(held[min(start, held.count)...])
        held = []
        holdingToolCall = false
    }
}
