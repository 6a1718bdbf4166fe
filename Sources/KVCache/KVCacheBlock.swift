/// One KV block's bookkeeping. Created once by the pool; never freed.
///
/// A block with `refCount == 0` sits in the pool's free queue (linked through `prev`/`next`); a block
/// that still carries a `blockHash` there is a cached free block: reusable by a prefix hit until it is
/// popped for new content (lazy eviction).
public final class KVCacheBlock {
    /// Index of the block in the pool (0..<numBlocks); the row of the block table.
    public let blockID: Int
    /// Number of requests holding this block.
    public internal(set) var refCount: Int = 0
    /// Set while the block is full and published in the prefix cache.
    public internal(set) var blockHash: BlockHash?
    /// Prefix hits that took the block back from the free queue since it took its content
    /// (hits while it is in use, as by n > 1 siblings, do not count); 0 again with new content.
    public internal(set) var numRevivals = 0
    /// Whether a prefix hit revived the block at least once.
    public var servedHit: Bool { numRevivals > 0 }

    /// Whether the block sits in its free queue's hot segment.
    var inHotSegment = false
    /// Whether the block was ever handed out for new content.
    var written = false

    /// Free-queue links (intrusive). Both are nil exactly when the block is not in a queue.
    var prev: KVCacheBlock?
    var next: KVCacheBlock?

    init(blockID: Int) {
        self.blockID = blockID
    }

    /// True while the block is linked into a free queue.
    var isInFreeQueue: Bool { prev != nil }
}

extension KVCacheBlock: CustomStringConvertible {
    public var description: String {
        "KVCacheBlock(id: \(blockID), refCount: \(refCount), hash: \(blockHash.map { "\($0)" } ?? "nil"))"
    }
}
