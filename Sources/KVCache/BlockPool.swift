/// All KV blocks (ids 0..<numBlocks, every one usable), created once, with the free queue and the
/// prefix-cache map. Every operation is O(blocks touched) except `resetPrefixCache`.
///
/// Eviction is lazy: a freed block keeps its hash and stays in the cache map while it waits in the
/// free queue; it leaves the map only when `getNewBlocks` pops it for new content.
public final class BlockPool {
    /// Total number of blocks.
    public let numBlocks: Int
    /// Whether full blocks are published for reuse by later requests.
    public let enablePrefixCaching: Bool
    /// Which free block `getNewBlocks` takes first.
    public let order: FreeBlockOrder
    /// Every block, indexed by id.
    public let blocks: [KVCacheBlock]
    /// Blocks with refCount 0, in eviction order.
    public let freeBlockQueue: FreeKVCacheBlockQueue
    /// Published blocks by content identity (one block per identity; later duplicates stay unpublished).
    public private(set) var cachedBlocks: [BlockHash: KVCacheBlock] = [:]
    /// Told when a published hash leaves the cache (KV cache events); nil: nobody listens.
    public weak var observer: (any BlockPoolObserver)?
    /// Whether `cacheFullBlocks` reports which blocks it published (for KV events, a disk tier).
    public var reportsPublished = false
    /// Most blocks ever in use at once: with `.reuseFreed` the hot segment holds at most this many.
    public private(set) var peakBlocksInUse = 0
    /// Blocks ever handed out for new content: on a CPU, the blocks whose pages are resident.
    public private(set) var numBlocksWritten = 0

    /// A pool of `numBlocks` free blocks (a negative count is treated as 0), all in the free queue in id order.
    public init(numBlocks: Int, enablePrefixCaching: Bool, order: FreeBlockOrder = .reuseFreed) {
        let count = max(0, numBlocks)
        self.numBlocks = count
        self.enablePrefixCaching = enablePrefixCaching
        self.order = order
        self.blocks = (0..<count).map { KVCacheBlock(blockID: $0) }
        self.freeBlockQueue = FreeKVCacheBlockQueue(blocks, untouched: order == .reuseFreed)
        cachedBlocks.reserveCapacity(count)
    }

    /// Number of blocks in the free queue (including cached free blocks).
    public var numFreeBlocks: Int { freeBlockQueue.numFreeBlocks }

    /// Fraction of blocks in use: 1 - free/total (0 for an empty pool).
    public var usage: Double {
        numBlocks == 0 ? 0 : 1 - Double(numFreeBlocks) / Double(numBlocks)
    }

    /// Pops `n` blocks from the free head, evicting their cached hashes, and gives each refCount 1.
    /// Returns nil, changing nothing, when fewer than `n` are free (or `n` is negative).
    public func getNewBlocks(_ n: Int) -> [KVCacheBlock]? {
        guard n >= 0, n <= numFreeBlocks else { return nil }
        var result: [KVCacheBlock] = []
        result.reserveCapacity(n)
        for _ in 0..<n {
            guard let block = freeBlockQueue.popLeft() else { break }
            evict(block)
            if !block.written {
                block.written = true
                numBlocksWritten += 1
            }
            block.refCount = 1
            result.append(block)
        }
        peakBlocksInUse = max(peakBlocksInUse, numBlocks - numFreeBlocks)
        return result
    }

    /// Cached block for a hash, if any (does not touch ref counts).
    public func cachedBlock(_ hash: BlockHash) -> KVCacheBlock? {
        cachedBlocks[hash]
    }

    /// Revivals (prefix hits on a freed block) after which a freed block goes to the hot segment.
    /// One is not enough: an n = 2 sibling admitted after the other finished, or a one-off
    /// continuation, revives its blocks once and never again; a shared system prompt keeps coming back.
    public static let revivalsToTurnHot = 2

    /// Increments ref counts; a block with refCount 0 (in the free queue) is removed from the queue
    /// and counts a revival (a block shared while in use, as by n > 1 siblings admitted together,
    /// does not: only reuse after release shows the cache's worth). Blocks of another pool are ignored.
    public func touch(_ blocks: [KVCacheBlock]) {
        for block in blocks where owns(block) {
            if block.refCount == 0 {
                freeBlockQueue.remove(block)
                block.numRevivals += 1
            }
            block.refCount += 1
        }
        peakBlocksInUse = max(peakBlocksInUse, numBlocks - numFreeBlocks)
    }

