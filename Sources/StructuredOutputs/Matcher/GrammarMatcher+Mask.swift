extension GrammarMatcher {
    /// Sets bit `id` of `bitmask` (`vocabulary.bitmaskWordCount` words) for every token that keeps
    /// the output valid, and clears the others. The tokens read inside the current lexeme come
    /// from the grammar's cache for the lexer state (`LexerStateMasks`); only the subtrees of the
    /// trie where the lexeme ends are walked here, with the parser. End-of-sequence tokens are set
    /// where the output may end.
    public func fillBitmask(_ bitmask: inout [UInt32]) {
        let words = vocabulary.bitmaskWordCount
        guard !isTerminated else {
            if bitmask.count != words { bitmask = [UInt32](repeating: 0, count: words) } else {
                for i in 0..<words { bitmask[i] = 0 }
            }
            return
        }
        let (entry, single) = masksHere()
        bitmask = entry.inside
        let baseDepth = parser.depth
        let dfa = grammar.dfa
        for group in entry.frontier {
            // The lexeme ends at this state: where does the next one start? (dead when the parser
            // takes none of the lexemes). Then only the bytes that can start it are walked.
            let start = end(at: group.state, single: single) ? grammar.startState(for: &parser) : LexemeDFA.dead
            parser.pop(to: baseDepth)
            guard start != LexemeDFA.dead else { continue }
            for (byte, nodes) in group.byByte where dfa.next(start, byte) != LexemeDFA.dead {
                for node in nodes {
                    // The lexeme ends before the node's byte: the parser takes it, and the node's
                    // subtree is walked from the next lexeme's start.
                    if end(at: group.state, single: single) { walkSubtree(Int(node), from: start, into: &bitmask) }
                    parser.pop(to: baseDepth)
                }
            }
        }
        if canEnd {
            for id in vocabulary.eosTokenIDs { bitmask[id >> 5] |= 1 << UInt32(id & 31) }
        }
    }

    /// The masks of the current lexer state: from the vocabulary's shared cache when only one
    /// lexeme can still match (`single` is that lexeme; the frontier's states are then states of
    /// its own automaton), else from the grammar's cache.
    private func masksHere() -> (LexerStateMasks.Entry, single: Int?) {
        if lexerState != lexemeStart {
            let possible = grammar.dfa.possible(lexerState)
            if possible.count == 1, let lexeme = possible.first, let shared = grammar.sharedLexeme(lexeme, vocabulary: vocabulary),
               let entry = vocabulary.sharedMasks.entry(shared, after: outputBytes[lexemeOffset...], vocabulary: vocabulary) {
                return (entry, lexeme)
            }
        }
        return (grammar.masks(for: lexerState, atStart: lexerState == lexemeStart, vocabulary: vocabulary), nil)
    }

    /// Ends the current lexeme at frontier state `state` (of the grammar's automaton, or of the
    /// single lexeme's own, which accepts there).
    private func end(at state: LexemeDFA.StateID, single: Int?) -> Bool {
        guard let single else { return endLexeme(at: state) }
        return single == grammar.skipLexeme || parser.scan([single])
    }

    /// The full walk (lexer and parser) of the subtree at `root`, whose byte starts a lexeme from
    /// `start`.
    private func walkSubtree(_ root: Int, from start: LexemeDFA.StateID, into bitmask: inout [UInt32]) {
        let trie = vocabulary.trie
        let rootDepth = Int(trie.depth[root])
        let end = Int(trie.subtreeEnd[root])
        // Per depth below the root's parent: lexer state, lexeme start and parser depth.
        lexerScratch[rootDepth - 1] = start
        startScratch[rootDepth - 1] = start
        depthScratch[rootDepth - 1] = parser.depth
        var node = root
        while node < end {
            let depth = Int(trie.depth[node])
            parser.pop(to: depthScratch[depth - 1])
            var lexemeStart = startScratch[depth - 1]
            guard let next = step(lexerScratch[depth - 1], trie.byte[node], start: &lexemeStart) else {
                node = Int(trie.subtreeEnd[node])
                continue
            }
            lexerScratch[depth] = next
            startScratch[depth] = lexemeStart
            depthScratch[depth] = parser.depth
            trie.forEachToken(at: node) { id in bitmask[id >> 5] |= 1 << UInt32(id & 31) }
            node += 1
        }
        parser.pop(to: depthScratch[rootDepth - 1])
    }
}
