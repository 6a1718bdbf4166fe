import Testing
@testable import KVCache

@Test func extraKeysSeparateCaches() throws {
    let m = KVCacheManager(numBlocks: 8, blockSize: 2, enablePrefixCaching: true)
    let tokens = [5, 6, 7, 8, 9]
    let plain = m.blockHashes(tokenIDs: tokens, extraKeys: nil)
    let saltA = m.blockHashes(tokenIDs: tokens, extraKeys: "salt-a")
    let saltB = m.blockHashes(tokenIDs: tokens, extraKeys: "salt-b")
    #expect(plain.map(\.serial) == [1, 2] && saltA.map(\.serial) == [3, 4] && saltB.map(\.serial) == [5, 6])
    #expect(m.blockHashes(tokenIDs: tokens, extraKeys: "salt-a") == saltA)

    #expect(try #require(m.admit("a", tokens: tokens, hashes: saltA)).newIDs == [0, 1, 2])
    m.cacheBlocks(requestID: "a", blockHashes: saltA, numComputedTokens: 5)
    #expect(m.computedBlocks(requestID: "p", blockHashes: plain, numTokens: 5).blocks.isEmpty)
    #expect(m.computedBlocks(requestID: "b", blockHashes: saltB, numTokens: 5).blocks.isEmpty)
    #expect(m.computedBlocks(requestID: "a2", blockHashes: saltA, numTokens: 5).blocks.map(\.blockID) == [0, 1])
    #expect(m.prefixCacheStats == PrefixCacheStats(numQueries: 20, numHits: 4, numRequests: 4))
}

/// With every content hash forced to one value, different contents still never match.
@Test func forcedHashCollisionGivesNoWrongHit() throws {
    let m = KVCacheManager(numBlocks: 8, blockSize: 2, enablePrefixCaching: true)
    m.hasher.hashOverride = { _, _, _ in 42 }
    let tokensA = [1, 1, 2, 2, 0]
    let tokensB = [3, 3, 4, 4, 0]
    let hashesA = m.blockHashes(tokenIDs: tokensA, extraKeys: nil)
    let hashesB = m.blockHashes(tokenIDs: tokensB, extraKeys: nil)
    #expect(hashesA.map(\.value) == [42, 42] && hashesB.map(\.value) == [42, 42])
    #expect(hashesA.map(\.serial) == [1, 2] && hashesB.map(\.serial) == [3, 4])
    #expect(hashesA[0] != hashesB[0] && hashesA[0].hashValue == hashesB[0].hashValue)
    // Same tokens under a different parent also differ: [2, 2] after [1, 1] vs [2, 2] first.
    let hashesC = m.blockHashes(tokenIDs: [2, 2, 1, 1, 0], extraKeys: nil)
    #expect(hashesC.map(\.serial) == [5, 6])

    _ = try #require(m.admit("a", tokens: tokensA, hashes: hashesA))
    m.cacheBlocks(requestID: "a", blockHashes: hashesA, numComputedTokens: 5)
    #expect(KVCacheSnapshot(m).cacheMap == [1: 0, 2: 1])
    #expect(m.computedBlocks(requestID: "b", blockHashes: hashesB, numTokens: 5).blocks.isEmpty)
    #expect(m.computedBlocks(requestID: "c", blockHashes: hashesC, numTokens: 5).blocks.isEmpty)
    let again = m.blockHashes(tokenIDs: tokensA, extraKeys: nil)
    #expect(again == hashesA)
    #expect(m.computedBlocks(requestID: "a2", blockHashes: again, numTokens: 5).blocks.map(\.blockID) == [0, 1])
    #expect(m.checkInvariants() == [])
}

@Test func prefixCachingOffHasNoHashesNoHits() throws {
    let m = KVCacheManager(numBlocks: 4, blockSize: 2, enablePrefixCaching: false, order: .vllm)
    let tokens = [1, 2, 3, 4, 5]
    let hashes = m.blockHashes(tokenIDs: tokens, extraKeys: nil)
    #expect(hashes.isEmpty)
    #expect(try #require(m.admit("a", tokens: tokens, hashes: hashes)).newIDs == [0, 1, 2])
    m.cacheBlocks(requestID: "a", blockHashes: hashes, numComputedTokens: 5)
    m.free(requestID: "a")
    let hit = m.computedBlocks(requestID: "b", blockHashes: hashes, numTokens: 5)
    #expect(hit.blocks.isEmpty && hit.numComputedTokens == 0)
    #expect(m.pool.cachedBlocks.isEmpty && m.pool.blocks.allSatisfy { $0.blockHash == nil })
    #expect(m.pool.freeBlockQueue.blockIDs == [3, 2, 1, 0])
    #expect(m.prefixCacheStats == PrefixCacheStats())
    #expect(m.checkInvariants() == [])
}

