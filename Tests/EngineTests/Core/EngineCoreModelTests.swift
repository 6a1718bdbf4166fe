import Foundation
import Models
import SwiftletTokenizers
import Testing
@testable import Engine

/// The engine core on the real default model (SmolLM2-135M Q4_1): a request's greedy output does
/// not depend on what else runs, how its prompt is chunked, the prefix cache or preemption.
@Suite(.serialized) struct EngineCoreModelTests {
    struct Model {
        let weights: ModelWeights
        let tokenizer: Tokenizer
    }

    nonisolated(unsafe) static let shared: Result<Model, any Error> = Result {
        let files = try ModelFiles.open(try EngineTestFiles.smolLM())
        guard case .gguf(let file) = files.container else { throw EngineCoreError.invalidConfig("not a GGUF file") }
        return Model(weights: try ModelWeights(gguf: file, config: try files.config.get()), tokenizer: try files.loadTokenizer())
    }

    static let text = "The history of the city begins with a small village on the river, where fishermen and traders met every spring to exchange salt, grain and stories about the mountains in the north. Over the centuries the village grew into a market town with stone bridges, a cathedral, two universities and a harbour that sent ships to every port of the known world."

    /// An engine over the real model.
    func makeEngine(numBlocks: Int = 256, maxNumBatchedTokens: Int = 512, prefixCaching: Bool = true) throws -> EngineCore {
        let model = try Self.shared.get()
        let config = SchedulerConfig(maxModelLen: 128, maxNumSeqs: 64, maxNumBatchedTokens: maxNumBatchedTokens,
                                     blockSize: 16, numBlocks: numBlocks, enablePrefixCaching: prefixCaching)
        let runner = try ModelRunner(weights: model.weights, config: config, numThreads: 2)
        return EngineCore(executor: runner, config: config, vocabSize: model.weights.config.vocabSize, eosTokenIDs: [])
    }

    /// The first 50 tokens of the text.
    func targetPrompt() throws -> [Int] {
        let tokens = try Self.shared.get().tokenizer.encode(Self.text)
        try #require(tokens.count >= 50)
        return Array(tokens.prefix(50))
    }

    static let greedy = SamplingParams(temperature: 0, maxTokens: 24, ignoreEOS: true)

    /// Every request's tokens and logprobs after a run.
    struct Outputs {
        var tokens: [String: [Int]] = [:]
        var logprobs: [String: [TokenLogprobs]] = [:]
    }

    /// Runs `engine` to the end and checks that every block came back.
    func run(_ engine: EngineCore) throws -> Outputs {
        var outputs = Outputs()
        var numSteps = 0
        while engine.hasUnfinishedRequests && numSteps < 500 {
            for output in try engine.step() {
                outputs.tokens[output.requestID, default: []] += output.newTokenIDs
                outputs.logprobs[output.requestID, default: []] += output.newLogprobs ?? []
            }
            numSteps += 1
        }
        #expect(engine.scheduler.kvCacheManager.checkInvariants().isEmpty)
        #expect(engine.scheduler.kvCacheManager.pool.numFreeBlocks == engine.config.numBlocks)
        return outputs
    }

    func alone(prefixCaching: Bool = true, maxNumBatchedTokens: Int = 512, params: SamplingParams = greedy) throws -> Outputs {
        let engine = try makeEngine(maxNumBatchedTokens: maxNumBatchedTokens, prefixCaching: prefixCaching)
        try engine.addRequest(requestID: "target", promptTokenIDs: try targetPrompt(), params: params)
        return try run(engine)
    }

    @Test func aloneItMatchesTheDirectDecoder() throws {
        let model = try Self.shared.get()
        let output = try alone().tokens["target"] ?? []
        #expect(output.count == 24)
        let direct = try DirectDecoder(weights: model.weights, eosTokenIDs: [], maxModelLen: 128, maxNumBatchedTokens: 512)
        #expect(try direct.generate(prompt: try targetPrompt(), params: Self.greedy).outputTokenIDs == output)
        #expect(model.tokenizer.eosTokenID != nil)
    }

