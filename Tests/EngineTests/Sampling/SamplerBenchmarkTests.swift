import Foundation
import Testing
@testable import Engine

/// Sampling cost of one decode step: 64 rows over a 49,152-token vocabulary with typical settings
/// (temperature 0.8, top_p 0.95, top_k 50, penalties, logprobs off). Run with SWIFTLET_BENCH=1 in release.
@Suite struct SamplerBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SWIFTLET_BENCH"] == "1"))
    func samplerStepOf64Rows() {
        let vocabSize = 49_152, numRows = 64, numSteps = 20
        var generator = RandomGenerator(seed: 9)
        // Logit-like rows: mostly small noise with a few strong candidates.
        let logits = (0..<(vocabSize * numRows)).map { i -> Float in
            let noise = Float(generator.nextUnit() * 6 - 3)
            return i % 997 == 0 ? noise + 12 : noise
        }
        let counts = (0..<numRows).map { row -> TokenCounts in
            let counts = TokenCounts(promptTokenIDs: (0..<200).map { ($0 * 131 + row) % vocabSize })
            counts.update(outputTokenIDs: (0..<100).map { ($0 * 71 + row * 3) % vocabSize })
            return counts
        }
        let histories = counts.map { SamplingHistory(outputTokenIDs: [], tokenCounts: $0) }
        func report(_ name: String, _ params: SamplingParams) {
            let sampler = Sampler(vocabSize: vocabSize)
            var generators = (0..<numRows).map { RandomGenerator(seed: UInt64($0)) }
            var checksum = 0
            let start = DispatchTime.now().uptimeNanoseconds
            logits.withUnsafeBufferPointer { all in
                for _ in 0..<numSteps {
                    for row in 0..<numRows {
                        let slice = UnsafeBufferPointer(rebasing: all[(row * vocabSize)..<((row + 1) * vocabSize)])
                        checksum &+= sampler.sample(logits: slice, params: params, history: histories[row],
                                                    generator: &generators[row])
                    }
                }
            }
            let micros = Double(DispatchTime.now().uptimeNanoseconds - start) / 1000 / Double(numSteps)
            print("sampler \(name): \(Int(micros)) µs per step of \(numRows) rows (\(Int(micros) / numRows) µs/row) [\(checksum)]")
        }
        report("typical (T 0.8, top_p 0.95, top_k 50, penalties)",
               SamplingParams(temperature: 0.8, topP: 0.95, topK: 50, presencePenalty: 0.5, frequencyPenalty: 0.5,
                              repetitionPenalty: 1.1))
        report("top_p 0.95 only", SamplingParams(temperature: 0.8, topP: 0.95))
        report("plain T 0.8", SamplingParams(temperature: 0.8))
        report("greedy", SamplingParams(temperature: 0))
        // Reference: what sorting the whole vocabulary per row (the former top-k / top-p path) costs.
        var order = [Int32](repeating: 0, count: vocabSize)
        let start = DispatchTime.now().uptimeNanoseconds
        logits.withUnsafeBufferPointer { all in
            for row in 0..<4 {
                for id in 0..<vocabSize { order[id] = Int32(id) }
                let base = row * vocabSize
                order.sort { a, b in
                    let la = all[base + Int(a)], lb = all[base + Int(b)]
                    return la > lb || (la == lb && a < b)
                }
            }
        }
        let sortMicros = Double(DispatchTime.now().uptimeNanoseconds - start) / 1000 / 4
        print("full-vocab sort: \(Int(sortMicros)) µs/row, \(Int(sortMicros * Double(numRows))) µs per step of \(numRows) rows [\(order[0])]")
    }
}
