/// Per-request block lists over one pool of one attention type, with automatic prefix caching:
/// full attention, or sliding-window attention, whose blocks that fall out of the window are freed
/// (`removeSkippedBlocks`) and replaced in the request's table by the pool's null block (vLLM's
/// `SlidingWindowManager`). Bookkeeping only: it never touches tensors, never throws, and returns
/// nil when it cannot allocate. Calls with unknown request ids or out-of-range counts never trap.
/// Not thread-safe: use it from the scheduler's thread (or actor) only.
public final class KVCacheManager {
    /// Tokens per block.
    public let blockSize: Int
    /// The shared block pool.
    public let pool: BlockPool
    /// Keys a query at position p sees: p - slidingWindow + 1 ... p; nil for full attention.
    public let slidingWindow: Int?
    /// With a window: the placeholder a table holds where its blocks fell out of the window, taken
    /// from the pool at creation and never freed, published or read by attention.
    public let nullBlock: KVCacheBlock?

    /// Block list of each live request, in token order (its block table).
    var requestBlocks: [String: [KVCacheBlock]] = [:]
    /// Number of leading blocks of each request already published (or taken as prefix hits).
    var numCachedBlocks: [String: Int] = [:]
    /// Interns block contents into exact identities.
    let hasher = BlockHasher()
    /// Interned keys beyond which the hasher forgets keys neither cached nor among the most recent
    /// half (amortized O(1) per block hashed). A forgotten key costs at most a missed hit. The
    /// limit in force follows the blocks ever written (`internedKeyLimit`), so the keys' memory
    /// stays proportional to the KV memory in use rather than to the pool's size.
    var maxInternedKeys: Int

    /// min(maxInternedKeys, 4 x blocks ever written + 4096): cached blocks are among the written
    /// ones, and the margin covers the hashes of requests still waiting.
    var internedKeyLimit: Int { min(maxInternedKeys, 4 * pool.numBlocksWritten + 4096) }

    private var stats = PrefixCacheStats()

    /// A manager over a fresh pool of `numBlocks` blocks of `blockSize` tokens (clamped to at least 1);
    /// with `slidingWindow` (positive) the pool's first free block becomes the null block.
    public init(numBlocks: Int, blockSize: Int, enablePrefixCaching: Bool, slidingWindow: Int? = nil,
                order: FreeBlockOrder = .reuseFreed) {
        self.blockSize = max(1, blockSize)
        self.pool = BlockPool(numBlocks: numBlocks, enablePrefixCaching: enablePrefixCaching, order: order)
        self.maxInternedKeys = 4 * max(0, numBlocks) + 4096
        self.slidingWindow = slidingWindow.flatMap { $0 > 0 ? $0 : nil }
        self.nullBlock = self.slidingWindow == nil ? nil : pool.getNewBlocks(1)?.first
    }

    /// Fraction of blocks in use.
    public var usage: Double { pool.usage }

    /// Cumulative prefix-cache counters.
    public var prefixCacheStats: PrefixCacheStats { stats }

    /// Number of requests holding blocks.
    public var numRequests: Int { requestBlocks.count }

    /// Full-block hashes of `tokenIDs` (only full blocks), chained, with `extraKeys` (cache_salt,
    /// adapter) on every block. Empty when prefix caching is off.
    public func blockHashes(tokenIDs: [Int], extraKeys: String?) -> [BlockHash] {
        var hashes: [BlockHash] = []
        appendBlockHashes(to: &hashes, tokenIDs: tokenIDs, extraKeys: extraKeys)
        return hashes
    }

    /// Incremental form of `blockHashes`: appends the hashes of the full blocks of `tokenIDs` that
    /// `hashes` lacks (for a request that grew by decoding). O(new blocks).
    public func appendBlockHashes(to hashes: inout [BlockHash], tokenIDs: [Int], extraKeys: String?) {
        guard pool.enablePrefixCaching else { return }
        let limit = internedKeyLimit
        if hasher.count > limit {
            // Keep what is cached, and recent keys (likely held by waiting requests).
            hasher.prune(keepingRecent: limit / 2) { pool.cachedBlock($0) != nil }
        }
        hasher.appendHashes(to: &hashes, tokenIDs: tokenIDs, blockSize: blockSize, extraKeys: extraKeys)
    }

