extension GrammarMatcher {
    /// Sets bit `id` of `bitmask` (`vocabulary.bitmaskWordCount` words) for every token that keeps
    /// the output valid, and clears the others: a walk of the token trie that carries the lexer
    /// state (and, across lexeme ends, the parser) down each edge and skips a subtree as soon as
    /// its prefix cannot go on. End-of-sequence tokens are set where the output may end.
    public func fillBitmask(_ bitmask: inout [UInt32]) {
        let words = vocabulary.bitmaskWordCount
        if bitmask.count != words { bitmask = [UInt32](repeating: 0, count: words) } else {
            for i in 0..<words { bitmask[i] = 0 }
        }
        guard !isTerminated else { return }
        let trie = vocabulary.trie
        let baseDepth = parser.depth
        // Per trie depth: lexer state, lexeme start state and parser depth after that node.
        var lexer = [LexemeDFA.StateID](repeating: lexerState, count: trie.maxDepth + 1)
        var starts = [LexemeDFA.StateID](repeating: lexemeStart, count: trie.maxDepth + 1)
        var depths = [Int](repeating: baseDepth, count: trie.maxDepth + 1)
        var node = 1
        while node < trie.numNodes {
            let depth = Int(trie.depth[node])
            parser.pop(to: depths[depth - 1])
            var start = starts[depth - 1]
            guard let next = step(lexer[depth - 1], trie.byte[node], start: &start) else {
                node = Int(trie.subtreeEnd[node])
                continue
            }
            lexer[depth] = next
            starts[depth] = start
            depths[depth] = parser.depth
            trie.forEachToken(at: node) { id in bitmask[id >> 5] |= 1 << UInt32(id & 31) }
            node += 1
        }
        parser.pop(to: baseDepth)
        if canEnd {
            for id in vocabulary.eosTokenIDs { bitmask[id >> 5] |= 1 << UInt32(id & 31) }
        }
    }
}
