import Foundation
import Testing
@testable import Engine

/// Sampled frequencies against the distributions temperature, top-k and top-p define
/// (chi-square at p = 0.001), and the pruned top-k / top-p against a full sort on a large vocab.
@Suite struct SamplerStatisticsTests {
    let logits: [Float] = [0, 1, 2, 0.5, -1, 1.5]

    /// Chi-square of `n` seeded draws against `expected` (normalized; zero cells must never occur).
    func chiSquare(_ params: SamplingParams, expected: [Double], n: Int = 20_000, seed: UInt64 = 11) -> Double {
        let sampler = Sampler(vocabSize: logits.count)
        var generator = RandomGenerator(seed: seed)
        var counts = [Int](repeating: 0, count: logits.count)
        logits.withUnsafeBufferPointer { row in
            for _ in 0..<n { counts[sampler.sample(logits: row, params: params, generator: &generator)] += 1 }
        }
        var statistic = 0.0
        for id in counts.indices {
            if expected[id] == 0 {
                if counts[id] > 0 { return .infinity }
                continue
            }
            let e = Double(n) * expected[id]
            statistic += (Double(counts[id]) - e) * (Double(counts[id]) - e) / e
        }
        return statistic
    }

    /// Softmax of logits / t restricted to `keep`.
    func softmax(_ t: Double, keep: Set<Int>? = nil) -> [Double] {
        let weights = logits.indices.map { keep == nil || keep!.contains($0) ? exp(Double(logits[$0]) / t) : 0 }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    // Chi-square bounds at p = 0.001: 5 degrees of freedom 20.52, 2 dof 13.82, 1 dof 10.83.
    @Test func temperatureOneFollowsTheSoftmax() {
        #expect(chiSquare(SamplingParams(temperature: 1), expected: softmax(1)) < 20.52)
    }

    @Test func temperatureSharpensAndFlattens() {
        #expect(chiSquare(SamplingParams(temperature: 0.5), expected: softmax(0.5)) < 20.52)
        #expect(chiSquare(SamplingParams(temperature: 2), expected: softmax(2)) < 20.52)
        // And the test can fail: T = 2 draws are not T = 1 draws.
        #expect(chiSquare(SamplingParams(temperature: 2), expected: softmax(1)) > 100)
    }

    @Test func topKAndTopPRenormalizeTheKeptTokens() {
        #expect(chiSquare(SamplingParams(temperature: 1, topK: 3), expected: softmax(1, keep: [1, 2, 5])) < 13.82)
        // Softmax(1): ids 2, 5, 1 hold about 0.39, 0.24, 0.14; top_p 0.6 keeps {2, 5}.
        #expect(chiSquare(SamplingParams(temperature: 1, topP: 0.6), expected: softmax(1, keep: [2, 5])) < 10.83)
        // At T = 0.7 the relative probabilities of ids 1, 3 are 0.24 and 0.12: min_p 0.2 keeps {1, 2, 5}.
        #expect(chiSquare(SamplingParams(temperature: 0.7, minP: 0.2), expected: softmax(0.7, keep: [1, 2, 5])) < 13.82)
    }

    /// The reference: every token sorted (logit desc, id asc), then min_p, top-k, top-p.
    func reference(_ row: [Float], temperature: Double, topK: Int, topP: Double) -> [Double] {
        let order = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
        let maxLogit = Double(row[order[0]])
        let kept = Array(order.prefix(topK > 0 ? topK : row.count))
        let weights = kept.map { exp((Double(row[$0]) - maxLogit) / temperature) }
        let total = weights.reduce(0, +)
        var cumulative = 0.0
        var count = kept.count
        for (i, w) in weights.enumerated() {
            cumulative += w
            if cumulative >= topP * total { count = i + 1; break }
        }
        var result = [Double](repeating: 0, count: row.count)
        let mass = weights.prefix(count).reduce(0, +)
        for i in 0..<count { result[kept[i]] = weights[i] / mass }
        return result
    }

    @Test(arguments: [0.1, 3.0])
    func prunedSelectionEqualsAFullSort(spread: Double) {
        // A peaked row (spread 3) and a flat one (spread 0.1, which defeats the first floors).
        var generator = RandomGenerator(seed: 5)
        let row = (0..<5_000).map { _ in Float((generator.nextUnit() * 2 - 1) * spread * 4) }
        let sampler = Sampler(vocabSize: row.count)
        for (topK, topP) in [(50, 1.0), (0, 0.95), (40, 0.9), (0, 0.3), (4_999, 0.999)] {
            let params = SamplingParams(temperature: 0.8, topP: topP, topK: topK)
            let got = row.withUnsafeBufferPointer { sampler.probabilities(logits: $0, params: params) }
            let want = reference(row, temperature: 0.8, topK: topK, topP: topP)
            #expect(got.indices.filter { got[$0] > 0 } == want.indices.filter { want[$0] > 0 }, "k \(topK) p \(topP)")
            let error = zip(got, want).map { abs($0 - $1) }.max() ?? 0
            #expect(error < 1e-6, "k \(topK) p \(topP): \(error)")
        }
    }
}
