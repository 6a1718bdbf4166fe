/// Per-request block lists over one pool (one attention type: full attention), with automatic
/// prefix caching. Bookkeeping only: it never touches tensors, never throws, and returns nil when
/// it cannot allocate. Calls with unknown request ids or out-of-range counts never trap.
/// Not thread-safe: use it from the scheduler's thread (or actor) only.
public final class KVCacheManager {
    /// Tokens per block.
    public let blockSize: Int
    /// The shared block pool.
    public let pool: BlockPool

    /// Block list of each live request, in token order (its block table).
    var requestBlocks: [String: [KVCacheBlock]] = [:]
    /// Number of leading blocks of each request already published (or taken as prefix hits).
    var numCachedBlocks: [String: Int] = [:]
    /// Interns block contents into exact identities.
    let hasher = BlockHasher()
    /// Interned keys beyond which the hasher forgets keys neither cached nor among the most recent
    /// half (amortized O(1) per block hashed). A forgotten key costs at most a missed hit.
    var maxInternedKeys: Int

    private var stats = PrefixCacheStats()

    /// A manager over a fresh pool of `numBlocks` blocks of `blockSize` tokens (clamped to at least 1).
    public init(numBlocks: Int, blockSize: Int, enablePrefixCaching: Bool) {
        self.blockSize = max(1, blockSize)
        self.pool = BlockPool(numBlocks: numBlocks, enablePrefixCaching: enablePrefixCaching)
        self.maxInternedKeys = 4 * max(0, numBlocks) + 4096
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
        if hasher.count > maxInternedKeys {
            // Keep what is cached, and recent keys (likely held by waiting requests).
            hasher.prune(keepingRecent: maxInternedKeys / 2) { pool.cachedBlock($0) != nil }
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
                guard pool.owns(block), block.blockHash != nil, seen.insert(block.blockID).inserted else {
                    return nil
                }
                if block.refCount == 0 { numEvictableHits += 1 }
            }
        }
        guard numToAllocate <= pool.numFreeBlocks - numEvictableHits else { return nil }

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

    /// After a step: publishes the request's blocks that became full (`numComputedTokens` tokens now
    /// hold KV), using its block hashes. No-op when prefix caching is off or the request is unknown.
    public func cacheBlocks(requestID: String, blockHashes: [BlockHash], numComputedTokens: Int) {
        guard pool.enablePrefixCaching, let blocks = requestBlocks[requestID] else { return }
        let numFull = min(max(0, numComputedTokens) / blockSize, blocks.count, blockHashes.count)
        let numCached = numCachedBlocks[requestID] ?? 0
        guard numFull > numCached else { return }
        pool.cacheFullBlocks(blocks[numCached..<numFull], hashes: blockHashes[numCached..<numFull])
        numCachedBlocks[requestID] = numFull
    }

    /// Frees all of a request's blocks (in reverse order, so its last blocks are evicted first) and
    /// forgets it. A no-op for an unknown request.
    public func free(requestID: String) {
        guard let blocks = requestBlocks.removeValue(forKey: requestID) else { return }
        numCachedBlocks[requestID] = nil
        pool.free(blocks.reversed())
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
