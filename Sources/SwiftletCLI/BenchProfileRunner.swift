import Foundation
import Swiftlet

/// `bench latency` through the continuous-batching engine (`EngineCore`, as `serve` and `LLM`
/// run it): `batchSize` requests of `inputLen` random prompt tokens each, added at once and
/// decoded together for `outputLen` greedy tokens, so decode steps run the batched matmuls.
/// Steps where every one of the `batchSize` requests decodes one token ("full decode steps")
/// are timed on their own and, with a profiler, are the steps the profile keeps.
struct BenchProfileRunner {
    let core: EngineCore
    let runner: ModelRunner
    let batchSize: Int
    let inputLen: Int
    let outputLen: Int

    /// One run of the batch.
    struct Run {
        /// Seconds from adding the requests to the last one finishing.
        var latency: Double
        /// Seconds until every request had its first token (prefill, mixed with early decodes).
        var prefillSeconds: Double
        /// Wall seconds of each full decode step.
        var decodeStepSeconds: [Double]
        /// KV positions each full decode step's attention reads, summed over its sequences.
        var decodeStepKVTokens: [Int] = []
    }

    /// Runs the batch once; `profiler` (already on the model) keeps the full decode steps.
    func run(iteration: Int, profiler: ForwardProfiler?) throws -> Run {
        var random = RandomGenerator(seed: UInt64(iteration))
        let vocabSize = core.vocabSize
        let params = SamplingParams(temperature: 0, maxTokens: outputLen, ignoreEOS: true)
        for i in 0..<batchSize {
            let prompt = (0..<inputLen).map { _ in random.ordinaryTokenID(vocabSize: vocabSize) }
            try core.addRequest(requestID: "bench-\(iteration)-\(i)", promptTokenIDs: prompt, params: params)
        }
        let start = ContinuousClock.now
        var result = Run(latency: 0, prefillSeconds: 0, decodeStepSeconds: [])
        result.decodeStepSeconds.reserveCapacity(outputLen)
        var prefilled = false
        profiler?.restart()
        while core.hasUnfinishedRequests {
            let fullDecode = isFullDecodeStep()
            let kvTokens = fullDecode ? core.scheduler.running.reduce(0) { $0 + $1.numTokens } : 0
            let stepStart = ContinuousClock.now
            _ = try core.step()
            let stepEnd = ContinuousClock.now
            profiler?.lap(.scheduling)
            if fullDecode {
                result.decodeStepSeconds.append((stepEnd - stepStart).secondsValue)
                result.decodeStepKVTokens.append(kvTokens)
                profiler?.commitStep()
            } else {
                profiler?.discardStep()
            }
            if !prefilled && core.scheduler.waiting.isEmpty
                && core.scheduler.running.allSatisfy({ $0.numOutputTokens > 0 }) {
                prefilled = true
                result.prefillSeconds = (stepEnd - start).secondsValue
            }
        }
        result.latency = (ContinuousClock.now - start).secondsValue
        return result
    }

    /// Whether the next step decodes exactly one token for each of `batchSize` requests.
    private func isFullDecodeStep() -> Bool {
        let scheduler = core.scheduler
        return scheduler.waiting.isEmpty && scheduler.running.count == batchSize
            && scheduler.running.allSatisfy { $0.numTokens - $0.numComputedTokens == 1 }
    }
}