    /// Longest cached prefix of a new request: its blocks and the number of tokens they hold. The hit
    /// is capped so the last prompt token is always computed (numComputedTokens <= numTokens - 1,
    /// rounded down to whole blocks). Counts one request, `numTokens` queried tokens and the hit
    /// tokens. Returns ([], 0) without counting when prefix caching is off. Touches nothing.
    public func computedBlocks(requestID: String, blockHashes: [BlockHash], numTokens: Int)
        -> (blocks: [KVCacheBlock], numComputedTokens: Int)
    {
        guard pool.enablePrefixCaching else { return ([], 0) }
        let maxHitBlocks = min(blockHashes.count, max(0, numTokens - 1) / blockSize)
        var blocks: [KVCacheBlock] = []
        for hash in blockHashes.prefix(maxHitBlocks) {
            guard let block = pool.cachedBlock(hash) else { break }
            blocks.append(block)
        }
        let numComputedTokens = blocks.count * blockSize
        stats.numRequests += 1
        stats.numQueries += max(0, numTokens)
        stats.numHits += numComputedTokens
        return (blocks, numComputedTokens)
    }

    /// Gives `requestID` room for `numNewTokens` more tokens after `numComputedTokens` (the tokens
    /// already holding KV, including those in `newComputedBlocks`), first taking `newComputedBlocks`
    /// (prefix hits, touched), then new blocks from the free head. Returns the newly allocated blocks,
    /// or nil, changing nothing, when not enough blocks are free (the scheduler preempts) or the
    /// arguments are invalid (negative counts, blocks of another pool, repeated, or no longer cached:
    /// call this right after `computedBlocks`, with no allocation in between).
    public func allocateSlots(requestID: String, numNewTokens: Int, numComputedTokens: Int,
                              newComputedBlocks: [KVCacheBlock]) -> [KVCacheBlock]? {
        guard let numToAllocate = blocksToAllocate(requestID: requestID, numNewTokens: numNewTokens,
                                                   numComputedTokens: numComputedTokens,
                                                   newComputedBlocks: newComputedBlocks) else { return nil }
        let numExisting = requestBlocks[requestID]?.count ?? 0
        if !newComputedBlocks.isEmpty {
            pool.touch(newComputedBlocks)
            requestBlocks[requestID, default: []].append(contentsOf: newComputedBlocks)
            if numExisting == 0 {
                numCachedBlocks[requestID] = newComputedBlocks.count
            }
        }
        guard let newBlocks = pool.getNewBlocks(numToAllocate) else { return nil }
        requestBlocks[requestID, default: []].append(contentsOf: newBlocks)
        return newBlocks
    }

    /// Whether `allocateSlots` with these arguments would succeed; changes nothing.
    public func canAllocateSlots(requestID: String, numNewTokens: Int, numComputedTokens: Int,
                                 newComputedBlocks: [KVCacheBlock]) -> Bool {
        blocksToAllocate(requestID: requestID, numNewTokens: numNewTokens, numComputedTokens: numComputedTokens,
                         newComputedBlocks: newComputedBlocks) != nil
    }

    /// New blocks `allocateSlots` needs, or nil when it would fail (invalid arguments, a hit block
    /// evicted since the lookup, or too few free blocks).
    private func blocksToAllocate(requestID: String, numNewTokens: Int, numComputedTokens: Int,
                                  newComputedBlocks: [KVCacheBlock]) -> Int? {
        guard numNewTokens >= 0, numComputedTokens >= 0,
              numComputedTokens <= Int.max - numNewTokens - blockSize else { return nil }
        let numExisting = requestBlocks[requestID]?.count ?? 0
        let numRequired = (numComputedTokens + numNewTokens + blockSize - 1) / blockSize
        let numToAllocate = max(0, numRequired - numExisting - newComputedBlocks.count)
        // Hit blocks waiting in the free queue stop being allocatable once touched.
        var numEvictableHits = 0
        if !newComputedBlocks.isEmpty {
            var seen = Set<Int>(minimumCapacity: newComputedBlocks.count)
            for block in newComputedBlocks {
                // A hit block evicted since the lookup (no longer published) must not be reused.
                guard pool.owns(block), block !== nullBlock, block.blockHash != nil, seen.insert(block.blockID).inserted else {
                    return nil
                }
                if block.refCount == 0 { numEvictableHits += 1 }
            }
        }
        return numToAllocate <= pool.numFreeBlocks - numEvictableHits ? numToAllocate : nil
    }

