@testable import KVCache

/// Everything observable about a manager's bookkeeping, for exact comparisons in tests.
struct KVCacheSnapshot: Equatable, CustomStringConvertible {
    /// Free queue, head to tail.
    var freeQueue: [Int]
    /// Ref count of each block, by id.
    var refCounts: [Int]
    /// Cache map as block-hash serial -> block id.
    var cacheMap: [UInt64: Int]
    /// Block table of each request.
    var blockTables: [String: [Int]]
    var stats: PrefixCacheStats

    init(_ manager: KVCacheManager) {
        freeQueue = manager.pool.freeBlockQueue.blockIDs
        refCounts = manager.pool.blocks.map(\.refCount)
        cacheMap = Dictionary(uniqueKeysWithValues: manager.pool.cachedBlocks.map { ($0.key.serial, $0.value.blockID) })
        blockTables = manager.requestBlocks.mapValues { $0.map(\.blockID) }
        stats = manager.prefixCacheStats
    }

    var description: String {
        "queue \(freeQueue) refs \(refCounts) map \(cacheMap.sorted { $0.key < $1.key }) tables \(blockTables) \(stats)"
    }
}

extension KVCacheManager {
    /// Hit lookup plus allocation, as the scheduler does for a new request; nil when allocation fails.
    func admit(_ requestID: String, tokens: [Int], hashes: [BlockHash]) -> (hitIDs: [Int], newIDs: [Int])? {
        let hit = computedBlocks(requestID: requestID, blockHashes: hashes, numTokens: tokens.count)
        guard let new = allocateSlots(requestID: requestID, numNewTokens: tokens.count - hit.numComputedTokens,
                                      numComputedTokens: hit.numComputedTokens,
                                      newComputedBlocks: hit.blocks) else { return nil }
        return (hit.blocks.map(\.blockID), new.map(\.blockID))
    }
}