    @Test func prefixCachingAndChunkingDoNotChangeTheOutput() throws {
        let reference = try alone().tokens["target"]
        #expect(try alone(prefixCaching: false).tokens["target"] == reference)
        #expect(try alone(maxNumBatchedTokens: 32).tokens["target"] == reference)
        // The same prompt again in one engine: served from the cache (48 of 50 tokens).
        let engine = try makeEngine()
        try engine.addRequest(requestID: "first", promptTokenIDs: try targetPrompt(), params: Self.greedy)
        _ = try run(engine)
        try engine.addRequest(requestID: "second", promptTokenIDs: try targetPrompt(), params: Self.greedy)
        var tokens: [Int] = []
        var numCached = -1
        while engine.hasUnfinishedRequests {
            for output in try engine.step() {
                tokens += output.newTokenIDs
                numCached = output.numCachedTokens
            }
        }
        #expect(numCached == 48)
        #expect(tokens == reference)
    }

    /// The stronger form of batch invariance: the chosen tokens' logprobs are the same floats
    /// whether the target decodes alone (one-token batches) or inside a batch of many tokens.
    @Test
    func logprobsAreBitIdenticalAlongsideOtherRequests() throws {
        let params = SamplingParams(temperature: 0, maxTokens: 24, ignoreEOS: true, logprobs: 0)
        let reference = try #require(try alone(params: params).logprobs["target"])
        #expect(reference.count == 24)
        let crowd = try makeEngine()
        let all = try Self.shared.get().tokenizer.encode(Self.text)
        for index in 0..<8 {
            try crowd.addRequest(requestID: "other\(index)", promptTokenIDs: Array(all[index..<(index + 10 + index * 4)]),
                                 params: SamplingParams(temperature: 0, maxTokens: 30, ignoreEOS: true))
        }
        try crowd.addRequest(requestID: "target", promptTokenIDs: try targetPrompt(), params: params)
        let logprobs = try run(crowd).logprobs["target"] ?? []
        #expect(logprobs.map(\.chosen) == reference.map(\.chosen))
    }

    @Test
    func amongOtherRequestsAndAfterPreemptionTheOutputIsTheSame() throws {
        let reference = try alone().tokens["target"]
        let all = try Self.shared.get().tokenizer.encode(Self.text + " " + Self.text)
        try #require(all.count >= 100)
        // 32 other requests of 3...64 prompt tokens and 1...24 output tokens; the target in the middle.
        let crowd = try makeEngine()
        for index in 0..<33 {
            if index == 16 {
                try crowd.addRequest(requestID: "target", promptTokenIDs: try targetPrompt(), params: Self.greedy)
                continue
            }
            let length = 3 + (index * 13) % 62, start = (index * 7) % 20
            let params = SamplingParams(temperature: 0, maxTokens: 1 + (index * 5) % 24, ignoreEOS: true)
            try crowd.addRequest(requestID: "other\(index)", promptTokenIDs: Array(all[start..<(start + length)]), params: params)
        }
        #expect(try run(crowd).tokens["target"] == reference)

        // 8 blocks of 16: a 40-token filler and the 50-token target fill 7; when the target reaches
        // position 64 the pool is full and the target (the newest) is recomputed later.
        let tight = try makeEngine(numBlocks: 8)
        try tight.addRequest(requestID: "filler", promptTokenIDs: Array(all[60..<100]),
                             params: SamplingParams(temperature: 0, maxTokens: 40, ignoreEOS: true))
        try tight.addRequest(requestID: "target", promptTokenIDs: try targetPrompt(), params: Self.greedy)
        let tokens = try run(tight).tokens
        #expect(tight.stats.numPreemptions == 1)
        #expect(tokens["target"] == reference)
        #expect(tokens["filler"]?.count == 40)
    }
}
