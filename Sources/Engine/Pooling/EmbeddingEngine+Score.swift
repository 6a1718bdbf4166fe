/// One scored pair (vLLM's `ScoringRequestOutput`): for an embedding model, the cosine similarity
/// of the two inputs' embeddings.
public struct ScoringRequestOutput: Sendable, Equatable {
    public var requestID: String
    /// The pair's tokens as vLLM counts them: the first input's, the padding token when the
    /// tokenizer has one, then the second input's.
    public var promptTokenIDs: [Int]
    public var score: Float
}

extension EmbeddingEngine {
    /// Scores text pairs as vLLM's score API does for an embedding model: every text is embedded
    /// once, then `first[i]` is paired with `second[i]`, a single `first` text with each of
    /// `second` (1:1, 1:N or N:N), and each pair scored by the cosine similarity of its
    /// embeddings. Tokenization, truncation and `normalize` as `embed`.
    public func score(_ first: [String], _ second: [String], truncatePromptTokens: Int? = nil,
                      truncationSide: TruncationSide = .left, addSpecialTokens: Bool = true,
                      normalize: Bool? = nil) throws -> [ScoringRequestOutput] {
        try Self.checkPairing(first.count, second.count)
        let embedded = try embed(first + second, truncatePromptTokens: truncatePromptTokens, truncationSide: truncationSide,
                                 addSpecialTokens: addSpecialTokens, normalize: normalize)
        let left = Array(embedded[..<first.count]), right = Array(embedded[first.count...])
        let padding = tokenizer.paddingID.map { [$0] } ?? []
        return right.enumerated().map { index, b in
            let a = left.count == 1 ? left[0] : left[index]
            return ScoringRequestOutput(requestID: "\(a.requestID)_\(b.requestID)", promptTokenIDs: a.promptTokenIDs + padding + b.promptTokenIDs,
                                        score: Self.cosineSimilarity(a.embedding, b.embedding))
        }
    }

    /// Throws unless `count1` texts can be paired with `count2` (vLLM's messages).
    static func checkPairing(_ count1: Int, _ count2: Int) throws {
        if count1 > 1 && count1 != count2 {
            throw GenerationError.invalidParams("Input lengths must be either 1:1, 1:N or N:N")
        }
        if count1 == 0 { throw GenerationError.invalidParams("At least one text element must be given") }
        if count2 == 0 { throw GenerationError.invalidParams("At least one text_pair element must be given") }
    }

    /// a·b / max(|a| |b|, 1e-8), summed in Double (torch's CosineSimilarity, eps 1e-8).
    public static func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Float {
        var dot = 0.0, normA = 0.0, normB = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            normA += Double(x) * Double(x)
            normB += Double(y) * Double(y)
        }
        return Float(dot / max((normA * normB).squareRoot(), 1e-8))
    }
}
