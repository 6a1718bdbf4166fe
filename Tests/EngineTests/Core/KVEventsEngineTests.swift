import KVCache
import KVEvents
import Testing
@testable import Engine

/// KV cache events from a real scheduler run: stores as blocks fill, removals as cached blocks are
/// taken for new content, in the order they happen, one batch per step.
@Suite struct KVEventsEngineTests {
    final class RecordingPublisher: EventPublisher, @unchecked Sendable {
        var batches: [KVEventBatch] = []
        func publish(_ batch: KVEventBatch) { batches.append(batch) }
        func shutdown() {}
    }

    static func eventHashes(_ tokens: [Int], blockSize: Int, salt: String? = nil) -> [UInt64] {
        var hashes: [[UInt8]] = []
        SHA256CBORBlockHasher().appendHashes(to: &hashes, tokenIDs: tokens, blockSize: blockSize, cacheSalt: salt)
        return hashes.map(SHA256CBORBlockHasher.eventHash)
    }

    @Test func storesThenEvictionsInOrder() throws {
        var engine = FakeEngine(numBlocks: 6, blockSize: 4, maxNumBatchedTokens: 16)
        let publisher = RecordingPublisher()
        engine.core.publishKVEvents(to: publisher)
        let promptA = Array(1...10)
        try engine.add("a", prompt: promptA, maxTokens: 3)
        _ = try engine.run()
        let sequenceA = promptA + FakeExecutor.reference(prompt: promptA, count: 3)
        let hashesA = Self.eventHashes(sequenceA, blockSize: 4)
        // Step 1 prefills 10 tokens (two full blocks); step 3 computes the 12th token (third block).
        #expect(publisher.batches.map(\.events) == [
            [.blockStored(blockHashes: Array(hashesA[0..<2]), parentBlockHash: nil, tokenIDs: Array(sequenceA[0..<8]), blockSize: 4)],
            [.blockStored(blockHashes: [hashesA[2]], parentBlockHash: hashesA[1], tokenIDs: Array(sequenceA[8..<12]), blockSize: 4)],
        ])
        #expect(engine.core.scheduler.kvEventRecorder?.numPublished == 3)

        // B shares nothing and needs five blocks. The pool hands out A's freed blocks before the two
        // it never used: A's fourth block (holding nothing cached) first, then A's cached blocks, last
        // first, so B's first chunk of 16 tokens evicts all three of A's hashes; its second chunk (4
        // tokens) takes a never-used block and evicts nothing.
        publisher.batches = []
        let promptB = Array(500..<520)
        try engine.add("b", prompt: promptB, maxTokens: 1)
        _ = try engine.run()
        let hashesB = Self.eventHashes(promptB, blockSize: 4)
        #expect(publisher.batches.map(\.events) == [
            [.blockRemoved(blockHashes: [hashesA[2], hashesA[1], hashesA[0]]),
             .blockStored(blockHashes: Array(hashesB[0..<4]), parentBlockHash: nil, tokenIDs: Array(promptB[0..<16]), blockSize: 4)],
            [.blockStored(blockHashes: [hashesB[4]], parentBlockHash: hashesB[3], tokenIDs: Array(promptB[16..<20]), blockSize: 4)],
        ])
        #expect(engine.core.scheduler.kvEventRecorder?.numPublished == 5)

        // A reset (nothing running) clears everything at once.
        #expect(engine.core.scheduler.kvCacheManager.resetPrefixCache())
        #expect(engine.core.scheduler.kvEventRecorder?.take() == [.allBlocksCleared])
        #expect(engine.core.scheduler.kvEventRecorder?.numPublished == 0)
    }

    /// A prefix hit publishes nothing again; the salt keys the first block as vLLM's extra keys.
    @Test func prefixHitsAndCacheSalt() throws {
        var engine = FakeEngine(numBlocks: 16, blockSize: 4, maxNumBatchedTokens: 32)
        let publisher = RecordingPublisher()
        engine.core.publishKVEvents(to: publisher)
        let prompt = Array(1...9)
        try engine.add("a", prompt: prompt, maxTokens: 1)
        _ = try engine.run()
        try engine.add("b", prompt: prompt, maxTokens: 1)
        _ = try engine.run()
        // Only a's store: b hit both full blocks.
        #expect(publisher.batches.count == 1)
        try engine.core.addRequest(requestID: "salted", promptTokenIDs: prompt, params: SamplingParams(temperature: 0, maxTokens: 1),
                                   cacheSalt: "tenant-a")
        _ = try engine.run()
        let salted = Self.eventHashes(prompt, blockSize: 4, salt: "tenant-a")
        // a's blocks were revived once (b's hit), not enough to turn hot: the salted request reuses
        // b's partial block, then a's two cached blocks (last first), whose hashes leave the cache.
        let plain = Self.eventHashes(prompt, blockSize: 4)
        #expect(publisher.batches.last?.events == [
            .blockRemoved(blockHashes: [plain[1], plain[0]]),
            .blockStored(blockHashes: salted, parentBlockHash: nil, tokenIDs: Array(prompt[0..<8]), blockSize: 4),
        ])
        #expect(salted != Self.eventHashes(prompt, blockSize: 4))
    }
}
