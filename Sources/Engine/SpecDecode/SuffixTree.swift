/// Every substring of up to `maxDepth` tokens of the sequences added, with how often it occurred
/// (a suffix tree cut at a depth, as suffix decoding uses one): node n stands for one substring,
/// `counts[n]` its occurrences; a child extends it by one token. Sequences grow token by token
/// (`append`): the suffixes that still fit the depth each step one node down.
struct SuffixTree {
    /// The longest substring kept (vLLM's `suffix_decoding_max_tree_depth`).
    let maxDepth: Int
    // Nodes, index 0 the root (the empty substring). [numNodes] each
    private var counts: [Int32] = [0]
    private var depths: [Int32] = [0]
    private var tokens: [Int32] = [-1]
    private var firstChild: [Int32] = [-1]
    private var lastChild: [Int32] = [-1]
    private var nextSibling: [Int32] = [-1]
    /// (parent << 32 | token) -> child.
    private var childIndex: [UInt64: Int32] = [:]
    /// Per sequence: the nodes of its last suffixes shorter than maxDepth (longest first).
    private var open: [Int: [Int32]] = [:]

    init(maxDepth: Int) {
        self.maxDepth = maxDepth
    }

    var numNodes: Int { counts.count }

    /// Adds `token` to sequence `sequence` (a new one starts empty): every open suffix and the
    /// one-token suffix gain an occurrence of their extension. With `count` -1 it takes one away
    /// (the sequence's tokens given again, in order, from its start, remove it).
    mutating func append(_ token: Int, to sequence: Int, count: Int32 = 1) {
        var nodes = open.removeValue(forKey: sequence) ?? []
        nodes.append(0)
        var kept = 0
        for node in nodes {
            let child = self.child(of: node, token: token)
            counts[Int(child)] += count
            if Int(depths[Int(child)]) < maxDepth {
                nodes[kept] = child
                kept += 1
            }
        }
        nodes.removeLast(nodes.count - kept)
        open[sequence] = nodes
    }

    /// Forgets the open suffixes of `sequence` (its counts stay).
    mutating func close(_ sequence: Int) {
        open[sequence] = nil
    }

    /// The node of `substring` when it occurred, else nil.
    func node<C: Collection<Int>>(of substring: C) -> Int32? {
        var node: Int32 = 0
        for token in substring {
            guard let next = childIndex[Self.key(node, token)], counts[Int(next)] > 0 else { return nil }
            node = next
        }
        return node
    }

    /// Depth of `node` (its substring's length).
    func depth(_ node: Int32) -> Int { Int(depths[Int(node)]) }

    /// The most frequent extension of `node` (the first added among equals) and its share of all
    /// its extensions' occurrences; nil when it has none.
    func mostFrequentChild(of node: Int32) -> (node: Int32, token: Int, probability: Double)? {
        var best: Int32 = -1, total: Int32 = 0
        var child = firstChild[Int(node)]
        while child >= 0 {
            let count = counts[Int(child)]
            total += count
            if count > 0 && (best < 0 || count > counts[Int(best)]) { best = child }
            child = nextSibling[Int(child)]
        }
        guard best >= 0, total > 0 else { return nil }
        return (best, Int(tokens[Int(best)]), Double(counts[Int(best)]) / Double(total))
    }

    private static func key(_ node: Int32, _ token: Int) -> UInt64 {
        UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(truncatingIfNeeded: token))
    }

    /// The child of `node` for `token`, made (count 0, last among its siblings) when missing.
    private mutating func child(of node: Int32, token: Int) -> Int32 {
        let key = Self.key(node, token)
        if let child = childIndex[key] { return child }
        let child = Int32(counts.count)
        counts.append(0)
        depths.append(depths[Int(node)] + 1)
        tokens.append(Int32(truncatingIfNeeded: token))
        firstChild.append(-1)
        lastChild.append(-1)
        nextSibling.append(-1)
        if firstChild[Int(node)] < 0 { firstChild[Int(node)] = child } else { nextSibling[Int(lastChild[Int(node)])] = child }
        lastChild[Int(node)] = child
        childIndex[key] = child
        return child
    }
}
