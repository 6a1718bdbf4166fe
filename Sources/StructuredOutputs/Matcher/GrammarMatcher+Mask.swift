/// The state of the mask walk at one trie depth: where the lexer is after the node's bytes, where
/// its lexeme started, how deep the parser is, and (filled the first time a child needs it) where
/// the next lexeme starts when the current one ends at this node, so that siblings share one scan.
struct WalkFrame {
    var lexer = LexemeDFA.dead
    var start = LexemeDFA.dead
    var parserDepth: Int32 = 0
    /// Raw start state of the next lexeme after ending here (`dead` when it cannot end), or -1: not yet known.
    var endedStart: Int32 = -1
    /// The parser's depth once the lexeme ended here (the scanned set on top).
    var endedDepth: Int32 = 0
}

extension GrammarMatcher {
    /// Sets bit `id` of `bitmask` (`vocabulary.bitmaskWordCount` words) for every token that keeps
    /// the output valid, and clears the others. The tokens read inside the current lexeme come
    /// from the grammar's cache for the lexer state (`LexerStateMasks`); only the subtrees of the
    /// trie where the lexeme ends are walked here, with the parser. End-of-sequence tokens are set
    /// where the output may end.
    public func fillBitmask(_ bitmask: inout [UInt32]) {
        let words = vocabulary.bitmaskWordCount
        if bitmask.count != words { bitmask = [UInt32](repeating: 0, count: words) }
        guard !isTerminated else {
            for i in 0..<words { bitmask[i] = 0 }
            return
        }
        let atStart = lexerState == lexemeStart
        let (entry, single) = grammar.masks(for: lexerState, atStart: atStart, bytes: outputBytes[lexemeOffset...],
                                            vocabulary: vocabulary)
        // Copied in place: no allocation per token.
        bitmask.withUnsafeMutableBufferPointer { target in
            entry.inside.withUnsafeBufferPointer { target.baseAddress!.update(from: $0.baseAddress!, count: words) }
        }
        let baseDepth = parser.depth
        let dfa = grammar.dfa
        for group in entry.frontier {
            // The lexeme ends at this state: where does the next one start? Then only the bytes
            // that can start it are walked, from the parser that took the lexeme.
            defer { parser.pop(to: baseDepth) }
            guard end(at: group.state, single: single) else { continue }
            let start = grammar.startState(for: &parser)
            guard start != LexemeDFA.dead else { continue }
            for (byte, nodes) in group.byByte where dfa.next(start, byte) != LexemeDFA.dead {
                for node in nodes { walkSubtree(Int(node), from: start, into: &bitmask) }
            }
        }
        if canEnd {
            for id in vocabulary.eosTokenIDs { bitmask[id >> 5] |= 1 << UInt32(id & 31) }
        }
    }

    /// Ends the current lexeme at frontier state `state` (of the grammar's automaton, or of the
    /// single lexeme's own, which accepts there).
    private func end(at state: LexemeDFA.StateID, single: Int?) -> Bool {
        guard let single else { return endLexeme(at: state) }
        return single == grammar.skipLexeme || parser.scan(CollectionOfOne(single))
    }

    /// The full walk (lexer and parser) of the subtree at `root`, whose byte starts a lexeme from
    /// `start`. Where a lexeme ends before a node's byte, the parser takes it once per parent node
    /// (its frame keeps the result for the siblings).
    private func walkSubtree(_ root: Int, from start: LexemeDFA.StateID, into bitmask: inout [UInt32]) {
        let trie = vocabulary.trie
        let dfa = grammar.dfa
        let top = Int(trie.depth[root]) - 1
        let end = Int(trie.subtreeEnd[root])
        frames[top] = WalkFrame(lexer: start, start: start, parserDepth: Int32(parser.depth))
        var node = root
        while node < end {
            let parent = Int(trie.depth[node]) - 1
            let byte = trie.byte[node]
            let state = frames[parent].lexer
            var next = dfa.next(state, byte)
            var lexemeStart = frames[parent].start
            if next != LexemeDFA.dead {
                // The byte extends the lexeme: the parser as at the parent.
                let depth = frames[parent].parserDepth
                parser.pop(to: Int(depth))
                if frames[parent].endedDepth > depth { frames[parent].endedStart = -1 }
            } else {
                // The lexeme must end before the byte (never when nothing of it was read).
                guard state != lexemeStart, let restart = endedStart(at: parent) else {
                    node = Int(trie.subtreeEnd[node])
                    continue
                }
                next = dfa.next(restart, byte)
                guard next != LexemeDFA.dead else {
                    node = Int(trie.subtreeEnd[node])
                    continue
                }
                lexemeStart = restart
            }
            frames[parent + 1] = WalkFrame(lexer: next, start: lexemeStart, parserDepth: Int32(parser.depth))
            trie.forEachToken(at: node) { id in bitmask[id >> 5] |= 1 << UInt32(id & 31) }
            node += 1
        }
        parser.pop(to: Int(frames[top].parserDepth))
    }

    /// The start of the next lexeme when the one in frame `index` ends there (nil when it cannot),
    /// with the parser left holding that end: scanned the first time, then reused.
    @inline(__always)
    private func endedStart(at index: Int) -> LexemeDFA.StateID? {
        let known = frames[index].endedStart
        if known >= 0 {
            parser.pop(to: Int(frames[index].endedDepth))
            return known == LexemeDFA.dead.rawValue ? nil : LexemeDFA.StateID(rawValue: known)
        }
        parser.pop(to: Int(frames[index].parserDepth))
        let start = endLexeme(at: frames[index].lexer) ? grammar.startState(for: &parser) : LexemeDFA.dead
        frames[index].endedStart = start.rawValue
        frames[index].endedDepth = Int32(parser.depth)
        return start == LexemeDFA.dead ? nil : start
    }
}
