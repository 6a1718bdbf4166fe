/// The tokens that are plain JSON string text (valid UTF-8 without `"`, `\` or control
/// characters, possibly ending inside a character) of at most `maxLength` bytes, found once per
/// vocabulary: most of a vocabulary. Where a lexer state reads every such token without dying (inside a string, a key,
/// a long pattern of text), the walk of its masks sets them all at once and visits only the trie
/// nodes on the way to the other tokens (`rest`), a small part of the trie.
struct TokenSlice: Sendable {
    /// The slice's byte automaton: `next[state << 8 | byte]`, state 0 dead, 1 the start (a
    /// character boundary).
    let next: [UInt8]
    /// [bitmask words] the tokens whose bytes the slice reads all.
    let mask: [UInt32]
    /// The longest of those tokens, in bytes (longer ones are left to the walk, so that checking
    /// a state, which runs this deep, stays cheap; tokens are rarely longer).
    static let maxLength = 16
    /// How many pairs of states `isCovered` visits before it gives up (and the walk is a full one).
    static let maxPairs = 1024
    /// How many new lexer states `isCovered` may make before it gives up: where the lexer has very
    /// many states (an unanchored pattern), making them costs more than the walk it would save.
    static let maxNewStates = 256
    /// Per slice state: the bytes it reads.
    let liveBytes: [[UInt8]]
    /// The class of each byte: bytes every slice state treats alike share one.
    let classOf: [UInt8]
    let numClasses: Int
    /// The trie nodes (in preorder) that lead to a token outside the slice, and per entry one past
    /// the last entry of its subtree.
    let rest: [Int32]
    let restEnd: [Int32]

    init?(trie: TokenTrie, tokenBytes: [[UInt8]?], wordCount: Int) {
        // JSON string characters: U+0020 and up, without `"` and `\` (surrogates are not scalars).
        let text = RegexNode.zeroOrMore(.scalars([0x20...0x21, 0x23...0x5B, 0x5D...0xD7FF, 0xE000...0x10FFFF]))
        guard let dfa = try? LexemeDFA(lexemes: [text]) else { return nil }
        // The whole automaton as a table (a handful of states), numbered as found.
        var number: [LexemeDFA.StateID: UInt8] = [LexemeDFA.dead: 0, dfa.startState(allowed: [0]): 1]
        var order = [LexemeDFA.dead, dfa.startState(allowed: [0])]
        var next: [UInt8] = []
        var index = 0
        while index < order.count {
            for byte in 0...255 {
                let target = dfa.next(order[index], UInt8(byte))
                if number[target] == nil {
                    guard order.count < 256 else { return nil }
                    number[target] = UInt8(order.count)
                    order.append(target)
                }
                next.append(number[target]!)
            }
            index += 1
        }
        self.next = next
        liveBytes = (0..<order.count).map { state in (0...255).compactMap { next[state << 8 | $0] != 0 ? UInt8($0) : nil } }
        // A byte's column (its target from every state) names its class.
        var classOfColumn: [[UInt8]: UInt8] = [:]
        classOf = (0...255).map { byte in
            let column = (0..<order.count).map { next[$0 << 8 | byte] }
            if let known = classOfColumn[column] { return known }
            classOfColumn[column] = UInt8(classOfColumn.count)
            return UInt8(classOfColumn.count - 1)
        }
        numClasses = classOfColumn.count
        var mask = [UInt32](repeating: 0, count: wordCount)
        var leadsOut = [Bool](repeating: false, count: trie.numNodes)  // [numNodes]
        for node in 1..<trie.numNodes {
            trie.forEachToken(at: node) { id in
                var state = 1
                for byte in tokenBytes[id] ?? [] where state != 0 { state = Int(next[state << 8 | Int(byte)]) }
                if state != 0 && trie.depth[node] <= Self.maxLength {
                    mask[id >> 5] |= 1 << UInt32(id & 31)
                } else {
                    var ancestor = node
                    while ancestor != 0 && !leadsOut[ancestor] {
                        leadsOut[ancestor] = true
                        ancestor = Int(trie.parent[ancestor])
                    }
                }
            }
        }
        self.mask = mask
        var rest: [Int32] = []
        var restEnd: [Int32] = []
        var open: [Int] = []  // entries of `rest` whose subtree is not closed yet
        for node in 1..<trie.numNodes where leadsOut[node] {
            while let last = open.last, trie.subtreeEnd[Int(rest[last])] <= Int32(node) {
                restEnd[last] = Int32(rest.count)
                open.removeLast()
            }
            open.append(rest.count)
            rest.append(Int32(node))
            restEnd.append(0)
        }
        for last in open { restEnd[last] = Int32(rest.count) }
        self.rest = rest
        self.restEnd = restEnd
    }

    /// Whether lexer state `state` of `dfa` reads every token of the slice without dying: every
    /// path of the slice up to `maxLength` bytes, run beside `dfa` (each pair of states once, the
    /// first time at its least depth). False too past `maxPairs` pairs or `maxNewStates` states. One byte stands for all the
    /// bytes both automata treat alike (same slice class, same class of `dfa`).
    func isCovered(from state: LexemeDFA.StateID, dfa: LexemeDFA) -> Bool {
        var seen: Set<Int64> = []
        let numStates = dfa.numStates
        var representatives = [[UInt8]?](repeating: nil, count: liveBytes.count)  // [slice state]
        var level = [(slice: 1, state: state)]
        for _ in 0..<Self.maxLength where !level.isEmpty {
            var following: [(slice: Int, state: LexemeDFA.StateID)] = []
            for (slice, state) in level {
                if representatives[slice] == nil { representatives[slice] = self.representatives(slice, dfa: dfa) }
                for byte in representatives[slice]! {
                    let target = dfa.next(state, byte)
                    if target == LexemeDFA.dead { return false }
                    let sliceNext = Int(next[slice << 8 | Int(byte)])
                    if seen.insert(Int64(sliceNext) << 32 | Int64(target.rawValue)).inserted {
                        guard seen.count <= Self.maxPairs, dfa.numStates - numStates <= Self.maxNewStates else { return false }
                        following.append((sliceNext, target))
                    }
                }
            }
            level = following
        }
        return true
    }

    /// The first of the bytes slice state `slice` reads in each class pair (slice class, `dfa` class).
    func representatives(_ slice: Int, dfa: LexemeDFA) -> [UInt8] {
        var taken = [Bool](repeating: false, count: numClasses * dfa.numByteClasses)
        var bytes: [UInt8] = []
        for byte in liveBytes[slice] {
            let pair = Int(classOf[Int(byte)]) * dfa.numByteClasses + dfa.byteClass(byte)
            if !taken[pair] {
                taken[pair] = true
                bytes.append(byte)
            }
        }
        return bytes
    }
}
