import Foundation
import Testing
@testable import Engine

@Suite struct SamplerTests {
    func sample(_ logits: [Float], _ params: SamplingParams, seed: UInt64 = 7, draws: Int = 1) -> [Int] {
        let sampler = Sampler(vocabSize: logits.count)
        var generator = RandomGenerator(seed: seed)
        return logits.withUnsafeBufferPointer { row in
            (0..<draws).map { _ in sampler.sample(logits: row, params: params, generator: &generator) }
        }
    }

    @Test func greedyTakesTheFirstLargest() {
        #expect(sample([0, 3, 1, 3], SamplingParams(temperature: 0)) == [1])
        #expect(sample([-.infinity, -1, -2], SamplingParams(temperature: 0)) == [1])
    }

    @Test func topKOneAndTinyTopPAreGreedy() {
        let logits: [Float] = [0.5, 2.0, 1.9, -1]
        #expect(sample(logits, SamplingParams(temperature: 1, topK: 1), draws: 50) == Array(repeating: 1, count: 50))
        #expect(sample(logits, SamplingParams(temperature: 1, topP: 0.01), draws: 50) == Array(repeating: 1, count: 50))
    }

    @Test func topKKeepsOnlyTheBestK() {
        let draws = sample([0, 1, 2, 3, 4], SamplingParams(temperature: 5, topK: 2), draws: 400)
        #expect(Set(draws) == [3, 4])
    }

    @Test func topPKeepsTheSmallestNucleus() {
        // Probabilities 0.5, 0.25, 0.125, 0.125: top_p 0.7 keeps ids 0 and 1.
        let logits: [Float] = [log(0.5), log(0.25), log(0.125), log(0.125)].map(Float.init)
        let draws = sample(logits, SamplingParams(temperature: 1, topP: 0.7), draws: 400)
        #expect(Set(draws) == [0, 1])
    }

    @Test func sameSeedSameDrawsOtherSeedOtherDraws() {
        let logits = (0..<100).map { Float($0 % 7) * 0.3 }
        let params = SamplingParams(temperature: 1)
        #expect(sample(logits, params, seed: 42, draws: 64) == sample(logits, params, seed: 42, draws: 64))
        #expect(sample(logits, params, seed: 42, draws: 64) != sample(logits, params, seed: 43, draws: 64))
    }

    /// Frequencies at temperature 1 follow the softmax (chi-square, 3 degrees of freedom, p = 0.001 bound 16.27).
    @Test func frequenciesFollowTheSoftmax() {
        let logits: [Float] = [0, 1, 2, 0.5]
        let n = 20_000
        let draws = sample(logits, SamplingParams(temperature: 1), seed: 3, draws: n)
        let weights = logits.map { exp(Double($0)) }
        let total = weights.reduce(0, +)
        var chiSquare = 0.0
        for id in 0..<4 {
            let expected = Double(n) * weights[id] / total
            let observed = Double(draws.filter { $0 == id }.count)
            chiSquare += (observed - expected) * (observed - expected) / expected
        }
        #expect(chiSquare < 16.27, "chi-square \(chiSquare)")
    }

    @Test func logprobsAreLogSoftmaxWithRanks() {
        let logits: [Float] = [1, 3, 2, 3, 0]
        let result = logits.withUnsafeBufferPointer { TokenLogprobs(logits: $0, chosen: 2, k: 3) }
        let logSumExp = log(logits.map { exp(Double($0)) }.reduce(0, +))
        #expect(result.rank == 3)
        #expect(result.top.map(\.tokenID) == [1, 3, 2])
        #expect(abs(Double(result.chosen.logprob) - (2 - logSumExp)) < 1e-6)
        #expect(abs(Double(result.top[0].logprob) - (3 - logSumExp)) < 1e-6)
        let none = logits.withUnsafeBufferPointer { TokenLogprobs(logits: $0, chosen: 4, k: 0) }
        #expect(none.top.isEmpty && none.rank == 5)
    }

    @Test func validationNamesTheField() {
        func message(_ params: SamplingParams) -> String {
            do { try params.validate(vocabSize: 10); return "ok" } catch { return "\(error)" }
        }
        #expect(message(SamplingParams()) == "ok")
        #expect(message(SamplingParams(n: 0)) == "n must be at least 1, got 0")
        #expect(message(SamplingParams(temperature: -1)) == "temperature must be in [0, 2], got -1.0")
        #expect(message(SamplingParams(temperature: 2.5)) == "temperature must be in [0, 2], got 2.5")
        #expect(message(SamplingParams(temperature: 2)) == "ok")
        #expect(message(SamplingParams(n: 16385)) == "n must be at most 16384, got 16385")
        #expect(message(SamplingParams(topP: 0)) == "top_p must be in (0, 1], got 0.0")
        #expect(message(SamplingParams(topK: -2)) == "top_k must be -1, 0 (off) or a positive count, got -2")
        #expect(message(SamplingParams(maxTokens: 0)) == "max_tokens must be at least 1, got 0")
        #expect(message(SamplingParams(stopTokenIDs: [10])) == "stop_token_ids must be a token id below 10, got 10")
        #expect(message(SamplingParams(logprobs: 21)) == "logprobs must be 0...20 (--max-logprobs), got 21")
    }
}