/// Chunked prefill then decode: blocks are published as they fill, with hashes grown incrementally.
@Test func chunkedPrefillAndDecodePublishAsBlocksFill() throws {
    let m = KVCacheManager(numBlocks: 6, blockSize: 4, enablePrefixCaching: true)
    var tokens = Array(10..<20)   // 10 tokens
    var hashes = m.blockHashes(tokenIDs: tokens, extraKeys: nil)
    #expect(hashes.map(\.serial) == [1, 2])
    #expect(try #require(m.allocateSlots(requestID: "r", numNewTokens: 6, numComputedTokens: 0,
                                         newComputedBlocks: [])).map(\.blockID) == [0, 1])
    m.cacheBlocks(requestID: "r", blockHashes: hashes, numComputedTokens: 6)
    #expect(KVCacheSnapshot(m).cacheMap == [1: 0])
    #expect(try #require(m.allocateSlots(requestID: "r", numNewTokens: 4, numComputedTokens: 6,
                                         newComputedBlocks: [])).map(\.blockID) == [2])
    m.cacheBlocks(requestID: "r", blockHashes: hashes, numComputedTokens: 10)
    #expect(KVCacheSnapshot(m).cacheMap == [1: 0, 2: 1])
    // Decode two tokens: the third block fills at 12 tokens.
    for token in [20, 21] {
        #expect(try #require(m.allocateSlots(requestID: "r", numNewTokens: 1, numComputedTokens: tokens.count,
                                             newComputedBlocks: [])).isEmpty)
        tokens.append(token)
        m.appendBlockHashes(to: &hashes, tokenIDs: tokens, extraKeys: nil)
        m.cacheBlocks(requestID: "r", blockHashes: hashes, numComputedTokens: tokens.count)
    }
    #expect(hashes.map(\.serial) == [1, 2, 3])
    #expect(hashes == m.blockHashes(tokenIDs: tokens, extraKeys: nil))
    #expect(KVCacheSnapshot(m).cacheMap == [1: 0, 2: 1, 3: 2])
    // The 13th token needs a 4th block.
    #expect(try #require(m.allocateSlots(requestID: "r", numNewTokens: 1, numComputedTokens: 12,
                                         newComputedBlocks: [])).map(\.blockID) == [3])
    #expect(m.blockIDs(requestID: "r") == [0, 1, 2, 3])
    #expect(m.checkInvariants() == [])
}

/// Calls the scheduler should not make still never trap and change nothing.
@Test func invalidCallsAreNoOps() throws {
    let m = KVCacheManager(numBlocks: 4, blockSize: 2, enablePrefixCaching: true)
    let other = KVCacheManager(numBlocks: 4, blockSize: 2, enablePrefixCaching: true)
    let before = KVCacheSnapshot(m)
    m.free(requestID: "nobody")
    m.cacheBlocks(requestID: "nobody", blockHashes: [], numComputedTokens: 8)
    #expect(m.allocateSlots(requestID: "x", numNewTokens: -1, numComputedTokens: 0, newComputedBlocks: []) == nil)
    #expect(m.allocateSlots(requestID: "x", numNewTokens: 1, numComputedTokens: -2, newComputedBlocks: []) == nil)
    #expect(m.allocateSlots(requestID: "x", numNewTokens: Int.max, numComputedTokens: Int.max,
                            newComputedBlocks: []) == nil)
    #expect(m.allocateSlots(requestID: "x", numNewTokens: 1, numComputedTokens: 2,
                            newComputedBlocks: [other.pool.blocks[0]]) == nil)
    #expect(m.allocateSlots(requestID: "x", numNewTokens: 1, numComputedTokens: 4,
                            newComputedBlocks: [m.pool.blocks[0], m.pool.blocks[0]]) == nil)
    #expect(KVCacheSnapshot(m) == before)
    #expect(m.blockIDs(requestID: "nobody") == [] && m.numRequests == 0)
    // Degenerate sizes clamp instead of trapping.
    let empty = KVCacheManager(numBlocks: -3, blockSize: 0, enablePrefixCaching: true)
    #expect(empty.pool.numBlocks == 0 && empty.blockSize == 1 && empty.usage == 0)
    #expect(empty.allocateSlots(requestID: "x", numNewTokens: 1, numComputedTokens: 0, newComputedBlocks: []) == nil)
    #expect(empty.checkInvariants() == [])
}

