/// Prompt-lookup drafts (vLLM's `NgramProposer`): the longest suffix of a request's tokens, at
/// most `maxN` and at least `minN` tokens long, that occurred earlier in the same tokens; the
/// tokens that followed its earliest earlier occurrence are the draft (up to `k`, fewer where
/// the sequence ends first). No model runs.
public struct NgramProposer: TokenDraftProposer {
    public let minN: Int
    public let maxN: Int
    public let k: Int

    public init(minN: Int, maxN: Int, k: Int) {
        self.minN = minN
        self.maxN = maxN
        self.k = k
    }

    public init(_ config: SpeculativeConfig) {
        self.init(minN: config.promptLookupMin, maxN: config.promptLookupMax, k: config.numSpeculativeTokens)
    }

    /// Draft tokens to follow `tokens`, at most `limit` (the room left before max-model-len or the
    /// request's max_tokens); empty when no suffix of `minN` or more tokens occurred before.
    public func propose(_ tokens: [Int], limit: Int) -> [Int] {
        let total = tokens.count, k = min(k, limit)
        guard total > minN, k > 0 else { return [] }
        // longest first; an occurrence must end before the last token (it may overlap the suffix)
        for n in stride(from: min(maxN, total - 1), through: minN, by: -1) {
            let suffix = total - n
            var start = 0
            while start + n <= total - 1 {
                var length = 0
                while length < n && tokens[start + length] == tokens[suffix + length] { length += 1 }
                if length == n {
                    let from = start + n
                    return Array(tokens[from..<min(from + k, total)])
                }
                start += 1
            }
        }
        return []
    }
}
