import Foundation
import KVCache
import Testing
@testable import Engine

/// The hybrid KV cache on Gemma 3 (five of every six layers with a 512-token window): sizing of the
/// two pools, and a run whose sliding-window blocks are freed as they leave the window giving the
/// same tokens as a run that keeps every key, with prefix-cache hits in both pools and preemption.
@Suite(.serialized) struct HybridKVCacheTests {
    /// Gemma 3 270M in float16: 18 layers x 1 KV head x 256 dims x K and V x 2 bytes per token, of
    /// which the 15 sliding-window layers hold 15360.
    @Test func thePoolsAreSizedForTheFullLayersAndOneWindowPerSequence() throws {
        let gemma = (window: 512, kvBytesPerToken: 15360)
        let one = try EngineConfig(maxModelLen: 32768, maxNumSeqs: 1)
            .resolve(modelMaxLen: 32768, kvBytesPerToken: 18432, memoryAvailableBytes: 1 << 34, slidingWindow: gemma)
        // 2048 blocks of the 3 full layers (96 MiB) and 66 of the sliding ones: a window (32 blocks
        // + 1 straddling), a step's chunk (32) and the null block
        #expect(one.numBlocks == 2048 && one.numSlidingBlocks == 66 && one.slidingWindow == 512)
        #expect(one.startupSummary(kvBytesPerToken: 18432, kvCacheDType: .float16, slidingKVBytesPerToken: 15360)
            == "KV cache: 2048 blocks of 16 tokens (96.0 MiB, float16) for the full-attention layers and 66 (15.5 MiB) for the sliding-window layers (window 512); max-model-len 32768; maximum concurrency for 32768-token requests: 1.00x; max-num-seqs 1, max-num-batched-tokens 512")
        // one pool of 2048 blocks would take 576 MiB for the same sequence
        var off = EngineConfig(maxModelLen: 32768, maxNumSeqs: 1)
        off.disableHybridKVCacheManager = true
        let single = try off.resolve(modelMaxLen: 32768, kvBytesPerToken: 18432, memoryAvailableBytes: 1 << 34, slidingWindow: gemma)
        #expect(single.numBlocks == 2048 && single.numSlidingBlocks == nil && single.slidingWindow == nil)
        // a fixed budget is split: the sliding pool takes its wanted 66 blocks, the rest is the full pool's
        let fixed = try EngineConfig(maxModelLen: 4096, maxNumSeqs: 1, kvCacheMemoryBytes: 64 << 20)
            .resolve(modelMaxLen: 32768, kvBytesPerToken: 18432, slidingWindow: gemma)
        #expect(fixed.numSlidingBlocks == 66 && fixed.numBlocks == ((64 << 20) - 66 * 245_760) / 49_152)
    }

    static func load(hybrid: Bool, numSeqs: Int) throws -> EngineCore {
        var config = EngineConfig(maxModelLen: 1024, maxNumSeqs: numSeqs, maxNumBatchedTokens: 256, numThreads: 2)
        config.disableHybridKVCacheManager = !hybrid
        config.kvCacheDType = .float32
        return try EngineCore.load(path: try EngineTestFiles.gemma(), config: config)
    }

    /// Two 700-token prompts sharing their first 640 tokens, 24 greedy tokens each, one after the
    /// other: the second takes prefix hits in both pools.
    static func run(_ core: EngineCore, prompts: [[Int]]) throws -> [[Int]] {
        var outputs: [[Int]] = []
        for (i, prompt) in prompts.enumerated() {
            try core.addRequest(requestID: "r\(i)", promptTokenIDs: prompt, params: SamplingParams(temperature: 0, maxTokens: 24, ignoreEOS: true))
            var tokens: [Int] = []
            while core.hasUnfinishedRequests {
                for output in try core.step() { tokens += output.newTokenIDs }
                if let sliding = core.scheduler.slidingKVCacheManager, let request = core.scheduler.request("r\(i)") {
                    // at most the window's blocks and the next chunk's are real, the rest is null
                    let real = sliding.blocks(requestID: request.requestID).filter { $0 !== sliding.nullBlock }
                    #expect(real.count <= 512 / 16 + 1 + 256 / 16)
                    #expect(sliding.checkInvariants().isEmpty)
                }
            }
            outputs.append(tokens)
        }
        return outputs
    }

    @Test func freeingBlocksOutsideTheWindowKeepsEveryToken() throws {
        let hybrid = try Self.load(hybrid: true, numSeqs: 4)
        let sliding = try #require(hybrid.scheduler.slidingKVCacheManager)
        let tokenizer = try #require(hybrid.tokenizer)
        let text = try String(contentsOf: EngineTestFiles.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let ids = Array(tokenizer.encode(text).prefix(700))
        #expect(ids.count == 700)
        let prompts = [ids, Array(ids.prefix(640)) + Array(ids.suffix(60).reversed())]
        let got = try Self.run(hybrid, prompts: prompts)
        let expected = try Self.run(Self.load(hybrid: false, numSeqs: 4), prompts: prompts)
        #expect(got == expected)
        #expect(got.allSatisfy { $0.count == 24 })
        // the second prompt's first 640 tokens (40 blocks) came from the cache in both pools
        #expect(hybrid.scheduler.stats.prefixCacheHits == 640)
        // everything is back in both pools (the null block stays taken)
        #expect(hybrid.scheduler.kvCacheManager.pool.numFreeBlocks == hybrid.config.numBlocks)
        #expect(sliding.pool.numFreeBlocks == sliding.pool.numBlocks - 1)
    }
}
