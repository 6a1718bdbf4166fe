extension LexerStateMasks {
    /// The entry of grammar state `state`, where several lexemes can still match, made from the
    /// entries of each lexeme alone (`parts`, the lexeme's own automaton after the same bytes, shared
    /// by every grammar) instead of a walk of the whole trie:
    /// - a token is read inside the lexeme when one of the lexemes reads it all (each runs on its own);
    /// - a frontier node (every lexeme dead at its byte, some accepting before it) is a frontier node
    ///   of a lexeme that accepts before it, so only the parts' frontier nodes are checked, by running
    ///   the grammar's automaton down their path; they are grouped by its state before them.
    /// Not for the state where the lexeme starts (`atStart`): the parts are entries after some bytes.
    static func union(of parts: [Entry], from state: LexemeDFA.StateID, dfa: LexemeDFA, vocabulary: TokenVocabulary) -> Entry {
        var inside = parts[0].inside
        for part in parts.dropFirst() {
            for word in inside.indices { inside[word] |= part.inside[word] }
        }
        var candidates: [Int32] = []
        for part in parts {
            for group in part.frontier {
                for (_, nodes) in group.byByte { candidates += nodes }
            }
        }
        candidates.sort()
        let trie = vocabulary.trie
        var frontier: [LexemeDFA.StateID: [UInt8: [Int32]]] = [:]
        var path: [UInt8] = []  // the bytes from the root to a candidate's parent, last first
        var previous: (node: Int32, parent: Int32, state: LexemeDFA.StateID)? = nil
        for node in candidates where node != previous?.node {
            let parent = trie.parent[Int(node)]
            var before = state
            if let previous, previous.parent == parent {
                before = previous.state
            } else {
                path.removeAll(keepingCapacity: true)
                var ancestor = parent
                while ancestor != 0 {
                    path.append(trie.byte[Int(ancestor)])
                    ancestor = trie.parent[Int(ancestor)]
                }
                for byte in path.reversed() { before = dfa.next(before, byte) }
            }
            previous = (node, parent, before)
            let byte = trie.byte[Int(node)]
            if dfa.next(before, byte) == LexemeDFA.dead && dfa.acceptsAny(before) {
                frontier[before, default: [:]][byte, default: []].append(node)
            }
        }
        return Entry(inside: inside, frontier: grouped(frontier))
    }

    /// Frontier nodes as groups, by state then byte (both ascending, nodes in trie order).
    static func grouped(_ frontier: [LexemeDFA.StateID: [UInt8: [Int32]]]) -> [FrontierGroup] {
        let groups = frontier.map { state, byByte in
            FrontierGroup(state: state, byByte: byByte.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
        return groups.sorted { $0.state.rawValue < $1.state.rawValue }
    }
}