    /// Sliding window only: frees the request's blocks that no query from position
    /// `numComputedTokens` on can see (every key before numComputedTokens - slidingWindow + 1),
    /// latest first, and puts the null block in their places. Returns how many it freed; 0 for
    /// full attention or an unknown request.
    @discardableResult
    public func removeSkippedBlocks(requestID: String, numComputedTokens: Int) -> Int {
        guard let window = slidingWindow, let null = nullBlock, var blocks = requestBlocks[requestID] else { return 0 }
        let firstVisible = max(0, numComputedTokens - window + 1)
        var freed: [KVCacheBlock] = []
        var i = min(firstVisible / blockSize, blocks.count) - 1
        while i >= 0 && blocks[i] !== null {  // the blocks before are null already
            freed.append(blocks[i])
            blocks[i] = null
            i -= 1
        }
        guard !freed.isEmpty else { return 0 }
        requestBlocks[requestID] = blocks
        pool.free(freed)
        return freed.count
    }

    /// After a step: publishes the request's blocks that became full (`numComputedTokens` tokens now
    /// hold KV), using its block hashes. No-op when prefix caching is off or the request is unknown.
    /// Returns the indices (in the request's block table) of the blocks it published, when the pool
    /// `reportsPublished` (else empty).
    @discardableResult
    public func cacheBlocks(requestID: String, blockHashes: [BlockHash], numComputedTokens: Int) -> [Int] {
        guard pool.enablePrefixCaching, let blocks = requestBlocks[requestID] else { return [] }
        let numFull = min(max(0, numComputedTokens) / blockSize, blocks.count, blockHashes.count)
        let numCached = numCachedBlocks[requestID] ?? 0
        guard numFull > numCached else { return [] }
        // (a block leaves a window only after it was full, so no null block is in this range)
        let published = pool.cacheFullBlocks(blocks[numCached..<numFull], hashes: blockHashes[numCached..<numFull])
        numCachedBlocks[requestID] = numFull
        return published
    }

    /// Frees the request's blocks past those that hold its first `numTokens` tokens (latest first),
    /// never a published one: speculative decoding gives back the blocks of rejected draft tokens.
    /// Returns how many it freed; 0 for an unknown request.
    @discardableResult
    public func freeBlocks(requestID: String, after numTokens: Int) -> Int {
        guard var blocks = requestBlocks[requestID] else { return 0 }
        let keep = max((max(0, numTokens) + blockSize - 1) / blockSize, numCachedBlocks[requestID] ?? 0)
        guard blocks.count > keep else { return 0 }
        let freed = blocks[keep...].reversed().filter { $0 !== nullBlock }
        blocks.removeSubrange(keep...)
        requestBlocks[requestID] = blocks
        pool.free(freed)
        return freed.count
    }

    /// Frees all of a request's blocks (in reverse order, so its last blocks are evicted first) and
    /// forgets it. A no-op for an unknown request.
    public func free(requestID: String) {
        guard let blocks = requestBlocks.removeValue(forKey: requestID) else { return }
        numCachedBlocks[requestID] = nil
        pool.free(blocks.reversed().filter { $0 !== nullBlock })
    }

    /// Block ids of a request, in order (its block table); empty for an unknown request.
    public func blockIDs(requestID: String) -> [Int] {
        requestBlocks[requestID]?.map(\.blockID) ?? []
    }

    /// Blocks of a request, in order (no copy); empty for an unknown request.
    public func blocks(requestID: String) -> [KVCacheBlock] {
        requestBlocks[requestID] ?? []
    }

    /// Drops every cached hash when no block is in use (false otherwise); keeps the stats.
    public func resetPrefixCache() -> Bool {
        guard pool.resetPrefixCache() else { return false }
        hasher.removeAll()
        return true
    }
}
