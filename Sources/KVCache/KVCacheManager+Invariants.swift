extension KVCacheManager {
    /// Recounts from scratch (O(numBlocks + blocks held)): every block's refCount equals the number
    /// of requests holding it, the free queue holds exactly the blocks with refCount 0 with
    /// consistent links, and the cache map and block hashes agree (the null block of a sliding
    /// window is held once by the manager itself, however many tables name it). Returns one message per
    /// violation; empty when consistent. For tests.
    public func checkInvariants() -> [String] {
        var problems: [String] = []
        var holders = [Int](repeating: 0, count: pool.numBlocks)
        for (requestID, blocks) in requestBlocks.sorted(by: { $0.key < $1.key }) {
            var seen = Set<Int>()
            for block in blocks where block !== nullBlock {
                guard pool.owns(block) else {
                    problems.append("request \(requestID) holds a foreign block \(block.blockID)")
                    continue
                }
                if !seen.insert(block.blockID).inserted {
                    problems.append("request \(requestID) holds block \(block.blockID) twice")
                }
                holders[block.blockID] += 1
            }
            let numCached = numCachedBlocks[requestID] ?? 0
            if numCached > blocks.count {
                problems.append("request \(requestID) has \(numCached) cached blocks of \(blocks.count)")
            }
        }
        for requestID in numCachedBlocks.keys where requestBlocks[requestID] == nil {
            problems.append("cached-block count kept for unknown request \(requestID)")
        }
        var inQueue = [Bool](repeating: false, count: pool.numBlocks)
        var numQueued = 0
        pool.freeBlockQueue.forEach { block in
            numQueued += 1
            guard pool.owns(block) else {
                problems.append("free queue holds a foreign block \(block.blockID)")
                return
            }
            if inQueue[block.blockID] { problems.append("block \(block.blockID) is queued twice") }
            inQueue[block.blockID] = true
        }
        if !pool.freeBlockQueue.linksAreConsistent || numQueued != pool.numFreeBlocks {
            problems.append("free queue links or count (\(pool.numFreeBlocks)) are inconsistent")
        }
        pool.freeBlockQueue.forEachUntouched { block in
            if block.blockHash != nil || block.servedHit { problems.append("never-used block \(block.blockID) holds content") }
        }
        var numHot = 0
        pool.freeBlockQueue.forEachHot { block in
            numHot += 1
            if block.numRevivals < BlockPool.revivalsToTurnHot || !block.inHotSegment {
                problems.append("hot block \(block.blockID) was revived \(block.numRevivals) times or is not marked hot")
            }
        }
        let numMarkedHot = pool.blocks.reduce(0) { $0 + ($1.inHotSegment ? 1 : 0) }
        if numHot != pool.freeBlockQueue.numHotBlocks || numMarkedHot != numHot || numHot > max(pool.peakBlocksInUse, 0) {
            problems.append("hot segment holds \(numHot) blocks, counted \(pool.freeBlockQueue.numHotBlocks), peak in use \(pool.peakBlocksInUse)")
        }
        if let null = nullBlock, pool.owns(null) { holders[null.blockID] += 1 }
        for block in pool.blocks {
            let id = block.blockID
            if block.refCount != holders[id] {
                problems.append("block \(id) refCount \(block.refCount) but \(holders[id]) holders")
            }
            if (block.refCount == 0) != inQueue[id] {
                problems.append("block \(id) refCount \(block.refCount) but inQueue \(inQueue[id])")
            }
            if let hash = block.blockHash, pool.cachedBlock(hash) !== block {
                problems.append("block \(id) has hash \(hash) not mapped to it")
            }
        }
        for (hash, block) in pool.cachedBlocks where block.blockHash != hash || !pool.owns(block) {
            problems.append("cache map entry \(hash) points at block \(block.blockID) with hash "
                + "\(block.blockHash.map { "\($0)" } ?? "nil")")
        }
        if !pool.enablePrefixCaching && !pool.cachedBlocks.isEmpty {
            problems.append("prefix caching is off but \(pool.cachedBlocks.count) blocks are cached")
        }
        return problems
    }
}
