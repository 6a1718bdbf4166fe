/// BPE merges by rank: repeatedly merge the adjacent pair with the lowest merge rank (leftmost first on ties),
/// as HF tokenizers' BPE model and llama.cpp's BPE tokenizer do.
struct RankedMerges: Sendable {
    /// (left << 32 | right) -> (rank << 32 | merged id).
    private var table = PairTable()

    /// Number of merges.
    var count: Int { table.count }

    init() {}

    /// Adds a merge with the next rank; a repeated pair keeps its first (lowest) rank.
    mutating func append(left: Int32, right: Int32, merged: Int32, rank: Int) {
        let key = UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
        if table[key] == nil {
            table.insert(key, UInt64(UInt32(truncatingIfNeeded: rank)) << 32 | UInt64(UInt32(bitPattern: merged)))
        }
    }

    mutating func reserve(_ count: Int) { table.reserve(count) }

    /// The packed (rank << 32 | merged) of a pair, or nil when the pair does not merge.
    @inline(__always)
    func lookup(_ left: Int32, _ right: Int32) -> UInt64? {
        table[UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))]
    }

    /// Merges `symbols[start...]` in place until no pair merges.
    func apply(_ symbols: inout [Int32], from start: Int) {
        let count = symbols.count - start
        if count < 2 { return }
        if count <= 48 {
            applyByScan(&symbols, from: start)
        } else if count <= Self.maxHeapRun {
            applyByHeap(&symbols, from: start)
        } else {
            // Heap positions are 32-bit: merge gigantic runs in independent chunks.
            let run = Array(symbols[start...])
            symbols.removeSubrange(start...)
            var chunkStart = 0
            while chunkStart < run.count {
                var chunk = Array(run[chunkStart..<min(chunkStart + Self.maxHeapRun, run.count)])
                applyByHeap(&chunk, from: 0)
                symbols.append(contentsOf: chunk)
                chunkStart += Self.maxHeapRun
            }
        }
    }

    /// Longest symbol run merged as a whole (heap entries pack positions in 32 bits).
    static let maxHeapRun = 1 << 30

    /// Quadratic scan; fastest for the short words of pre-tokenized text.
    func applyByScan(_ symbols: inout [Int32], from start: Int) {
        while symbols.count - start >= 2 {
            var best = UInt64.max
            var bestIndex = -1
            var index = start
            while index + 1 < symbols.count {
                if let packed = lookup(symbols[index], symbols[index + 1]), packed < best {
                    best = packed
                    bestIndex = index
                }
                index += 1
            }
            if bestIndex < 0 { return }
            symbols[bestIndex] = Int32(bitPattern: UInt32(truncatingIfNeeded: best))
            symbols.remove(at: bestIndex + 1)
        }
    }

    /// Priority queue over a linked list of symbols; O(n log n) for long words (whole SentencePiece texts).
    func applyByHeap(_ symbols: inout [Int32], from start: Int) {
        let count = symbols.count - start
        var ids = Array(symbols[start...])
        var next = (0..<count).map { $0 + 1 < count ? $0 + 1 : -1 }
        var previous = (0..<count).map { $0 - 1 }
        var alive = [Bool](repeating: true, count: count)
        var heap = MinHeap()
        func push(_ position: Int) {
            let following = next[position]
            guard following >= 0, let packed = lookup(ids[position], ids[following]) else { return }
            heap.push((packed >> 32) << 32 | UInt64(position))
        }
        for position in 0..<(count - 1) { push(position) }
        while let entry = heap.pop() {
            let position = Int(entry & 0xFFFF_FFFF)
            let rank = entry >> 32
            guard alive[position] else { continue }
            let following = next[position]
            guard following >= 0, let packed = lookup(ids[position], ids[following]), packed >> 32 == rank else {
                continue
            }
            ids[position] = Int32(bitPattern: UInt32(truncatingIfNeeded: packed))
            alive[following] = false
            let after = next[following]
            next[position] = after
            if after >= 0 { previous[after] = position }
            if previous[position] >= 0 { push(previous[position]) }
            push(position)
        }
        symbols.removeSubrange(start...)
        for position in 0..<count where alive[position] { symbols.append(ids[position]) }
    }
}

/// A binary min-heap of packed UInt64 keys.
struct MinHeap {
    private var items: [UInt64] = []

    mutating func push(_ item: UInt64) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if items[parent] <= items[child] { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> UInt64? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let top = items[0]
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && items[left] < items[smallest] { smallest = left }
            if right < items.count && items[right] < items[smallest] { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
