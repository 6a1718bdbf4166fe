/// Splits a model's output into its reasoning and its answer, as vLLM's reasoning parser of the
/// same name does (`vllm/reasoning/`). Works on text only: the serving layer owns it; the engine
/// sees only token ids (`SamplingParams.reasoningDelimiters`).
public protocol ReasoningParser: Sendable {
    /// The name vLLM registers the parser under (`--reasoning-parser`).
    static var name: String { get }
    /// The tag that opens reasoning, such as "<think>".
    var startTag: String { get }
    /// The tag that closes reasoning, such as "</think>".
    var endTag: String { get }
    /// The split of a finished output (vLLM `extract_reasoning`).
    func extract(from text: String) -> ReasoningExtraction
    /// A parser for one streamed output.
    func makeStreamingParser() -> any StreamingReasoningParser
    /// True when `text` (a rendered prompt, say) already closed reasoning: scanning back from
    /// its end, the end tag comes before any start tag (vLLM `is_reasoning_end` on the prompt's
    /// ids). The server then streams the whole output as content without this parser, as vLLM
    /// does (a chat template that writes "<think>\n\n</think>\n\n" when thinking is off).
    func isReasoningEnd(in text: String) -> Bool
}

extension ReasoningParser {
    public func isReasoningEnd(in text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        let lastEnd = TagSearch.lastIndex(of: Array(endTag.unicodeScalars), in: scalars)
        let lastStart = TagSearch.lastIndex(of: Array(startTag.unicodeScalars), in: scalars)
        guard let lastEnd else { return false }
        return lastStart.map { $0 < lastEnd } ?? true
    }
}

/// Turns the pieces of one streamed output into reasoning and answer deltas. Pieces may split
/// the text anywhere, even inside a tag: a piece's tail that could start a tag is held back
/// until the next piece or `finish()` decides it.
public protocol StreamingReasoningParser: AnyObject {
    /// The delta for the next piece of text.
    func feed(_ text: String) -> ReasoningDelta
    /// Flushes what was held back, at the end of the output.
    func finish() -> ReasoningDelta
}
