import Testing
@testable import Engine
import StructuredOutputs

/// A model stand-in that wants a scripted token at each step and samples it through the real
/// sampler with the request's own history (`Request.samplingHistory()`, as `ModelRunner`): the
/// scripted token has logit 10, every other id a logit falling with the id, so where the grammar
/// masks the scripted token the lowest allowed id comes out.
final class ScriptedExecutor: ModelExecutor {
    /// The token a request wants next, from its id and its output so far.
    let script: (Request) -> Int
    let sampler: Sampler
    let vocabSize: Int

    init(vocabSize: Int, script: @escaping (Request) -> Int) {
        self.vocabSize = vocabSize
        self.script = script
        sampler = Sampler(vocabSize: vocabSize)
    }

    func execute(_ output: SchedulerOutput) throws -> ModelRunnerOutput {
        var sampled = [Int?](repeating: nil, count: output.chunks.count)
        for (index, chunk) in output.chunks.enumerated() where chunk.samples {
            let request = chunk.request
            var logits = (0..<vocabSize).map { -Float($0) / 1000 }
            logits[script(request)] = 10
            sampled[index] = logits.withUnsafeBufferPointer {
                sampler.sample(logits: $0, params: request.params, history: request.samplingHistory(), generator: &request.generator)
            }
        }
        return ModelRunnerOutput(sampledTokenIDs: sampled)
    }
}

/// A 16-token vocabulary with reasoning tags, for constrained runs over `ScriptedExecutor`.
enum ReasoningVocabulary {
    static let eos = 0, think = 1, endThink = 2, yes = 3, no = 4, ma = 5, ybe = 6, hmm = 7, space = 8
    /// "<" and "/think>": an end tag of two tokens.
    static let open = 9, slashThink = 10
    static let words: [String?] = [nil, "<think>", "</think>", "yes", "no", "ma", "ybe", "hmm", " ", "<", "/think>",
                                   "q", "r", "s", "t", "u"]

    /// An engine core over `ScriptedExecutor` whose requests follow `scripts` by request id (the
    /// last token repeats); blocks of 4 tokens.
    static func core(_ scripts: [String: [Int]], numBlocks: Int = 64, maxNumBatchedTokens: Int = 64) -> EngineCore {
        let executor = ScriptedExecutor(vocabSize: words.count) { request in
            let script = scripts[request.requestID] ?? [hmm]
            return script[min(request.numOutputTokens, script.count - 1)]
        }
        let config = SchedulerConfig(maxModelLen: 64, maxNumSeqs: 8, maxNumBatchedTokens: maxNumBatchedTokens, blockSize: 4,
                                     numBlocks: numBlocks, enablePrefixCaching: true)
        let core = EngineCore(executor: executor, config: config, vocabSize: words.count, eosTokenIDs: [eos])
        core.structuredOutputs = StructuredOutputManager(
            vocabulary: TokenVocabulary(tokenBytes: words.map { $0.map { Array($0.utf8) } }, eosTokenIDs: [eos]))
        return core
    }

    /// Runs `core` to the end; every request's tokens and finish reason.
    static func run(_ core: EngineCore) throws -> [String: ([Int], FinishReason?)] {
        var results: [String: ([Int], FinishReason?)] = [:]
        var numSteps = 0
        while core.hasUnfinishedRequests && numSteps < 500 {
            for output in try core.step() {
                results[output.requestID, default: ([], nil)].0 += output.newTokenIDs
                results[output.requestID]?.1 = output.finishReason
            }
            numSteps += 1
        }
        #expect(core.scheduler.kvCacheManager.checkInvariants().isEmpty)
        #expect(core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
        return results
    }
}
