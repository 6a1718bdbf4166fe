/// One running request the scheduler wants drafts for after a step: its tokens so far, the KV
/// blocks it holds and how many drafts it may take.
public struct DraftCandidate {
    public let request: Request
    /// The request's full-attention blocks (a draft model's KV shares their ids).
    public let blockIDs: [Int]
    /// Most drafts: what max-model-len, max_tokens and the adaptive draft length leave, and for a
    /// proposer that writes KV, the request's blocks (>= 1).
    public let limit: Int
}

/// Drafts tokens for speculative decoding (vLLM's proposers): the scheduler asks after each step
/// and verifies the drafts in the next. `NgramProposer` looks them up in the request's own tokens,
/// `SuffixDecodingProposer` in suffix trees over them and earlier outputs, `DraftModelProposer`
/// runs a smaller model.
public protocol DraftProposer {
    /// Most draft tokens per request and step (num_speculative_tokens).
    var k: Int { get }
    /// Whether it writes KV at the drafts' positions (a draft model): the scheduler then gives
    /// each candidate blocks up to its last draft's position first (vLLM's lookahead slots).
    var writesDraftKV: Bool { get }
    /// How far a request's drafts may grow past its last accepted run: the scheduler caps them at
    /// this many times (accepted + 1) (1: one past the run; suffix decoding, which sizes drafts
    /// from its match statistics, doubles).
    var draftLengthFactor: Int { get }
    /// Up to `limit` drafts per candidate, in the candidates' order (empty for none).
    func propose(_ candidates: [DraftCandidate]) throws -> [[Int]]
    /// Requests finished or aborted since the last proposal (before it).
    func requestsFinished(_ requests: [Request])
}

extension DraftProposer {
    public var draftLengthFactor: Int { 1 }
    public func requestsFinished(_ requests: [Request]) {}
}

/// A proposer that looks at one request's tokens at a time.
protocol TokenDraftProposer: DraftProposer {
    /// Up to min(k, limit) tokens to follow `tokens` (prompt and output so far); empty for none.
    func propose(_ tokens: [Int], limit: Int) -> [Int]
}

extension TokenDraftProposer {
    public var writesDraftKV: Bool { false }

    public func propose(_ candidates: [DraftCandidate]) -> [[Int]] {
        candidates.map { propose($0.request.allTokenIDs, limit: $0.limit) }
    }
}

extension SpeculativeConfig {
    /// The proposer of a method that needs no model; nil for a draft model, which
    /// `EngineCore.load` loads (`DraftModelProposer`).
    func makeProposer() -> (any DraftProposer)? {
        switch method {
        case .ngram: NgramProposer(self)
        case .suffix: SuffixDecodingProposer(self)
        case .draftModel: nil
        }
    }
}
