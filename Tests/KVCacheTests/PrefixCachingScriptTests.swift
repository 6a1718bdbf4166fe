import Testing
@testable import KVCache

/// A scripted sequence in the style of vLLM's test_prefill, with block size 4 and 10 blocks: exact
/// block ids, ref counts, free-queue order, cache map and stats after every step.
@Test func scriptedPrefillShareFreeEvict() throws {
    let m = KVCacheManager(numBlocks: 10, blockSize: 4, enablePrefixCaching: true, order: .vllm)
    let common = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]   // 3 full blocks

    // req0: 15 tokens, full miss; 4 blocks, the first 3 published.
    let tokens0 = common + [3, 3, 3]
    let hashes0 = m.blockHashes(tokenIDs: tokens0, extraKeys: nil)
    #expect(hashes0.map(\.serial) == [1, 2, 3])
    let r0 = try #require(m.admit("r0", tokens: tokens0, hashes: hashes0))
    #expect(r0.hitIDs == [] && r0.newIDs == [0, 1, 2, 3])
    m.cacheBlocks(requestID: "r0", blockHashes: hashes0, numComputedTokens: 15)
    var s = KVCacheSnapshot(m)
    #expect(s.freeQueue == [4, 5, 6, 7, 8, 9])
    #expect(s.refCounts == [1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    #expect(s.cacheMap == [1: 0, 2: 1, 3: 2])
    #expect(s.stats == PrefixCacheStats(numQueries: 15, numHits: 0, numRequests: 1))

    // req1: same 3 blocks + 2 tokens: hits all 3 (12 tokens), one new block; shared ref count 2.
    let tokens1 = common + [5, 5]
    let hashes1 = m.blockHashes(tokenIDs: tokens1, extraKeys: nil)
    #expect(hashes1 == hashes0)
    let r1 = try #require(m.admit("r1", tokens: tokens1, hashes: hashes1))
    #expect(r1.hitIDs == [0, 1, 2] && r1.newIDs == [4])
    m.cacheBlocks(requestID: "r1", blockHashes: hashes1, numComputedTokens: 14)
    s = KVCacheSnapshot(m)
    #expect(s.freeQueue == [5, 6, 7, 8, 9])
    #expect(s.refCounts == [2, 2, 2, 1, 1, 0, 0, 0, 0, 0])
    #expect(s.cacheMap == [1: 0, 2: 1, 3: 2])
    #expect(s.blockTables == ["r0": [0, 1, 2, 3], "r1": [0, 1, 2, 4]])
    #expect(s.stats == PrefixCacheStats(numQueries: 29, numHits: 12, numRequests: 2))

    // Free r0 (reverse order): only its private block 3 reaches the tail.
    m.free(requestID: "r0")
    s = KVCacheSnapshot(m)
    #expect(s.freeQueue == [5, 6, 7, 8, 9, 3])
    #expect(s.refCounts == [1, 1, 1, 0, 1, 0, 0, 0, 0, 0])
    // Free r1: its blocks reach the tail last-first; cached blocks stay in the map (lazy eviction).
    m.free(requestID: "r1")
    s = KVCacheSnapshot(m)
    #expect(s.freeQueue == [5, 6, 7, 8, 9, 3, 4, 2, 1, 0])
    #expect(s.refCounts == [Int](repeating: 0, count: 10))
    #expect(s.cacheMap == [1: 0, 2: 1, 3: 2])
    #expect(m.numRequests == 0)

    // req2 hits the cached free blocks: touching pulls them out of the queue; 1 new block from the head.
    let tokens2 = common + [7]
    let r2 = try #require(m.admit("r2", tokens: tokens2, hashes: m.blockHashes(tokenIDs: tokens2, extraKeys: nil)))
    #expect(r2.hitIDs == [0, 1, 2] && r2.newIDs == [5])
    s = KVCacheSnapshot(m)
    #expect(s.freeQueue == [6, 7, 8, 9, 3, 4])
    #expect(s.refCounts == [1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
    #expect(s.stats == PrefixCacheStats(numQueries: 42, numHits: 24, numRequests: 3))

    // req3: 12 unseen tokens take the 3 oldest free blocks.
    let tokens3 = [9, 9, 9, 9, 8, 8, 8, 8, 7, 7, 7, 7]
    let r3 = try #require(m.admit("r3", tokens: tokens3, hashes: m.blockHashes(tokenIDs: tokens3, extraKeys: nil)))
    #expect(r3.hitIDs == [] && r3.newIDs == [6, 7, 8])
    #expect(m.pool.freeBlockQueue.blockIDs == [9, 3, 4])

    // req4 needs 4 blocks but 3 are free: nil, and nothing changes.
    let before = KVCacheSnapshot(m)
    let new4 = m.allocateSlots(requestID: "r4", numNewTokens: 16, numComputedTokens: 0, newComputedBlocks: [])
    #expect(new4 == nil)
    #expect(KVCacheSnapshot(m) == before)
    #expect(m.blockIDs(requestID: "r4") == [])

    // Free r2; then 5 fresh blocks evict LRU: 9, 3, 4, 5 (unhashed) and 2 (cached, dropped from the map).
    m.free(requestID: "r2")
    #expect(m.pool.freeBlockQueue.blockIDs == [9, 3, 4, 5, 2, 1, 0])
    let tokens5 = [Int](repeating: 6, count: 20)
    let r5 = try #require(m.admit("r5", tokens: tokens5, hashes: []))
    #expect(r5.newIDs == [9, 3, 4, 5, 2])
    s = KVCacheSnapshot(m)
    #expect(s.freeQueue == [1, 0])
    #expect(s.cacheMap == [1: 0, 2: 1])
    #expect(m.pool.blocks[2].blockHash == nil)

    // req6 = common + 1 token: only a partial hit now (blocks 0 and 1, 8 tokens), plus 2 new blocks?
    // Only 2 blocks are free and both are the hit blocks, so the allocation must fail unchanged.
    let tokens6 = common + [1]
    let hashes6 = m.blockHashes(tokenIDs: tokens6, extraKeys: nil)
    let hit6 = m.computedBlocks(requestID: "r6", blockHashes: hashes6, numTokens: 13)
    #expect(hit6.blocks.map(\.blockID) == [0, 1] && hit6.numComputedTokens == 8)
    let beforeFail = KVCacheSnapshot(m)
    #expect(m.allocateSlots(requestID: "r6", numNewTokens: 5, numComputedTokens: 8,
                            newComputedBlocks: hit6.blocks) == nil)
    #expect(KVCacheSnapshot(m) == beforeFail)
    // After r3 frees its 3 blocks it fits: hits 0, 1 and takes 2 blocks from the head (8, 7: r3 reversed).
    m.free(requestID: "r3")
    #expect(m.pool.freeBlockQueue.blockIDs == [1, 0, 8, 7, 6])
    let new6 = try #require(m.allocateSlots(requestID: "r6", numNewTokens: 5, numComputedTokens: 8,
                                            newComputedBlocks: hit6.blocks))
    #expect(new6.map(\.blockID) == [8, 7])
    #expect(m.blockIDs(requestID: "r6") == [0, 1, 8, 7])
    #expect(m.pool.freeBlockQueue.blockIDs == [6])
    #expect(m.prefixCacheStats == PrefixCacheStats(numQueries: 87, numHits: 32, numRequests: 6))
    #expect(m.checkInvariants() == [])
}

