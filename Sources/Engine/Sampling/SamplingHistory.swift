/// What the sampler needs to know about one request besides its logits: the tokens generated so
/// far (min_tokens, bad words), its end-of-sequence ids (min_tokens) and its penalty counts.
public struct SamplingHistory {
    public var outputTokenIDs: [Int]
    public var eosTokenIDs: Set<Int>
    /// Required for the penalties; without it they are not applied.
    public var tokenCounts: TokenCounts?
    /// The tokens a structured-output constraint allows (bit `id % 32` of word `id / 32`), or nil.
    public var allowedTokenBitmask: [UInt32]?

    public init(outputTokenIDs: [Int] = [], eosTokenIDs: Set<Int> = [], tokenCounts: TokenCounts? = nil) {
        self.outputTokenIDs = outputTokenIDs
        self.eosTokenIDs = eosTokenIDs
        self.tokenCounts = tokenCounts
    }
}
