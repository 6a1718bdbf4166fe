import Foundation
import Models
import Testing
@testable import Engine

/// The model runner and `EngineCore.load` on the real default model, against the `DirectDecoder`
/// (the forward pass driven directly: same kernels, same chunking, so the same floats).
@Suite(.serialized) struct ModelRunnerTests {
    static let text = "Swift is a general-purpose programming language built using a modern approach to safety, performance, and software design patterns."

    @Test func promptLogprobsAndSeededSamplingMatchTheDirectDecoder() throws {
        let path = try EngineTestFiles.smolLM()
        let core = try EngineCore.load(path: path, config: EngineConfig(maxModelLen: 256, maxNumBatchedTokens: 16,
                                                                       kvCacheMemoryBytes: 32 * 16 * 46080,
                                                                       numThreads: 2, enablePromptLogprobs: true))
        let direct = try DirectDecoder(path: path, maxModelLen: 256, maxNumBatchedTokens: 16)
        let tokenizer = try #require(core.tokenizer)
        let promptIDs = tokenizer.encode(Self.text)
        #expect(promptIDs.count > 16)  // the prompt spans two chunks
        let params = SamplingParams(temperature: 0.8, topP: 0.95, seed: 42, maxTokens: 12, ignoreEOS: true,
                                    logprobs: 3, promptLogprobs: 2)
        try core.addRequest(requestID: "r", promptTokenIDs: promptIDs, params: params)
        var outputs: [EngineCoreOutput] = []
        while core.hasUnfinishedRequests { outputs += try core.step() }
        let expected = try direct.generate(prompt: promptIDs, params: params)
        #expect(outputs.flatMap(\.newTokenIDs) == expected.outputTokenIDs)
        #expect(outputs.flatMap { $0.newLogprobs ?? [] } == expected.logprobs)
        // Prompt logprobs arrive once, with the first token; position 0 has none.
        #expect(outputs.compactMap(\.promptLogprobs).count == 1)
        let promptLogprobs = try #require(outputs.first?.promptLogprobs)
        #expect(promptLogprobs.count == promptIDs.count && promptLogprobs[0] == nil)
        #expect(promptLogprobs == expected.promptLogprobs)
        #expect(outputs.last?.finishReason == .length)
        #expect(outputs.allSatisfy { $0.numPromptTokens == promptIDs.count && $0.numCachedTokens == 0 })
    }

    @Test func loadSizesTheCacheAndFindsTheEOSTokens() throws {
        let core = try EngineCore.load(path: try EngineTestFiles.smolLM(),
                                       config: EngineConfig(maxModelLen: 1024, kvCacheMemoryBytes: 200 * 16 * 46080, numThreads: 2))
        // The default float16 KV cache: 23040 bytes per token, so the bytes of 200 F32 blocks hold 400.
        #expect(core.config.numBlocks == 400 && core.config.maxModelLen == 1024 && core.vocabSize == 49152)
        #expect(core.startupSummary == "KV cache: 400 blocks of 16 tokens (140.6 MiB, float16); max-model-len 1024; maximum concurrency for 1024-token requests: 6.25x; max-num-seqs 256, max-num-batched-tokens 512")
        let f32 = try EngineCore.load(path: try EngineTestFiles.smolLM(),
                                      config: { var c = EngineConfig(maxModelLen: 1024, kvCacheMemoryBytes: 200 * 16 * 46080, numThreads: 2)
                                                c.kvCacheDType = .float32; return c }())
        #expect(f32.config.numBlocks == 200)
        #expect(core.eosTokenIDs == [2])
        #expect(throws: GenerationError.promptTooLong(numTokens: 1024, maxModelLen: 1024)) {
            try core.addRequest(requestID: "long", promptTokenIDs: [Int](repeating: 1, count: 1024), params: SamplingParams())
        }
        #expect(throws: GenerationError.self) {
            try core.addRequest(requestID: "p", promptTokenIDs: [1, 2], params: SamplingParams(promptLogprobs: 1))
        }
    }
}
