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
        entry(state, atStart: atStart) { Self.walk(from: state, atStart: atStart, dfa: dfa, vocabulary: vocabulary) }
    }

    /// The entry of `state`, made by `make` the first time.
    mutating func entry(_ state: LexemeDFA.StateID, atStart: Bool, orMake make: () -> Entry) -> Entry {
        let key = Key(state: state, atStart: atStart)
        if let entry = entries[key] { return entry }
        let entry = make()
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
                    trie.tokenStart.withUnsafeBufferPointer { tokenStart in
                        trie.tokenIDs.withUnsafeBufferPointer { tokenIDs in
                            states.withUnsafeMutableBufferPointer { states in
                                inside.withUnsafeMutableBufferPointer { inside in
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
                                        for index in Int(tokenStart[node])..<Int(tokenStart[node + 1]) {
                                            let id = Int(tokenIDs[index])
                                            inside[id >> 5] |= 1 << UInt32(id & 31)
                                        }
                                        node += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Entry(inside: inside, frontier: grouped(frontier))
    }
}
