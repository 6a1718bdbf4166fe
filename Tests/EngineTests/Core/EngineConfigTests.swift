import Testing
@testable import Engine

/// KV pool sizing from memory, max-model-len and max-num-seqs.
struct EngineConfigTests {
    /// SmolLM2-135M: 30 layers x 3 KV heads x 64 dims, K and V in Float32.
    let smolBytesPerToken = 2 * 30 * 3 * 64 * 4

    @Test func numBlocksComeFromTheMemoryShare() throws {
        #expect(smolBytesPerToken == 46080)
        let config = try EngineConfig().resolve(modelMaxLen: 8192, kvBytesPerToken: smolBytesPerToken,
                                                memoryAvailableBytes: 1 << 30)
        // 40% of 1 GiB = 429496729 bytes; a block is 16 * 46080 = 737280 bytes.
        #expect(config.numBlocks == 582)
        #expect(config.maxModelLen == 8192)
        #expect(config.maxConcurrency == 9312.0 / 8192.0)
        #expect(config.maxNumBatchedTokens == 512 && config.maxNumSeqs == 256 && config.blockSize == 16)
        #expect(config.startupSummary(kvBytesPerToken: smolBytesPerToken)
            == "KV cache: 582 blocks of 16 tokens (409.2 MiB); max-model-len 8192; maximum concurrency for 8192-token requests: 1.13x; max-num-seqs 256, max-num-batched-tokens 512")
    }

    @Test func memoryIsCappedAtWhatMaxNumSeqsRequestsNeed() throws {
        let config = try EngineConfig(maxModelLen: 100, maxNumSeqs: 2)
            .resolve(modelMaxLen: 8192, kvBytesPerToken: smolBytesPerToken, memoryAvailableBytes: 1 << 30)
        #expect(config.numBlocks == 14)  // 2 requests x 7 blocks of 16 tokens
        #expect(config.maxModelLen == 100)
    }

    @Test func theDefaultMaxModelLenShrinksToTheCache() throws {
        let config = try EngineConfig(kvCacheMemoryBytes: 100 * 737_280)
            .resolve(modelMaxLen: 8192, kvBytesPerToken: smolBytesPerToken)
        #expect(config.numBlocks == 100 && config.maxModelLen == 1600)
    }

    @Test func anExplicitMaxModelLenThatDoesNotFitIsRefused() {
        let error = EngineCoreError.kvCacheTooSmall(maxModelLen: 2048, capacityTokens: 1600,
                                                    neededBytes: 128 * 737_280, availableBytes: 100 * 737_280)
        #expect(throws: error) {
            try EngineConfig(maxModelLen: 2048, kvCacheMemoryBytes: 100 * 737_280)
                .resolve(modelMaxLen: 8192, kvBytesPerToken: 46080)
        }
        #expect(error.description == "the KV cache (70 MiB) holds 1600 tokens, but one request of max-model-len 2048 tokens needs 90 MiB: raise the KV cache memory or lower max-model-len to at most 1600")
        #expect(throws: EngineCoreError.maxModelLenAboveModel(maxModelLen: 9000, modelMaxLen: 8192)) {
            try EngineConfig(maxModelLen: 9000).resolve(modelMaxLen: 8192, kvBytesPerToken: 46080, memoryAvailableBytes: 1 << 30)
        }
        #expect(throws: EngineCoreError.self) {
            try EngineConfig(kvCacheMemoryBytes: 1000).resolve(modelMaxLen: 8192, kvBytesPerToken: 46080)
        }
    }

    @Test func memAvailableIsReadFromMeminfo() {
        let text = "MemTotal:       16318172 kB\nMemFree:         1234567 kB\nMemAvailable:   12345678 kB\n"
        #expect(EngineConfig.parseMemAvailable(text) == 12_345_678)
        #expect(EngineConfig.parseMemAvailable("MemTotal: 1 kB\n") == nil)
        #expect(EngineConfig.memoryAvailableBytes() > 0)
    }
}
