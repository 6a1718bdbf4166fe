/// Free blocks in eviction order: a doubly linked list through the blocks themselves, so removing a
/// block from the middle (a prefix hit on a cached free block) is O(1). The head is evicted first.
///
/// Two sentinel blocks (id -1) bound the list, so every real member has both links set; a block that
/// is not a member has both links nil, which makes `remove`/`append` of a wrong block a no-op instead
/// of corrupting the list.
public final class FreeKVCacheBlockQueue {
    private let head = KVCacheBlock(blockID: -1)
    private let tail = KVCacheBlock(blockID: -1)

    /// Number of blocks in the queue.
    public private(set) var numFreeBlocks: Int = 0

    /// A queue holding `blocks` in the given order (head first). Blocks already in a queue are skipped.
    public init(_ blocks: [KVCacheBlock] = []) {
        head.next = tail
        tail.prev = head
        for block in blocks { append(block) }
    }

    deinit {
        // Break the reference chain so sentinels and links do not keep each other alive.
        var node = head.next
        while let current = node, current !== tail {
            node = current.next
            current.prev = nil
            current.next = nil
        }
        head.next = nil
        tail.prev = nil
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

    /// Appends `block` at the tail (evicted last); a no-op when it is already in a queue.
    public func append(_ block: KVCacheBlock) {
        guard !block.isInFreeQueue, block !== head, block !== tail, let last = tail.prev else { return }
        last.next = block
        block.prev = last
        block.next = tail
        tail.prev = block
        numFreeBlocks += 1
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

    private func unlink(_ block: KVCacheBlock) {
        let before = block.prev
        let after = block.next
        before?.next = after
        after?.prev = before
        block.prev = nil
        block.next = nil
        numFreeBlocks -= 1
    }
}
