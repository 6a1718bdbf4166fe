/// Drafts tokens for speculative decoding from a request's own tokens (vLLM's proposers): the
/// scheduler asks after each step and verifies the drafts in the next. `NgramProposer` is the one
/// implemented; suffix decoding and draft models are meant to plug in here.
public protocol DraftProposer: Sendable {
    /// Most draft tokens per request and step (num_speculative_tokens).
    var k: Int { get }
    /// Up to min(k, limit) tokens to follow `tokens` (prompt and output so far); empty for none.
    func propose(_ tokens: [Int], limit: Int) -> [Int]
}

extension SpeculativeConfig {
    /// The proposer of this configuration's method.
    func makeProposer() -> any DraftProposer {
        switch method {
        case .ngram: NgramProposer(self)
        }
    }
}
