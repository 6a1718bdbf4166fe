/// The token ids of the tags that open and close a model's reasoning ("<think>", "</think>"),
/// for `SamplingParams.reasoningDelimiters`. The engine sees only these ids; the serving layer
/// tokenizes the tags of its reasoning parser. A tag is one id for models that have it as a
/// special token, several otherwise.
public struct ReasoningDelimiters: Sendable, Hashable {
    /// The opening tag's ids; may be empty (then only the end tag counts).
    public var startTokenIDs: [Int]
    /// The closing tag's ids (non-empty).
    public var endTokenIDs: [Int]

    public init(startTokenIDs: [Int], endTokenIDs: [Int]) {
        self.startTokenIDs = startTokenIDs
        self.endTokenIDs = endTokenIDs
    }

    /// True when `tokenIDs` has closed the reasoning: scanning back from the end, a complete end
    /// tag comes before any complete start tag (vLLM `is_reasoning_end`, over tags of one id).
    /// Where both tags end at one position, the longer one is the match.
    public func isReasoningEnd(_ tokenIDs: [Int]) -> Bool {
        var end = tokenIDs.count
        while end > 0 {
            if let closes = tagEnding(at: end, in: tokenIDs) { return closes }
            end -= 1
        }
        return false
    }

    /// True when the last token of `tokenIDs` completes the end tag (the step the reasoning ends).
    public func closesReasoning(_ tokenIDs: [Int]) -> Bool {
        tagEnding(at: tokenIDs.count, in: tokenIDs) == true
    }

    /// Whether the tokens before `end` finish the end tag (true), the start tag (false) or neither (nil).
    private func tagEnding(at end: Int, in tokenIDs: [Int]) -> Bool? {
        let closes = Self.ends(tokenIDs, at: end, with: endTokenIDs)
        let opens = Self.ends(tokenIDs, at: end, with: startTokenIDs)
        switch (closes, opens) {
        case (true, true): return endTokenIDs.count >= startTokenIDs.count
        case (true, false): return true
        case (false, true): return false
        case (false, false): return nil
        }
    }

    private static func ends(_ tokenIDs: [Int], at end: Int, with tag: [Int]) -> Bool {
        !tag.isEmpty && end >= tag.count && end <= tokenIDs.count && tokenIDs[(end - tag.count)..<end].elementsEqual(tag)
    }
}
