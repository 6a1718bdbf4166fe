import Testing
@testable import KVCache

/// `.reuseFreed`: blocks that were used come out of the free queue before blocks never used, and a
/// freed block with no hash comes out first of all.
struct FreeBlockOrderTests {
    @Test func untouchedSegmentStaysBehindFreedBlocks() throws {
        let blocks = (0..<5).map { KVCacheBlock(blockID: $0) }
        let queue = FreeKVCacheBlockQueue(blocks, untouched: true)
        #expect(queue.blockIDs == [0, 1, 2, 3, 4] && queue.numUntouchedBlocks == 5)
        #expect(queue.popLeft()?.blockID == 0 && queue.popLeft()?.blockID == 1)
        #expect(queue.numUntouchedBlocks == 3)
        queue.append(blocks[1])
        queue.append(blocks[0])
        #expect(queue.blockIDs == [1, 0, 2, 3, 4] && queue.numUntouchedBlocks == 3)
        queue.remove(blocks[2])   // the first never-used block, from the middle
        #expect(queue.blockIDs == [1, 0, 3, 4] && queue.numUntouchedBlocks == 2 && queue.linksAreConsistent)
        queue.appendLeft(blocks[2])
        #expect(queue.blockIDs == [2, 1, 0, 3, 4] && queue.numUntouchedBlocks == 2)
        for expected in [2, 1, 0, 3, 4] { #expect(queue.popLeft()?.blockID == expected) }
        #expect(queue.numUntouchedBlocks == 0 && queue.numFreeBlocks == 0)
        queue.append(blocks[4])   // no never-used segment left: the tail
        queue.append(blocks[3])
        #expect(queue.blockIDs == [4, 3] && queue.numUntouchedBlocks == 0 && queue.linksAreConsistent)
        queue.appendHot(blocks[0])
        queue.appendHot(blocks[1])
        queue.append(blocks[2])   // in front of the hot segment
        #expect(queue.blockIDs == [4, 3, 2, 0, 1] && queue.linksAreConsistent)
        #expect(queue.numHotBlocks == 2 && queue.firstHotBlock === blocks[0] && blocks[0].inHotSegment)
        queue.remove(blocks[0])   // the first hot block
        queue.append(blocks[0])   // now cold, in front of the hot block 1
        #expect(queue.blockIDs == [4, 3, 2, 0, 1] && queue.linksAreConsistent)
        #expect(queue.numHotBlocks == 1 && queue.firstHotBlock === blocks[1] && !blocks[0].inHotSegment)
        queue.remove(blocks[1])   // the last hot block: the segment is empty
        queue.append(blocks[1])
        #expect(queue.blockIDs == [4, 3, 2, 0, 1] && queue.linksAreConsistent)
        #expect(queue.numHotBlocks == 0 && queue.firstHotBlock == nil && !blocks[1].inHotSegment)
        queue.remove(blocks[1])
        queue.appendHot(blocks[1])   // hot again: behind everything
        queue.append(blocks[1])      // already queued: no-op
        #expect(queue.blockIDs == [4, 3, 2, 0, 1] && queue.numHotBlocks == 1 && blocks[1].inHotSegment)
    }

    /// Two requests sharing a block, freed, then a third: exact queue, hits and evictions.
    @Test func scriptedReuseBeforeUntouched() throws {
        let m = KVCacheManager(numBlocks: 8, blockSize: 4, enablePrefixCaching: true)
        let common = [7, 7, 7, 7]
        let a = common + [1, 1, 1, 1, 2]      // blocks 0 (common), 1 (full), 2 (one token, no hash)
        let hashesA = m.blockHashes(tokenIDs: a, extraKeys: nil)
        let admitted = try #require(m.admit("a", tokens: a, hashes: hashesA))
        #expect(admitted.hitIDs == [] && admitted.newIDs == [0, 1, 2])
        m.cacheBlocks(requestID: "a", blockHashes: hashesA, numComputedTokens: a.count)
        m.free(requestID: "a")
        // Block 2 holds nothing cacheable: head. Blocks 1 and 0 wait in front of the never-used 3...7.
        #expect(KVCacheSnapshot(m).freeQueue == [2, 1, 0, 3, 4, 5, 6, 7])
        #expect(m.pool.freeBlockQueue.numUntouchedBlocks == 5)

        let b = common + [5, 5, 5, 5, 5, 5]   // hits block 0; needs 2 more: 2 (empty) then 1 (evicts a's)
        let hashesB = m.blockHashes(tokenIDs: b, extraKeys: nil)
        let admittedB = try #require(m.admit("b", tokens: b, hashes: hashesB))
        #expect(admittedB.hitIDs == [0] && admittedB.newIDs == [2, 1])
        m.cacheBlocks(requestID: "b", blockHashes: hashesB, numComputedTokens: b.count)
        #expect(KVCacheSnapshot(m).freeQueue == [3, 4, 5, 6, 7])
        #expect(m.pool.freeBlockQueue.numUntouchedBlocks == 5)

        let c = [9, 9, 9, 9, 9]               // nothing freed is left: never-used blocks
        let admittedC = try #require(m.admit("c", tokens: c, hashes: m.blockHashes(tokenIDs: c, extraKeys: nil)))
        #expect(admittedC.newIDs == [3, 4] && m.pool.freeBlockQueue.numUntouchedBlocks == 3)
        // c published nothing: both its blocks go to the head (last block first, so 3 ends in front);
        // b's partial block 1 goes to the head, its cached 2 and block 0 (revived once, by b's hit)
        // in front of the never-used blocks.
        m.free(requestID: "c")
        m.free(requestID: "b")
        #expect(KVCacheSnapshot(m).freeQueue == [1, 3, 4, 2, 0, 5, 6, 7])
        #expect(m.pool.freeBlockQueue.numUntouchedBlocks == 3 && m.pool.blocks[0].numRevivals == 1)
        #expect(m.checkInvariants() == [])

        // A second revival: freed again, block 0 goes to the hot tail.
        let d = common + [8]
        let admittedD = try #require(m.admit("d", tokens: d, hashes: m.blockHashes(tokenIDs: d, extraKeys: nil)))
        #expect(admittedD.hitIDs == [0] && admittedD.newIDs == [1])
        #expect(KVCacheSnapshot(m).freeQueue == [3, 4, 2, 5, 6, 7])
        m.free(requestID: "d")
        #expect(KVCacheSnapshot(m).freeQueue == [1, 3, 4, 2, 5, 6, 7, 0])

        // Reset: the hot block holds nothing any more and moves in front of the never-used blocks.
        #expect(m.resetPrefixCache())
        #expect(KVCacheSnapshot(m).freeQueue == [1, 3, 4, 2, 0, 5, 6, 7])
        #expect(m.pool.blocks.allSatisfy { !$0.servedHit } && m.checkInvariants() == [])
    }

    /// 10,000 distinct requests, at most 3 at once: with `.reuseFreed` only the blocks the peak
    /// needed are ever used; vLLM's order walks the whole pool.
    @Test(arguments: [FreeBlockOrder.reuseFreed, .vllm])
    func distinctRequestsTouchOnlyThePeak(order: FreeBlockOrder) throws {
        let m = KVCacheManager(numBlocks: 1000, blockSize: 4, enablePrefixCaching: true, order: order)
        var live: [String] = []
        var peakInUse = 0
        var everUsed: Set<Int> = []
        for index in 0..<10_000 {
            let tokens = (0..<(9 + index % 8)).map { index * 100 + $0 }   // 3 or 4 blocks, never shared
            let id = "r\(index)"
            let hashes = m.blockHashes(tokenIDs: tokens, extraKeys: nil)
            let admitted = try #require(m.admit(id, tokens: tokens, hashes: hashes))
            m.cacheBlocks(requestID: id, blockHashes: hashes, numComputedTokens: tokens.count)
            everUsed.formUnion(admitted.newIDs)
            live.append(id)
            peakInUse = max(peakInUse, m.pool.numBlocks - m.pool.numFreeBlocks)
            if live.count == 3 { m.free(requestID: live.removeFirst()) }
        }
        #expect(peakInUse == 12)
        #expect(everUsed.count == (order == .reuseFreed ? 12 : 1000))
        if order == .reuseFreed { #expect(m.pool.freeBlockQueue.numUntouchedBlocks == 1000 - 12) }
        #expect(m.checkInvariants() == [])
    }
}

extension FreeBlockOrderTests {
    /// Blocks revived twice stay hot only up to the peak in use: the oldest rejoin the cached
    /// blocks in front of the never-used ones.
    @Test func hotSegmentHoldsAtMostThePeakInUse() throws {
        let m = KVCacheManager(numBlocks: 10, blockSize: 2, enablePrefixCaching: true)
        // Three prompts of one full block each, each run three times in a row: the later runs hit the first.
        for prompt in 0..<3 {
            for round in 0..<3 {
                let tokens = [prompt * 10, prompt * 10 + 1, 99]     // block 1 full, block 2 partial
                let id = "p\(prompt)-\(round)"
                let hashes = m.blockHashes(tokenIDs: tokens, extraKeys: nil)
                let admitted = try #require(m.admit(id, tokens: tokens, hashes: hashes))
                m.cacheBlocks(requestID: id, blockHashes: hashes, numComputedTokens: tokens.count)
                #expect(admitted.hitIDs.count == min(round, 1))
                m.free(requestID: id)
            }
        }
        // One request at a time: the peak in use is 2 blocks, so 2 of the 3 hit blocks stay hot (1
        // and 2, the most recent); block 0, the oldest, went back in front of the never-used 4...9.
        // Only blocks 0-3 were ever written.
        #expect(m.pool.peakBlocksInUse == 2)
        #expect(m.pool.freeBlockQueue.numHotBlocks == 2)
        #expect(KVCacheSnapshot(m).freeQueue == [3, 0, 4, 5, 6, 7, 8, 9, 1, 2])
        #expect(m.pool.freeBlockQueue.numUntouchedBlocks == 6)
        #expect(m.checkInvariants() == [])
    }

    /// Sharing a block while it is in use (n > 1 siblings) is no revival; a hit on a freed block
    /// is, and the second revival earns the hot segment. Blocks ever written are counted once each.
    @Test func onlyReuseAfterReleaseMakesABlockHot() throws {
        let m = KVCacheManager(numBlocks: 6, blockSize: 2, enablePrefixCaching: true)
        let tokens = [1, 2, 3]                                   // block 0 full, block 1 partial
        let hashes = m.blockHashes(tokenIDs: tokens, extraKeys: nil)
        let first = try #require(m.admit("a-0", tokens: tokens, hashes: hashes))
        m.cacheBlocks(requestID: "a-0", blockHashes: hashes, numComputedTokens: tokens.count)
        let sibling = try #require(m.admit("a-1", tokens: tokens, hashes: hashes))   // shares block 0 while a-0 holds it
        #expect(first.newIDs == [0, 1] && sibling.hitIDs == [0] && sibling.newIDs == [2])
        #expect(m.pool.numBlocksWritten == 3 && m.pool.peakBlocksInUse == 3)
        m.free(requestID: "a-0")
        m.free(requestID: "a-1")
        // Block 0 served no hit after release: cold, in front of the never-used 3...5.
        #expect(m.pool.freeBlockQueue.numHotBlocks == 0 && !m.pool.blocks[0].servedHit)
        #expect(KVCacheSnapshot(m).freeQueue == [2, 1, 0, 3, 4, 5])
        let later = try #require(m.admit("b", tokens: tokens, hashes: hashes))       // revives block 0 from the free queue
        #expect(later.hitIDs == [0] && later.newIDs == [2])
        m.free(requestID: "b")
        // One revival (a sibling admitted after the other finished looks the same): still cold.
        #expect(m.pool.freeBlockQueue.numHotBlocks == 0 && m.pool.blocks[0].numRevivals == 1)
        #expect(KVCacheSnapshot(m).freeQueue == [2, 1, 0, 3, 4, 5])
        _ = try #require(m.admit("c", tokens: tokens, hashes: hashes))               // the second revival
        m.free(requestID: "c")
        #expect(m.pool.freeBlockQueue.numHotBlocks == 1 && m.pool.blocks[0].numRevivals == 2)
        #expect(KVCacheSnapshot(m).freeQueue == [2, 1, 3, 4, 5, 0])
        #expect(m.pool.numBlocksWritten == 3 && m.checkInvariants() == [])
    }
}
