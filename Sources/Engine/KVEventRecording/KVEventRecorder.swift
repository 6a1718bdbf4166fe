import KVCache
import KVEvents

/// Turns the prefix cache's changes into vLLM's KV cache events: a `BlockStored` for each run of
/// consecutive blocks a request publishes (with its `sha256_cbor` hashes and tokens), a
/// `BlockRemoved` when a published block is evicted, `AllBlocksCleared` on a reset. The engine
/// thread drains them after every step (`take`) into one batch. Bookkeeping only: hashes come from
/// token ids, and each stored hash is remembered (by the pool's block identity) until its block is
/// evicted, so a removal names exactly what a store announced.
public final class KVEventRecorder: BlockPoolObserver {
    public let hasher: SHA256CBORBlockHasher
    public let blockSize: Int
    /// Event hash of every published block, by the pool's identity of its content.
    private var published: [BlockHash: UInt64] = [:]
    private var events: [KVCacheEvent] = []

    public init(hasher: SHA256CBORBlockHasher, blockSize: Int) {
        self.hasher = hasher
        self.blockSize = blockSize
    }

    /// Number of blocks whose store was announced and whose removal was not yet.
    public var numPublished: Int { published.count }

    /// `request` published the blocks at `indices` of its block table (ascending).
    func stored(_ request: Request, blockIndices indices: [Int]) {
        guard let last = indices.last else { return }
        request.updateEventBlockHashes(hasher: hasher, blockSize: blockSize, count: last + 1)
        var start = 0
        while start < indices.count {
            var end = start + 1
            while end < indices.count && indices[end] == indices[end - 1] + 1 { end += 1 }
            let run = indices[start]...indices[end - 1]
            let hashes = run.map { SHA256CBORBlockHasher.eventHash(request.eventBlockHashes[$0]) }
            for (index, hash) in zip(run, hashes) { published[request.blockHashes[index]] = hash }
            let parent = run.lowerBound > 0 ? SHA256CBORBlockHasher.eventHash(request.eventBlockHashes[run.lowerBound - 1]) : nil
            let tokens = Array(request.allTokenIDs[(run.lowerBound * blockSize)..<((run.upperBound + 1) * blockSize)])
            events.append(.blockStored(blockHashes: hashes, parentBlockHash: parent, tokenIDs: tokens, blockSize: blockSize))
            start = end
        }
    }

    public func blockEvicted(_ hash: BlockHash) {
        guard let eventHash = published.removeValue(forKey: hash) else { return }
        // Consecutive evictions (one allocation) share one event.
        if case .blockRemoved(let hashes)? = events.last {
            events[events.count - 1] = .blockRemoved(blockHashes: hashes + [eventHash])
        } else {
            events.append(.blockRemoved(blockHashes: [eventHash]))
        }
    }

    public func allBlocksCleared() {
        published.removeAll()
        events.append(.allBlocksCleared)
    }

    /// The events since the last call, in the order they happened.
    public func take() -> [KVCacheEvent] {
        defer { events.removeAll(keepingCapacity: true) }
        return events
    }
}
