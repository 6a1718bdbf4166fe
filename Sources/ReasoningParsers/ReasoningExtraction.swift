/// A finished output split into reasoning and the answer (vLLM `extract_reasoning`'s pair).
/// nil means the part is absent; an empty reasoning ("" before an immediate end tag) is kept as
/// "", as vLLM keeps it, while an empty answer is nil.
public struct ReasoningExtraction: Equatable, Sendable {
    public var reasoning: String?
    public var content: String?

    public init(reasoning: String?, content: String?) {
        self.reasoning = reasoning
        self.content = content
    }
}

/// What one streamed piece of output adds to the reasoning and to the answer. A part is nil when
/// the piece adds nothing to it: a delta never carries an empty string.
public struct ReasoningDelta: Equatable, Sendable {
    public var reasoning: String?
    public var content: String?

    public init(reasoning: String? = nil, content: String? = nil) {
        self.reasoning = reasoning
        self.content = content
    }

    /// True when the piece adds nothing (the server sends no chunk for it).
    public var isEmpty: Bool { reasoning == nil && content == nil }

    /// Appends text to the reasoning; empty text leaves the part as it was.
    mutating func appendReasoning<S: Sequence<Unicode.Scalar>>(_ scalars: S) {
        let text = String(scalars: scalars)
        if !text.isEmpty { reasoning = (reasoning ?? "") + text }
    }

    /// Appends text to the answer; empty text leaves the part as it was.
    mutating func appendContent<S: Sequence<Unicode.Scalar>>(_ scalars: S) {
        let text = String(scalars: scalars)
        if !text.isEmpty { content = (content ?? "") + text }
    }
}
