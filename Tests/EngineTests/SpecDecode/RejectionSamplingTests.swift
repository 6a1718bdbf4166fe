import Foundation
import Testing
@testable import Engine

/// `Sampler.verifyDraft`: whatever the draft, the token it yields (the draft when accepted, the
/// residual draw otherwise) follows the distribution `sample` draws from (chi-square at p = 0.001),
/// and the draft is accepted at its own probability.
@Suite struct RejectionSamplingTests {
    let logits: [Float] = [0, 1, 2, 0.5, -1, 1.5]

    /// Chi-square of `n` seeded verifications of `draft` against the sampler's distribution, and
    /// the share of accepted drafts.
    func verify(_ params: SamplingParams, draft: Int, n: Int = 20_000,
                against reference: SamplingParams? = nil) -> (statistic: Double, acceptance: Double, expected: [Double]) {
        let sampler = Sampler(vocabSize: logits.count)
        var generator = RandomGenerator(seed: 5)
        var counts = [Int](repeating: 0, count: logits.count)
        var accepted = 0
        let expected = logits.withUnsafeBufferPointer { sampler.probabilities(logits: $0, params: reference ?? params) }
        logits.withUnsafeBufferPointer { row in
            for _ in 0..<n {
                let verdict = sampler.verifyDraft(draft, logits: row, params: params, history: SamplingHistory(), generator: &generator)
                counts[verdict.token] += 1
                if verdict.accepted { accepted += 1; #expect(verdict.token == draft) }
            }
        }
        var statistic = 0.0
        for id in counts.indices {
            guard expected[id] > 0 else {
                if counts[id] > 0 { return (.infinity, 0, expected) }
                continue
            }
            let e = Double(n) * expected[id]
            statistic += (Double(counts[id]) - e) * (Double(counts[id]) - e) / e
        }
        return (statistic, Double(accepted) / Double(n), expected)
    }

    // Chi-square bounds at p = 0.001: 5 degrees of freedom 20.52, 2 dof 13.82, 1 dof 10.83.
    @Test("Dense, top-k, top-p and min-p distributions; likely, unlikely and excluded drafts",
          arguments: [(SamplingParams(temperature: 1), 5, 20.52), (SamplingParams(temperature: 0.7), 2, 20.52),
                      (SamplingParams(temperature: 1.3), 4, 20.52), (SamplingParams(temperature: 1, topK: 3), 5, 13.82),
                      (SamplingParams(temperature: 1, topK: 3), 0, 13.82), (SamplingParams(temperature: 1, topP: 0.8), 1, 20.52),
                      (SamplingParams(temperature: 1, minP: 0.3), 3, 20.52)])
    func tokensFollowTheTargetDistribution(params: SamplingParams, draft: Int, bound: Double) {
        let (statistic, acceptance, expected) = verify(params, draft: draft)
        #expect(statistic < bound, "chi-square \(statistic)")
        // accepted at the draft's probability (4 standard deviations of 20,000 draws)
        let p = expected[draft]
        #expect(abs(acceptance - p) <= 4 * (p * (1 - p) / 20_000).squareRoot() + 1e-12, "\(acceptance) vs \(p)")
    }

    @Test func greedyAcceptsOnlyTheArgmaxAndDrawsNothing() {
        let sampler = Sampler(vocabSize: logits.count)
        var generator = RandomGenerator(seed: 5), untouched = RandomGenerator(seed: 5)
        let greedy = SamplingParams(temperature: 0)
        logits.withUnsafeBufferPointer { row in
            #expect(sampler.verifyDraft(2, logits: row, params: greedy, history: SamplingHistory(), generator: &generator) == (true, 2))
            #expect(sampler.verifyDraft(5, logits: row, params: greedy, history: SamplingHistory(), generator: &generator) == (false, 2))
        }
        #expect(generator.nextUnit() == untouched.nextUnit())
        // and the test can fail: draws at T = 2 are not T = 1's distribution
        #expect(verify(SamplingParams(temperature: 2), draft: 2, against: SamplingParams(temperature: 1)).statistic > 100)
    }
}
