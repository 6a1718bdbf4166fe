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

    /// The number of states whose masks are kept.
    var count: Int { entries.count }

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
    /// cannot, a frontier node when the lexeme can end there. When the state reads every token of
    /// the vocabulary's slice, those are set at once and only the nodes leading elsewhere are walked.
    /// (`useSlice` false: the reference walk of every node.)
    static func walk(from root: LexemeDFA.StateID, atStart: Bool, dfa: LexemeDFA, vocabulary: TokenVocabulary,
                     useSlice: Bool = true) -> Entry {
        let trie = vocabulary.trie
        if useSlice, let slice = vocabulary.slice, slice.isCovered(from: root, dfa: dfa) {
            return slice.rest.withUnsafeBufferPointer { nodes in
                slice.restEnd.withUnsafeBufferPointer { ends in
                    walk(from: root, atStart: atStart, dfa: dfa, trie: trie, inside: slice.mask, nodes: nodes, ends: ends, first: 0)
                }
            }
        }
        let inside = [UInt32](repeating: 0, count: vocabulary.bitmaskWordCount)
        return trie.subtreeEnd.withUnsafeBufferPointer { ends in
            walk(from: root, atStart: atStart, dfa: dfa, trie: trie, inside: inside, nodes: nil, ends: ends, first: 1)
        }
    }

    /// The walk over the entries `first..<ends.count` of `nodes` (trie nodes in preorder, each
    /// one's ancestors but the root listed before it; nil: every node, entry i is node i), where
    /// `ends[i]` is one past the last entry of entry i's subtree, adding to `inside`.
    private static func walk(from root: LexemeDFA.StateID, atStart: Bool, dfa: LexemeDFA, trie: TokenTrie, inside: [UInt32],
                             nodes: UnsafeBufferPointer<Int32>?, ends: UnsafeBufferPointer<Int32>, first: Int) -> Entry {
        var inside = inside
        var frontier: [LexemeDFA.StateID: [UInt8: [Int32]]] = [:]
        var states = [LexemeDFA.StateID](repeating: root, count: trie.maxDepth + 1)  // [depth]
        trie.byte.withUnsafeBufferPointer { bytes in
            trie.depth.withUnsafeBufferPointer { depths in
                trie.tokenStart.withUnsafeBufferPointer { tokenStart in
                    trie.tokenIDs.withUnsafeBufferPointer { tokenIDs in
                        states.withUnsafeMutableBufferPointer { states in
                            inside.withUnsafeMutableBufferPointer { inside in
                                var index = first
                                while index < ends.count {
                                    let node = nodes.map { Int($0[index]) } ?? index
                                    let depth = Int(depths[node])
                                    let parent = states[depth - 1]
                                    let next = dfa.next(parent, bytes[node])
                                    if next == LexemeDFA.dead {
                                        if !(atStart && depth == 1) && dfa.acceptsAny(parent) {
                                            frontier[parent, default: [:]][bytes[node], default: []].append(Int32(node))
                                        }
                                        index = Int(ends[index])
                                        continue
                                    }
                                    states[depth] = next
                                    for token in Int(tokenStart[node])..<Int(tokenStart[node + 1]) {
                                        let id = Int(tokenIDs[token])
                                        inside[id >> 5] |= 1 << UInt32(id & 31)
                                    }
                                    index += 1
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