/// Hashes are only meaningful to the manager that issued them: another manager's equal serials
/// never hit, and its chains are not extended.
@Test func hashesOfAnotherManagerNeverMatch() throws {
    let a = KVCacheManager(numBlocks: 4, blockSize: 2, enablePrefixCaching: true)
    let b = KVCacheManager(numBlocks: 4, blockSize: 2, enablePrefixCaching: true)
    let hashesA = a.blockHashes(tokenIDs: [1, 2, 3], extraKeys: nil)
    let hashesB = b.blockHashes(tokenIDs: [7, 8, 9], extraKeys: nil)
    #expect(hashesA.map(\.serial) == [1] && hashesB.map(\.serial) == [1])
    #expect(hashesA != hashesB)
    _ = try #require(b.admit("b", tokens: [7, 8, 9], hashes: hashesB))
    b.cacheBlocks(requestID: "b", blockHashes: hashesB, numComputedTokens: 3)
    #expect(b.computedBlocks(requestID: "x", blockHashes: hashesA, numTokens: 3).blocks.isEmpty)
    var foreign = hashesA
    b.appendBlockHashes(to: &foreign, tokenIDs: [1, 2, 3, 4, 5], extraKeys: nil)
    #expect(foreign == hashesA)
}

/// The interner stays bounded: it forgets old uncached keys, keeps cached and recent ones.
@Test func internerPrunesOldUncachedKeys() throws {
    let m = KVCacheManager(numBlocks: 4, blockSize: 1, enablePrefixCaching: true)
    m.maxInternedKeys = 8
    let tokensA = [100, 101, 102]
    let hashesA = m.blockHashes(tokenIDs: tokensA, extraKeys: nil)
    #expect(hashesA.map(\.serial) == [1, 2, 3])
    _ = try #require(m.admit("a", tokens: tokensA, hashes: hashesA))
    m.cacheBlocks(requestID: "a", blockHashes: hashesA, numComputedTokens: 3)
    m.free(requestID: "a")
    for token in 0..<20 {
        #expect(m.blockHashes(tokenIDs: [token], extraKeys: nil).map(\.serial) == [UInt64(4 + token)])
        #expect(m.hasher.count <= 9)
    }
    #expect(m.blockHashes(tokenIDs: tokensA, extraKeys: nil) == hashesA)          // cached: kept
    #expect(m.blockHashes(tokenIDs: [19], extraKeys: nil).map(\.serial) == [23])  // recent: kept
    #expect(m.blockHashes(tokenIDs: [0], extraKeys: nil).map(\.serial) == [24])   // forgotten: fresh serial
    let hit = m.computedBlocks(requestID: "b", blockHashes: hashesA, numTokens: 3)
    #expect(hit.blocks.map(\.blockID) == [0, 1])
    #expect(m.checkInvariants() == [])
}

/// The interner's limit follows the blocks ever written, not the pool's size: a pool of 100,000
/// blocks that only ever wrote 3 keeps at most 4 x 3 + 4096 keys.
@Test func internerLimitFollowsWrittenBlocks() throws {
    let m = KVCacheManager(numBlocks: 100_000, blockSize: 1, enablePrefixCaching: true)
    #expect(m.maxInternedKeys == 404_096 && m.internedKeyLimit == 4096)
    let tokens = [7, 8, 9]
    let hashes = m.blockHashes(tokenIDs: tokens, extraKeys: nil)
    _ = try #require(m.admit("a", tokens: tokens, hashes: hashes))
    m.cacheBlocks(requestID: "a", blockHashes: hashes, numComputedTokens: 3)
    m.free(requestID: "a")
    #expect(m.pool.numBlocksWritten == 3 && m.internedKeyLimit == 4108)
    var most = 0
    for token in 0..<20_000 {
        _ = m.blockHashes(tokenIDs: [1000 + token], extraKeys: nil)
        most = max(most, m.hasher.count)
    }
    #expect(most == 4109)
    #expect(m.blockHashes(tokenIDs: tokens, extraKeys: nil) == hashes)   // cached: kept through every prune
}