    /// Decrements ref counts; blocks reaching 0 join the free queue in the order given (callers pass
    /// a request's blocks in reverse so its last blocks are evicted first): at the tail, or with
    /// `.reuseFreed` at the head when they hold no hash, in the hot segment when prefix hits have
    /// revived them `revivalsToTurnHot` times, else in front of the never-used blocks.
    /// Blocks already at 0, or of another pool, are ignored.
    public func free(_ blocks: some Sequence<KVCacheBlock>) {
        for block in blocks where owns(block) && block.refCount > 0 {
            block.refCount -= 1
            guard block.refCount == 0 else { continue }
            switch order {
            case .vllm: freeBlockQueue.append(block)
            case .reuseFreed where block.blockHash == nil: freeBlockQueue.appendLeft(block)
            case .reuseFreed where block.numRevivals >= Self.revivalsToTurnHot:
                freeBlockQueue.appendHot(block)
                // At most the peak in use stays hot: the oldest hot blocks go back in front of the
                // never-used ones, so written KV memory stays within twice the peak in use.
                while freeBlockQueue.numHotBlocks > peakBlocksInUse, let oldest = freeBlockQueue.firstHotBlock {
                    freeBlockQueue.remove(oldest)
                    freeBlockQueue.append(oldest)
                }
            case .reuseFreed: freeBlockQueue.append(block)
            }
        }
    }

    /// Publishes newly full blocks: sets `blockHash` and records them in the cache map.
    /// Blocks already hashed are skipped; if another block already holds a hash, the map keeps that
    /// one and the new block stays unpublished. No-op when prefix caching is off.
    /// Returns the slice indices of the blocks it published when `reportsPublished` (else empty).
    @discardableResult
    public func cacheFullBlocks(_ blocks: ArraySlice<KVCacheBlock>, hashes: ArraySlice<BlockHash>) -> [Int] {
        guard enablePrefixCaching else { return [] }
        var published: [Int] = []
        for (index, (block, hash)) in zip(blocks.indices, zip(blocks, hashes)) where owns(block) && block.blockHash == nil {
            if cachedBlocks[hash] == nil {
                block.blockHash = hash
                cachedBlocks[hash] = block
                if reportsPublished { published.append(index) }
            }
        }
        return published
    }

    /// Drops every cached hash; only when no block is in use (returns false otherwise, changing nothing).
    public func resetPrefixCache() -> Bool {
        guard numFreeBlocks == numBlocks else { return false }
        if !cachedBlocks.isEmpty { observer?.allBlocksCleared() }
        cachedBlocks.removeAll(keepingCapacity: true)
        for block in blocks {
            block.blockHash = nil
            block.numRevivals = 0
        }
        if order == .reuseFreed {
            // Hot blocks hold nothing now: move them in front of the never-used ones.
            var hot: [KVCacheBlock] = []
            freeBlockQueue.forEachHot { hot.append($0) }
            for block in hot {
                freeBlockQueue.remove(block)
                freeBlockQueue.append(block)
            }
        }
        return true
    }

    /// True when `block` is this pool's block with that id.
    func owns(_ block: KVCacheBlock) -> Bool {
        block.blockID >= 0 && block.blockID < numBlocks && blocks[block.blockID] === block
    }

    /// Drops a block's hash from the map (if it is the published one) before reuse.
    private func evict(_ block: KVCacheBlock) {
        block.numRevivals = 0
        guard let hash = block.blockHash else { return }
        if cachedBlocks[hash] === block {
            cachedBlocks[hash] = nil
            observer?.blockEvicted(hash)
        }
        block.blockHash = nil
    }
}

/// Listens to the prefix cache losing blocks (vLLM's KV cache events); bookkeeping only.
public protocol BlockPoolObserver: AnyObject {
    /// A published block was taken for new content: its hash is no longer cached.
    func blockEvicted(_ hash: BlockHash)
    /// Every cached hash was dropped.
    func allBlocksCleared()
}
