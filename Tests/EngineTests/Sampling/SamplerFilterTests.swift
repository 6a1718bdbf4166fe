import Foundation
import Testing
@testable import Engine

/// Each filter and logits processor on hand-made logits: exact kept sets and exact arithmetic.
@Suite struct SamplerFilterTests {
    /// The distribution the sampler draws from.
    func probabilities(_ logits: [Float], _ params: SamplingParams, _ history: SamplingHistory = SamplingHistory()) -> [Double] {
        let sampler = Sampler(vocabSize: logits.count)
        return logits.withUnsafeBufferPointer { sampler.probabilities(logits: $0, params: params, history: history) }
    }

    /// The logits after the processors (allowed ids, bad words, min_tokens, bias, penalties).
    func processed(_ logits: [Float], _ params: SamplingParams, _ history: SamplingHistory = SamplingHistory()) -> [Float] {
        let sampler = Sampler(vocabSize: logits.count)
        _ = logits.withUnsafeBufferPointer { sampler.work.initialize(from: $0) }
        sampler.applyProcessors(params: params, history: history)
        return Array(sampler.work)
    }

    func kept(_ probabilities: [Double]) -> [Int] { probabilities.indices.filter { probabilities[$0] > 0 } }

    /// Probabilities 0.4, 0.3, 0.2, 0.1 (ids 0...3) as logits.
    let quarters: [Float] = [0.4, 0.3, 0.2, 0.1].map { Float(log($0)) }

    @Test func topKKeepsTheKBestWithTiesByLowerID() {
        let logits: [Float] = [1, 5, 3, 5, 2, 3]
        #expect(kept(probabilities(logits, SamplingParams(topK: 1))) == [1])
        #expect(kept(probabilities(logits, SamplingParams(topK: 2))) == [1, 3])
        #expect(kept(probabilities(logits, SamplingParams(topK: 3))) == [1, 2, 3])
        #expect(kept(probabilities(logits, SamplingParams(topK: 4))) == [1, 2, 3, 5])
        #expect(kept(probabilities(logits, SamplingParams(topK: -1))) == [0, 1, 2, 3, 4, 5])
        let two = probabilities([0, log(3), 1, -1], SamplingParams(topK: 2))
        #expect(abs(two[1] - 3 / (3 + M_E)) < 1e-6 && abs(two[2] - M_E / (3 + M_E)) < 1e-6)
    }

    @Test func topPKeepsTheSmallestPrefixReachingP() {
        #expect(kept(probabilities(quarters, SamplingParams(topP: 0.4))) == [0])
        #expect(kept(probabilities(quarters, SamplingParams(topP: 0.5))) == [0, 1])
        #expect(kept(probabilities(quarters, SamplingParams(topP: 0.75))) == [0, 1, 2])
        #expect(kept(probabilities(quarters, SamplingParams(topP: 0.95))) == [0, 1, 2, 3])
        let nucleus = probabilities(quarters, SamplingParams(topP: 0.5))
        #expect(abs(nucleus[0] - 4.0 / 7) < 1e-6 && abs(nucleus[1] - 3.0 / 7) < 1e-6)
        // Top-p applies to the top-k renormalized set: {0, 1} is 4/7, 3/7, so 0.5 keeps only id 0.
        #expect(kept(probabilities(quarters, SamplingParams(topP: 0.5, topK: 2))) == [0])
    }

    @Test func minPKeepsTokensAtLeastMinPTimesTheTop() {
        // Relative probabilities 1, 0.75, 0.5, 0.25.
        #expect(kept(probabilities(quarters, SamplingParams(minP: 0.5))) == [0, 1, 2])
        #expect(kept(probabilities(quarters, SamplingParams(minP: 0.51))) == [0, 1])
        #expect(kept(probabilities(quarters, SamplingParams(minP: 1))) == [0])
        #expect(kept(probabilities(quarters, SamplingParams(topK: 3, minP: 0.6))) == [0, 1])
        // min_p comes before top-p (vLLM): after min_p 0.5 the set is 4/9, 3/9, 2/9; top_p 0.7 keeps 2.
        #expect(kept(probabilities(quarters, SamplingParams(topP: 0.7, minP: 0.5))) == [0, 1])
        // Temperature first: at T = 0.5 the relative probabilities are squared: 1, 0.5625, 0.25, 0.0625.
        #expect(kept(probabilities(quarters, SamplingParams(temperature: 0.5, minP: 0.3))) == [0, 1])
    }

    @Test func logitBiasIsAddedAndClampedTo100() {
        let logits: [Float] = [1, 2, 3, 4]
        #expect(processed(logits, SamplingParams(logitBias: [0: 2.5, 3: -1])) == [3.5, 2, 3, 3])
        #expect(processed(logits, SamplingParams(logitBias: [1: 1000, 2: -1000])) == [1, 102, -97, 4])
        #expect(sampleGreedy(logits, SamplingParams(temperature: 0, logitBias: [0: 3.5])) == 0)
    }

    @Test func allowedTokenIDsMaskEverythingElse() {
        let logits: [Float] = [5, 1, 2, 4, 3]
        #expect(processed(logits, SamplingParams(allowedTokenIDs: [2, 4, 2])) == [-.infinity, -.infinity, 2, -.infinity, 3])
        #expect(sampleGreedy(logits, SamplingParams(temperature: 0, allowedTokenIDs: [1, 2])) == 2)
        #expect(kept(probabilities(logits, SamplingParams(allowedTokenIDs: [1, 3]))) == [1, 3])
    }

