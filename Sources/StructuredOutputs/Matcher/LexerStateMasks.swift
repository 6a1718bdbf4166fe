/// What the trie walk finds from one lexer state before any lexeme ends, kept per state of a
/// compiled grammar: the tokens read wholly inside the current lexeme (allowed whatever the
/// parser holds, since the lexer only started lexemes the parser allows), and the trie nodes
/// where the lexeme must end before the node's byte (the only places the parser matters). A mask
/// is then a copy of `inside` plus walks of the frontier's subtrees.
struct LexerStateMasks {
    struct Entry {
        /// [bitmask words] tokens consumed inside the lexeme.
        var inside: [UInt32]
        /// Trie nodes whose byte the lexeme cannot take, grouped by the (accepting) lexer state before
        /// them and then by that byte, so a byte the next lexeme cannot start with skips its whole group.
        var frontier: [FrontierGroup]
    }

    struct FrontierGroup {
        var state: LexemeDFA.StateID
        var byByte: [(byte: UInt8, nodes: [Int32])]
    }

    private var entries: [Key: Entry] = [:]

    struct Key: Hashable {
        var state: LexemeDFA.StateID
        /// Whether `state` is where the current lexeme starts (nothing read): no lexeme ends there.
        var atStart: Bool
    }

    /// The entry of `state`, computed by one walk of the trie the first time.
    mutating func entry(_ state: LexemeDFA.StateID, atStart: Bool, dfa: LexemeDFA, vocabulary: TokenVocabulary) -> Entry {
        let key = Key(state: state, atStart: atStart)
        if let entry = entries[key] { return entry }
        let entry = Self.walk(from: state, atStart: atStart, dfa: dfa, vocabulary: vocabulary)
        entries[key] = entry
        return entry
    }

    /// The lexer-only walk: down every edge the lexeme can take, recording tokens, and where it
    /// cannot, a frontier node when the lexeme can end there.
    static func walk(from root: LexemeDFA.StateID, atStart: Bool, dfa: LexemeDFA, vocabulary: TokenVocabulary) -> Entry {
        let trie = vocabulary.trie
        var inside = [UInt32](repeating: 0, count: vocabulary.bitmaskWordCount)
        var frontier: [LexemeDFA.StateID: [UInt8: [Int32]]] = [:]
        var states = [LexemeDFA.StateID](repeating: root, count: trie.maxDepth + 1)  // [depth]
        let numNodes = trie.numNodes
        trie.byte.withUnsafeBufferPointer { bytes in
            trie.depth.withUnsafeBufferPointer { depths in
                trie.subtreeEnd.withUnsafeBufferPointer { ends in
                    trie.token.withUnsafeBufferPointer { tokens in
                        var node = 1
                        while node < numNodes {
                            let depth = Int(depths[node])
                            let parent = states[depth - 1]
                            let next = dfa.next(parent, bytes[node])
                            if next == LexemeDFA.dead {
                                if !(atStart && depth == 1) && dfa.acceptsAny(parent) {
                                    frontier[parent, default: [:]][bytes[node], default: []].append(Int32(node))
                                }
                                node = Int(ends[node])
                                continue
                            }
                            states[depth] = next
                            let token = Int(tokens[node])
                            if token >= 0 {
                                inside[token >> 5] |= 1 << UInt32(token & 31)
                                if let more = trie.moreTokens[Int32(node)] {
                                    for id in more { inside[Int(id) >> 5] |= 1 << UInt32(Int(id) & 31) }
                                }
                            }
                            node += 1
                        }
                    }
                }
            }
        }
        let groups = frontier.map { state, byByte in
            FrontierGroup(state: state, byByte: byByte.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
        return Entry(inside: inside, frontier: groups.sorted { $0.state.rawValue < $1.state.rawValue })
    }
}
