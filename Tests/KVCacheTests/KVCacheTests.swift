import Testing
@testable import KVCache

/// Smoke test of the whole public surface (details are pinned in the other test files).
@Test func managerAllocatesCachesAndFrees() throws {
    let manager = KVCacheManager(numBlocks: 4, blockSize: 2, enablePrefixCaching: true, order: .vllm)
    let tokens = [1, 2, 3, 4, 5]
    let hashes = manager.blockHashes(tokenIDs: tokens, extraKeys: nil)
    #expect(hashes.count == 2)
    let hit = manager.computedBlocks(requestID: "a", blockHashes: hashes, numTokens: tokens.count)
    #expect(hit.blocks.isEmpty && hit.numComputedTokens == 0)
    let blocks = try #require(manager.allocateSlots(requestID: "a", numNewTokens: 5, numComputedTokens: 0,
                                                    newComputedBlocks: []))
    #expect(blocks.map(\.blockID) == [0, 1, 2])
    manager.cacheBlocks(requestID: "a", blockHashes: hashes, numComputedTokens: 5)
    #expect(manager.pool.cachedBlocks.count == 2)
    #expect(manager.usage == 0.75)
    manager.free(requestID: "a")
    #expect(manager.pool.freeBlockQueue.blockIDs == [3, 2, 1, 0])
    #expect(manager.checkInvariants() == [])
}