    @Test func badWordsBanTheLastTokenAfterAMatchingPrefix() {
        let logits: [Float] = [0, 0, 0, 0, 0, 0]
        let params = SamplingParams(badWordsTokenIDs: [[4], [1, 2, 3], [2, 5]])
        let inf = -Float.infinity
        // A single-token word is always banned; [1, 2, 3] bans 3 only after ... 1, 2; [2, 5] bans 5 after 2.
        #expect(processed(logits, params, SamplingHistory(outputTokenIDs: [])) == [0, 0, 0, 0, inf, 0])
        #expect(processed(logits, params, SamplingHistory(outputTokenIDs: [1, 2])) == [0, 0, 0, inf, inf, inf])
        #expect(processed(logits, params, SamplingHistory(outputTokenIDs: [2, 1])) == [0, 0, 0, 0, inf, 0])
        #expect(processed(logits, params, SamplingHistory(outputTokenIDs: [0, 0, 2])) == [0, 0, 0, 0, inf, inf])
    }

    @Test func minTokensMasksEOSAndStopIDsUntilReached() {
        let logits: [Float] = [0, 1, 2, 3]
        let params = SamplingParams(temperature: 0, stopTokenIDs: [2], minTokens: 2)
        let eos: Set<Int> = [3]
        #expect(processed(logits, params, SamplingHistory(outputTokenIDs: [0], eosTokenIDs: eos)) == [0, 1, -.infinity, -.infinity])
        #expect(sampleGreedy(logits, params, SamplingHistory(outputTokenIDs: [0], eosTokenIDs: eos)) == 1)
        #expect(sampleGreedy(logits, params, SamplingHistory(outputTokenIDs: [0, 1], eosTokenIDs: eos)) == 3)
        // ignore_eos leaves EOS alone (it is not a stop token then), the stop ids are still masked.
        var ignoring = params
        ignoring.ignoreEOS = true
        #expect(processed(logits, ignoring, SamplingHistory(outputTokenIDs: [], eosTokenIDs: eos)) == [0, 1, -.infinity, 3])
    }

    @Test func repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        let logits: [Float] = [2, -2, 3, -3, 5]
        let counts = TokenCounts(promptTokenIDs: [0, 1, 1])
        counts.update(outputTokenIDs: [2, 3, 2])
        let history = SamplingHistory(outputTokenIDs: [2, 3, 2], tokenCounts: counts)
        #expect(processed(logits, SamplingParams(repetitionPenalty: 2), history) == [1, -4, 1.5, -6, 5])
        #expect(processed(logits, SamplingParams(repetitionPenalty: 0.5), history) == [4, -1, 6, -1.5, 5])
    }

    @Test func frequencyAndPresencePenaltiesCountOutputTokensOnly() {
        let logits: [Float] = [2, -2, 3, -3, 5]
        let counts = TokenCounts(promptTokenIDs: [0, 4])
        counts.update(outputTokenIDs: [2, 3])
        counts.update(outputTokenIDs: [2, 3, 2])  // incremental: only the new 2 is counted
        #expect(counts.outputCounts == [2: 2, 3: 1] && counts.numCountedOutputTokens == 3)
        let history = SamplingHistory(outputTokenIDs: [2, 3, 2], tokenCounts: counts)
        // id 2: 3 - (0.5 * 2 + 0.25); id 3: -3 - (0.5 * 1 + 0.25); prompt ids untouched.
        #expect(processed(logits, SamplingParams(presencePenalty: 0.25, frequencyPenalty: 0.5), history) == [2, -2, 1.75, -3.75, 5])
        #expect(processed(logits, SamplingParams(presencePenalty: -1), history) == [2, -2, 4, -2, 5])
        // Repetition first, then frequency and presence: 3 / 2 - 1.25 = 0.25; -3 * 2 - 0.75 = -6.75.
        let all = SamplingParams(presencePenalty: 0.25, frequencyPenalty: 0.5, repetitionPenalty: 2)
        #expect(processed(logits, all, history) == [1, -2, 0.25, -6.75, 2.5])
    }

    @Test func greedyAppliesTheProcessorsBeforeArgmax() {
        let logits: [Float] = [1, 4, 3.9, 0]
        let counts = TokenCounts(promptTokenIDs: [])
        counts.update(outputTokenIDs: [1])
        let history = SamplingHistory(outputTokenIDs: [1], tokenCounts: counts)
        #expect(sampleGreedy(logits, SamplingParams(temperature: 0), history) == 1)
        #expect(sampleGreedy(logits, SamplingParams(temperature: 0, frequencyPenalty: 0.2), history) == 2)
        #expect(sampleGreedy(logits, SamplingParams(temperature: 0, repetitionPenalty: 1.1), history) == 2)
        // Everything masked: the raw argmax rather than a token the filters never saw.
        #expect(sampleGreedy(logits, SamplingParams(temperature: 1, allowedTokenIDs: [0], badWordsTokenIDs: [[0]])) == 1)
    }

    func sampleGreedy(_ logits: [Float], _ params: SamplingParams, _ history: SamplingHistory = SamplingHistory()) -> Int {
        let sampler = Sampler(vocabSize: logits.count)
        var generator = RandomGenerator(seed: 1)
        return logits.withUnsafeBufferPointer { sampler.sample(logits: $0, params: params, history: history, generator: &generator) }
    }
}
