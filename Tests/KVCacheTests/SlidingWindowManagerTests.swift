import Testing
@testable import KVCache

/// A sliding-window manager (window 6, blocks of 4): blocks no later query can see are freed as the
/// request advances, their table entries become the null block, and freed blocks stay prefix-cache
/// hits until they are reused. Exact block ids and free-queue order.
struct SlidingWindowManagerTests {
    static func freeQueue(_ m: KVCacheManager) -> [Int] {
        var ids: [Int] = []
        m.pool.freeBlockQueue.forEach { ids.append($0.blockID) }
        return ids
    }

    @Test func blocksOutsideTheWindowAreFreedAndNulled() throws {
        let m = KVCacheManager(numBlocks: 8, blockSize: 4, enablePrefixCaching: true, slidingWindow: 6, order: .vllm)
        let null = try #require(m.nullBlock)
        #expect(null.blockID == 0 && null.refCount == 1)
        #expect(Self.freeQueue(m) == [1, 2, 3, 4, 5, 6, 7])

        // a 10-token prompt takes 3 blocks
        let tokens = Array(100..<113)
        #expect(m.allocateSlots(requestID: "a", numNewTokens: 10, numComputedTokens: 0, newComputedBlocks: [])?.map(\.blockID) == [1, 2, 3])
        m.cacheBlocks(requestID: "a", blockHashes: m.blockHashes(tokenIDs: Array(tokens[..<10]), extraKeys: nil), numComputedTokens: 10)
        // the next query (position 10) sees keys 5...10: block 0 (keys 0..<4) is out
        #expect(m.removeSkippedBlocks(requestID: "a", numComputedTokens: 10) == 1)
        #expect(m.blockIDs(requestID: "a") == [0, 2, 3])
        #expect(Self.freeQueue(m) == [4, 5, 6, 7, 1])
        #expect(m.removeSkippedBlocks(requestID: "a", numComputedTokens: 10) == 0)  // nothing more yet

        #expect(m.allocateSlots(requestID: "a", numNewTokens: 2, numComputedTokens: 10, newComputedBlocks: [])?.isEmpty == true)
        // position 12 sees 7...12: block 1 (keys 4..<8) still holds key 7
        #expect(m.removeSkippedBlocks(requestID: "a", numComputedTokens: 12) == 0)
        #expect(m.allocateSlots(requestID: "a", numNewTokens: 1, numComputedTokens: 12, newComputedBlocks: [])?.map(\.blockID) == [4])
        // position 13 sees 8...13: block 1 is out, block 0 already null
        #expect(m.removeSkippedBlocks(requestID: "a", numComputedTokens: 13) == 1)
        #expect(m.blockIDs(requestID: "a") == [0, 0, 3, 4])
        #expect(Self.freeQueue(m) == [5, 6, 7, 1, 2])
        #expect(m.checkInvariants().isEmpty)

        // the freed blocks are still hits for a request with the same first 8 tokens
        let hashes = m.blockHashes(tokenIDs: Array(tokens[..<9]), extraKeys: nil)
        let hit = m.computedBlocks(requestID: "b", blockHashes: hashes, numTokens: 9)
        #expect(hit.blocks.map(\.blockID) == [1, 2] && hit.numComputedTokens == 8)
        #expect(m.canAllocateSlots(requestID: "b", numNewTokens: 1, numComputedTokens: 8, newComputedBlocks: hit.blocks))
        #expect(Self.freeQueue(m) == [5, 6, 7, 1, 2])  // canAllocate changes nothing
        #expect(m.allocateSlots(requestID: "b", numNewTokens: 1, numComputedTokens: 8, newComputedBlocks: hit.blocks)?.map(\.blockID) == [5])
        #expect(m.blockIDs(requestID: "b") == [1, 2, 5])
        #expect(m.removeSkippedBlocks(requestID: "b", numComputedTokens: 9) == 1)  // 9 sees 4...9: keys 0..<4 are out
        #expect(m.blockIDs(requestID: "b") == [0, 2, 5])
        #expect(m.removeSkippedBlocks(requestID: "b", numComputedTokens: 10) == 0)
        #expect(Self.freeQueue(m) == [6, 7, 1])

        // freeing returns every real block (latest first) and keeps the null block out of the queue
        m.free(requestID: "a")
        m.free(requestID: "b")
        #expect(Self.freeQueue(m) == [6, 7, 1, 4, 3, 5, 2])
        #expect(null.refCount == 1)
        #expect(m.checkInvariants().isEmpty)
    }

    @Test func fullAttentionNeverSkips() {
        let m = KVCacheManager(numBlocks: 4, blockSize: 4, enablePrefixCaching: false)
        #expect(m.nullBlock == nil && m.slidingWindow == nil)
        _ = m.allocateSlots(requestID: "a", numNewTokens: 12, numComputedTokens: 0, newComputedBlocks: [])
        #expect(m.removeSkippedBlocks(requestID: "a", numComputedTokens: 12) == 0)
        #expect(m.blockIDs(requestID: "a") == [0, 1, 2])
        #expect(!m.canAllocateSlots(requestID: "a", numNewTokens: 8, numComputedTokens: 12, newComputedBlocks: []))
    }
}
