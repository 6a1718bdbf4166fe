/// Free blocks in eviction order: a doubly linked list through the blocks themselves, so removing a
/// block from the middle (a prefix hit on a cached free block) is O(1). The head is evicted first.
///
/// Two sentinel blocks (id -1) bound the list, so every real member has both links set; a block that
/// is not a member has both links nil, which makes `remove`/`append` of a wrong block a no-op instead
/// of corrupting the list.
///
/// The list has up to three segments, head to tail: blocks `append`ed (or `appendLeft`ed), the
/// never-used blocks (a queue made with `untouched: true` starts as that segment), then the blocks
/// `appendHot` added. So `append`ed blocks come out before never-used ones, whose pages on a CPU are
/// not resident until written, and hot blocks after both. Without the last two segments it is one
/// plain queue.
public final class FreeKVCacheBlockQueue {
    private let head = KVCacheBlock(blockID: -1)
    private let tail = KVCacheBlock(blockID: -1)
    /// First block of the never-used segment (nil when that segment is empty).
    private var firstUntouched: KVCacheBlock?
    /// First block of the hot segment at the tail (nil when that segment is empty).
    private var firstHot: KVCacheBlock?

    /// Number of blocks in the queue.
    public private(set) var numFreeBlocks: Int = 0
    /// Number of blocks in the hot segment.
    public private(set) var numHotBlocks: Int = 0

    /// The oldest block of the hot segment (the first of it to be evicted), or nil.
    var firstHotBlock: KVCacheBlock? { firstHot }

    /// A queue holding `blocks` in the given order (head first). Blocks already in a queue are skipped.
    /// With `untouched`, they form the never-used segment that later `append`s go in front of.
    public init(_ blocks: [KVCacheBlock] = [], untouched: Bool = false) {
        head.next = tail
        tail.prev = head
        for block in blocks { append(block) }
        if untouched, let first = head.next, first !== tail { firstUntouched = first }
    }

    deinit {
        // Break the reference chain so sentinels and links do not keep each other alive.
        var node = head.next
        while let current = node, current !== tail {
            node = current.next
            current.prev = nil
            current.next = nil
            current.inHotSegment = false
        }
        head.next = nil
        tail.prev = nil
        firstUntouched = nil
        firstHot = nil
    }

    /// Number of never-used blocks left (O(n); for tests and diagnostics).
    public var numUntouchedBlocks: Int {
        var count = 0
        forEachUntouched { _ in count += 1 }
        return count
    }

    /// Removes and returns the head (the next block to evict), or nil when empty.
    public func popLeft() -> KVCacheBlock? {
        guard let first = head.next, first !== tail else { return nil }
        unlink(first)
        return first
    }

    /// Removes `block` from wherever it is in the queue; a no-op when it is not in a queue.
    public func remove(_ block: KVCacheBlock) {
        guard block.isInFreeQueue, block !== head, block !== tail else { return }
        unlink(block)
    }

    /// Appends `block` at the tail (evicted last), or in front of the never-used and hot segments
    /// when there are any; a no-op when it is already in a queue.
    public func append(_ block: KVCacheBlock) {
        link(block, before: firstUntouched ?? firstHot ?? tail)
    }

    /// Appends `block` at the tail, in the hot segment; a no-op when it is already in a queue.
    public func appendHot(_ block: KVCacheBlock) {
        guard !block.isInFreeQueue else { return }
        link(block, before: tail)
        guard block.isInFreeQueue else { return }
        if firstHot == nil { firstHot = block }
        block.inHotSegment = true
        numHotBlocks += 1
    }

    /// Puts `block` at the head (evicted first); a no-op when it is already in a queue.
    public func appendLeft(_ block: KVCacheBlock) {
        guard let first = head.next else { return }
        link(block, before: first)
    }

    /// Block ids from head to tail (for tests and diagnostics; O(n)).
    public var blockIDs: [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(numFreeBlocks)
        forEach { ids.append($0.blockID) }
        return ids
    }

    /// Visits the blocks from head to tail, stopping after `numFreeBlocks + 1` steps at most, so a
    /// corrupted list cannot loop forever.
    func forEach(_ body: (KVCacheBlock) -> Void) {
        var node = head.next
        var steps = 0
        while let current = node, current !== tail, steps <= numFreeBlocks {
            body(current)
            node = current.next
            steps += 1
        }
    }

    /// Visits the never-used segment's blocks in order.
    func forEachUntouched(_ body: (KVCacheBlock) -> Void) {
        visit(from: firstUntouched, until: firstHot, body)
    }

    /// Visits the hot segment's blocks, its first to the tail.
    func forEachHot(_ body: (KVCacheBlock) -> Void) {
        visit(from: firstHot, until: nil, body)
    }

    /// Walks from `start` to the tail or `stop`, at most `numFreeBlocks` steps.
    private func visit(from start: KVCacheBlock?, until stop: KVCacheBlock?, _ body: (KVCacheBlock) -> Void) {
        var node = start
        var steps = 0
        while let current = node, current !== tail, current !== stop, steps < numFreeBlocks {
            body(current)
            node = current.next
            steps += 1
        }
    }

    /// True when the queue's links are consistent: forward and backward walks agree with the count.
    var linksAreConsistent: Bool {
        var forward = 0
        var node = head
        while let next = node.next, next !== tail {
            guard next.prev === node, forward <= numFreeBlocks else { return false }
            forward += 1
            node = next
        }
        return node.next === tail && tail.prev === node && forward == numFreeBlocks
    }

    private func link(_ block: KVCacheBlock, before successor: KVCacheBlock) {
        guard !block.isInFreeQueue, block !== head, block !== tail, let predecessor = successor.prev else { return }
        predecessor.next = block
        block.prev = predecessor
        block.next = successor
        successor.prev = block
        numFreeBlocks += 1
    }

    private func unlink(_ block: KVCacheBlock) {
        if block === firstUntouched {
            firstUntouched = block.next === tail || block.next === firstHot ? nil : block.next
        }
        if block === firstHot {
            firstHot = block.next === tail ? nil : block.next
        }
        if block.inHotSegment {
            block.inHotSegment = false
            numHotBlocks -= 1
        }
        let before = block.prev
        let after = block.next
        before?.next = after
        after?.prev = before
        block.prev = nil
        block.next = nil
        numFreeBlocks -= 1
    }
}
