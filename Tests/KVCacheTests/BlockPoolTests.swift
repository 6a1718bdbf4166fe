import Testing
@testable import KVCache

@Test func freeQueueRemovesFromMiddleAndAppendsAtTail() throws {
    let blocks = (0..<5).map { KVCacheBlock(blockID: $0) }
    let queue = FreeKVCacheBlockQueue(blocks)
    #expect(queue.blockIDs == [0, 1, 2, 3, 4] && queue.numFreeBlocks == 5)
    queue.remove(blocks[2])
    #expect(queue.blockIDs == [0, 1, 3, 4] && queue.numFreeBlocks == 4)
    queue.remove(blocks[2])   // not a member: no-op
    #expect(queue.blockIDs == [0, 1, 3, 4] && queue.numFreeBlocks == 4)
    #expect(queue.popLeft()?.blockID == 0)
    queue.append(blocks[2])
    queue.append(blocks[2])   // already a member: no-op
    queue.append(blocks[0])
    #expect(queue.blockIDs == [1, 3, 4, 2, 0] && queue.numFreeBlocks == 5)
    queue.remove(blocks[0])   // the tail
    queue.remove(blocks[1])   // the head
    #expect(queue.blockIDs == [3, 4, 2] && queue.linksAreConsistent)
    #expect(queue.popLeft()?.blockID == 3)
    #expect(queue.popLeft()?.blockID == 4)
    #expect(queue.popLeft()?.blockID == 2)
    #expect(queue.popLeft() == nil && queue.numFreeBlocks == 0 && queue.blockIDs == [])
}

@Test func poolAllocatesFromHeadAndFailsWithoutChange() throws {
    let pool = BlockPool(numBlocks: 4, enablePrefixCaching: true, order: .vllm)
    #expect(pool.usage == 0)
    let first = try #require(pool.getNewBlocks(3))
    #expect(first.map(\.blockID) == [0, 1, 2] && first.map(\.refCount) == [1, 1, 1])
    #expect(pool.numFreeBlocks == 1 && pool.usage == 0.75)
    #expect(pool.getNewBlocks(2) == nil)
    #expect(pool.getNewBlocks(-1) == nil)
    #expect(pool.freeBlockQueue.blockIDs == [3] && pool.numFreeBlocks == 1)
    #expect(try #require(pool.getNewBlocks(0)).isEmpty)

    // Touch a free block: it leaves the queue; touch a used one: ref count 2.
    pool.touch([pool.blocks[3], first[1]])
    #expect(pool.blocks.map(\.refCount) == [1, 2, 1, 1] && pool.freeBlockQueue.blockIDs == [])
    // Free in the order given; ref counts reaching 0 go to the tail; freeing a free block is ignored.
    pool.free([pool.blocks[3], first[2], first[1], first[0]])
    #expect(pool.freeBlockQueue.blockIDs == [3, 2, 0] && pool.blocks.map(\.refCount) == [0, 1, 0, 0])
    pool.free([pool.blocks[3]])
    #expect(pool.freeBlockQueue.blockIDs == [3, 2, 0] && pool.blocks[3].refCount == 0)
    // A block of another pool is ignored everywhere.
    let stranger = BlockPool(numBlocks: 4, enablePrefixCaching: true).blocks[1]
    pool.touch([stranger])
    pool.free([stranger])
    #expect(pool.freeBlockQueue.blockIDs == [3, 2, 0] && stranger.refCount == 0)
}

@Test func poolCachesLazilyAndEvictsOnReuse() throws {
    let m = KVCacheManager(numBlocks: 3, blockSize: 2, enablePrefixCaching: true)
    let hashes = m.blockHashes(tokenIDs: [1, 2, 3, 4, 5, 6], extraKeys: nil)
    let pool = m.pool
    let blocks = try #require(pool.getNewBlocks(3))
    pool.cacheFullBlocks(blocks[0..<2], hashes: hashes[0..<2])
    #expect(pool.cachedBlock(hashes[0]) === blocks[0] && pool.cachedBlock(hashes[1]) === blocks[1])
    #expect(pool.cachedBlock(hashes[2]) == nil && blocks[0].blockHash == hashes[0])
    // Publishing again, or a second block with a published hash, changes nothing.
    pool.cacheFullBlocks(blocks[1..<3], hashes: hashes[0..<2])
    #expect(pool.cachedBlock(hashes[0]) === blocks[0] && blocks[2].blockHash == nil)
    #expect(pool.cachedBlocks.count == 2)

    pool.free(blocks.reversed())
    #expect(pool.freeBlockQueue.blockIDs == [2, 1, 0] && pool.cachedBlocks.count == 2)
    // Reuse pops 2 (unhashed) then 1 (hash dropped); block 0 stays cached.
    let reused = try #require(pool.getNewBlocks(2))
    #expect(reused.map(\.blockID) == [2, 1])
    #expect(pool.cachedBlock(hashes[1]) == nil && blocks[1].blockHash == nil)
    #expect(pool.cachedBlock(hashes[0]) === blocks[0])
}

@Test func resetPrefixCacheOnlyWhenIdle() throws {
    let m = KVCacheManager(numBlocks: 4, blockSize: 2, enablePrefixCaching: true, order: .vllm)
    let tokens = [1, 2, 3, 4, 5]
    let hashes = m.blockHashes(tokenIDs: tokens, extraKeys: nil)
    _ = try #require(m.admit("a", tokens: tokens, hashes: hashes))
    m.cacheBlocks(requestID: "a", blockHashes: hashes, numComputedTokens: 5)
    let busy = KVCacheSnapshot(m)
    #expect(busy.cacheMap == [1: 0, 2: 1])
    #expect(m.resetPrefixCache() == false)
    #expect(KVCacheSnapshot(m) == busy)

    m.free(requestID: "a")
    #expect(m.resetPrefixCache())
    let idle = KVCacheSnapshot(m)
    #expect(idle.cacheMap == [:] && m.pool.blocks.allSatisfy { $0.blockHash == nil })
    #expect(idle.freeQueue == [3, 2, 1, 0])
    // The same prompt misses now, and gets fresh identities (serials are never reused).
    let again = m.blockHashes(tokenIDs: tokens, extraKeys: nil)
    #expect(again.map(\.serial) == [3, 4])
    let hit = m.computedBlocks(requestID: "b", blockHashes: again, numTokens: 5)
    #expect(hit.blocks.isEmpty)
    #expect(m.prefixCacheStats == PrefixCacheStats(numQueries: 10, numHits: 0, numRequests: 2))
    #expect(m.checkInvariants() == [])
}