/// A hit block evicted and reused between the lookup and the allocation is refused (nil, unchanged).
@Test func staleHitBlocksAreRefused() throws {
    let m = KVCacheManager(numBlocks: 5, blockSize: 2, enablePrefixCaching: true, order: .vllm)
    let tokens = [1, 2, 3, 4, 5]
    let hashes = m.blockHashes(tokenIDs: tokens, extraKeys: nil)
    #expect(try #require(m.admit("x", tokens: tokens, hashes: hashes)).newIDs == [0, 1, 2])
    m.cacheBlocks(requestID: "x", blockHashes: hashes, numComputedTokens: 5)
    m.free(requestID: "x")
    #expect(m.pool.freeBlockQueue.blockIDs == [3, 4, 2, 1, 0])
    let hit = m.computedBlocks(requestID: "a", blockHashes: hashes, numTokens: 5)
    #expect(hit.blocks.map(\.blockID) == [0, 1])
    // Another request takes 4 blocks (evicting block 1) and frees them.
    #expect(m.allocateSlots(requestID: "b", numNewTokens: 8, numComputedTokens: 0, newComputedBlocks: [])?
        .map(\.blockID) == [3, 4, 2, 1])
    m.free(requestID: "b")
    let before = KVCacheSnapshot(m)
    #expect(before.freeQueue == [0, 1, 2, 4, 3] && before.cacheMap == [1: 0])
    #expect(m.allocateSlots(requestID: "a", numNewTokens: 1, numComputedTokens: 4, newComputedBlocks: hit.blocks) == nil)
    #expect(KVCacheSnapshot(m) == before)
    // A fresh lookup gets the part still cached.
    let again = m.computedBlocks(requestID: "a", blockHashes: hashes, numTokens: 5)
    #expect(again.blocks.map(\.blockID) == [0])
    #expect(m.allocateSlots(requestID: "a", numNewTokens: 3, numComputedTokens: 2, newComputedBlocks: again.blocks)?
        .map(\.blockID) == [1, 2])
    #expect(m.blockIDs(requestID: "a") == [0, 1, 2] && m.checkInvariants() == [])
}

/// Speculative decoding's rollback: blocks past the tokens kept go back to the free queue, latest
/// first; published blocks and unknown requests are left alone.
@Test func freeingBlocksAfterRejectedDrafts() throws {
    let m = KVCacheManager(numBlocks: 8, blockSize: 2, enablePrefixCaching: true, order: .vllm)
    let tokens = [1, 2, 3, 4, 5]
    let hashes = m.blockHashes(tokenIDs: tokens, extraKeys: nil)
    #expect(try #require(m.admit("a", tokens: tokens, hashes: hashes)).newIDs == [0, 1, 2])
    m.cacheBlocks(requestID: "a", blockHashes: hashes, numComputedTokens: 4)
    // a verification step wrote 4 more slots (positions 5...8): blocks 3 and 4
    #expect(m.allocateSlots(requestID: "a", numNewTokens: 4, numComputedTokens: 5, newComputedBlocks: [])?.map(\.blockID) == [3, 4])
    // one draft accepted: 6 tokens hold KV, so block 2 (positions 4, 5) stays and 3, 4 go back, 4 first
    #expect(m.freeBlocks(requestID: "a", after: 6) == 2)
    #expect(m.blockIDs(requestID: "a") == [0, 1, 2])
    #expect(KVCacheSnapshot(m).freeQueue.suffix(2) == [4, 3])
    // never below the published blocks; nothing for an unknown request
    #expect(m.freeBlocks(requestID: "a", after: 0) == 1 && m.blockIDs(requestID: "a") == [0, 1])
    #expect(m.freeBlocks(requestID: "nobody", after: 0) == 0)
    #expect(m.checkInvariants().isEmpty)
}
