/// Cumulative speculative-decoding counters (vLLM `SpecDecodingStats`), kept by the scheduler as
/// it verifies drafts and exported with vLLM's metric names.
public struct SpecDecodingStats: Sendable, Equatable {
    /// Draft positions per step (num_speculative_tokens); 0 when speculative decoding is off.
    public var numSpeculativeTokens: Int
    /// Chunks that carried drafts.
    public private(set) var numDrafts = 0
    /// Draft tokens verified.
    public private(set) var numDraftTokens = 0
    /// Draft tokens accepted.
    public private(set) var numAcceptedTokens = 0
    /// Accepted drafts by their position in the draft (index 0: the first draft token).
    public private(set) var numAcceptedTokensPerPosition: [Int]

    public init(numSpeculativeTokens: Int = 0) {
        self.numSpeculativeTokens = max(0, numSpeculativeTokens)
        numAcceptedTokensPerPosition = [Int](repeating: 0, count: self.numSpeculativeTokens)
    }

    /// One chunk's verification: `numAccepted` leading drafts of `numDrafts` accepted.
    mutating func record(numDrafts drafts: Int, numAccepted: Int) {
        numDrafts += 1
        numDraftTokens += drafts
        numAcceptedTokens += numAccepted
        for position in 0..<min(numAccepted, numAcceptedTokensPerPosition.count) { numAcceptedTokensPerPosition[position] += 1 }
    }

    /// Accepted over drafted tokens (0 with none drafted).
    public var acceptanceRate: Double { numDraftTokens > 0 ? Double(numAcceptedTokens) / Double(numDraftTokens) : 0 }
    /// Tokens a verified draft step produced on average: its accepted drafts plus the sampled one.
    public var meanAcceptanceLength: Double { numDrafts > 0 ? 1 + Double(numAcceptedTokens) / Double(numDrafts) : 0 }
}