/// A prompt of exactly 3 full blocks hits only 2 (the last token is always computed); one more
/// token makes all 3 hit.
@Test func fullPrefixHitIsCappedAtNumTokensMinusOne() throws {
    let m = KVCacheManager(numBlocks: 8, blockSize: 4, enablePrefixCaching: true)
    let tokens = Array(1...12)
    let hashes = m.blockHashes(tokenIDs: tokens, extraKeys: nil)
    #expect(try #require(m.admit("a", tokens: tokens, hashes: hashes)).newIDs == [0, 1, 2])
    m.cacheBlocks(requestID: "a", blockHashes: hashes, numComputedTokens: 12)

    let hitB = m.computedBlocks(requestID: "b", blockHashes: hashes, numTokens: 12)
    #expect(hitB.blocks.map(\.blockID) == [0, 1] && hitB.numComputedTokens == 8)
    let newB = try #require(m.allocateSlots(requestID: "b", numNewTokens: 4, numComputedTokens: 8,
                                            newComputedBlocks: hitB.blocks))
    #expect(newB.map(\.blockID) == [3])
    #expect(m.pool.blocks.map(\.refCount) == [2, 2, 1, 1, 0, 0, 0, 0])
    // b computed block 3 with the same content as block 2: the map keeps block 2.
    m.cacheBlocks(requestID: "b", blockHashes: hashes, numComputedTokens: 12)
    #expect(KVCacheSnapshot(m).cacheMap == [1: 0, 2: 1, 3: 2])
    #expect(m.pool.blocks[3].blockHash == nil)

    let tokensC = tokens + [13]
    let hitC = m.computedBlocks(requestID: "c", blockHashes: m.blockHashes(tokenIDs: tokensC, extraKeys: nil),
                                numTokens: 13)
    #expect(hitC.blocks.map(\.blockID) == [0, 1, 2] && hitC.numComputedTokens == 12)
    // One-token prompt: nothing can hit.
    let hitD = m.computedBlocks(requestID: "d", blockHashes: hashes, numTokens: 1)
    #expect(hitD.blocks.isEmpty && hitD.numComputedTokens == 0)
    #expect(m.prefixCacheStats == PrefixCacheStats(numQueries: 38, numHits: 20, numRequests: 4))
    #expect(m.checkInvariants() == [])
}
