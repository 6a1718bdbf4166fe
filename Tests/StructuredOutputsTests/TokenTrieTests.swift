import Testing
@testable import StructuredOutputs

@Suite struct TokenTrieTests {
    /// The preorder layout, exactly: nodes, depths, subtree ends and which tokens end where.
    @Test func preorderLayout() {
        let words: [[UInt8]?] = [Array("ab".utf8), Array("a".utf8), nil, Array("b".utf8), Array("abc".utf8), [], Array("ab".utf8)]
        let trie = TokenTrie(tokens: words)
        // root, a, ab, abc, b
        #expect(trie.byte == [0, 97, 98, 99, 98])
        #expect(trie.depth == [0, 1, 2, 3, 1])
        #expect(trie.parent == [0, 0, 1, 2, 0])
        #expect(trie.subtreeEnd == [5, 4, 4, 4, 5])
        #expect(trie.tokenStart == [0, 0, 1, 3, 4, 5])
        #expect(trie.tokenIDs == [1, 0, 6, 4, 3])
        var atAB: [Int] = []
        trie.forEachToken(at: 2) { atAB.append($0) }
        #expect(atAB == [0, 6] && trie.maxDepth == 3)
    }

    /// Every token is found by walking its bytes, on a random vocabulary.
    @Test func everyTokenIsReachable() {
        var random = SystemRandomNumberGenerator()
        let words: [[UInt8]?] = (0..<2000).map { _ in
            (0..<Int.random(in: 1...6, using: &random)).map { _ in UInt8.random(in: 97...100, using: &random) }
        }
        let trie = TokenTrie(tokens: words)
        for (id, word) in words.enumerated() {
            guard let word else { continue }
            var node = 0
            for b in word {
                var child = node + 1
                while child < Int(trie.subtreeEnd[node]) && trie.byte[child] != b { child = Int(trie.subtreeEnd[child]) }
                #expect(child < Int(trie.subtreeEnd[node]))
                node = child
            }
            var found: [Int] = []
            trie.forEachToken(at: node) { found.append($0) }
            #expect(found.contains(id))
        }
    }
}

@Suite struct TokenSliceTests {
    /// Which tokens are plain string text, and the nodes left to walk: exactly.
    @Test func sliceAndRest() throws {
        // 0 "ab", 1 "a\"", 2 "é" cut after its first byte, 3 "\\n" (an escape), 4 a tab, 5 a continuation byte.
        let words: [[UInt8]?] = [Array("ab".utf8), Array("a\"".utf8), [0xC3], Array("\\n".utf8), [0x09], [0xA9]]
        let trie = TokenTrie(tokens: words)
        let slice = try #require(TokenSlice(trie: trie, tokenBytes: words, wordCount: 1))
        #expect(slice.mask == [0b101])
        // Nodes: root, tab, backslash, backslash n, a, a", ab, 0xA9, 0xC3; the rest leads to tokens 1, 3, 4, 5.
        #expect(trie.byte == [0, 0x09, 0x5C, 0x6E, 0x61, 0x22, 0x62, 0xA9, 0xC3])
        #expect(slice.rest == [1, 2, 3, 4, 5, 7] && slice.restEnd == [1, 3, 3, 5, 5, 6])
    }

    /// `isCovered`'s reference: every byte each slice state reads, not one per class pair.
    static func isCoveredByteByByte(_ slice: TokenSlice, from state: LexemeDFA.StateID, dfa: LexemeDFA) -> Bool {
        var seen: Set<[Int]> = []
        var level = [(1, state)]
        for _ in 0..<TokenSlice.maxLength where !level.isEmpty {
            var following: [(Int, LexemeDFA.StateID)] = []
            for (sliceState, state) in level {
                for byte in slice.liveBytes[sliceState] {
                    let target = dfa.next(state, byte)
                    if dfa.isDead(target) { return false }
                    let sliceNext = Int(slice.next[sliceState << 8 | Int(byte)])
                    if seen.insert([sliceNext, Int(target.rawValue)]).inserted {
                        if seen.count > TokenSlice.maxPairs { return false }
                        following.append((sliceNext, target))
                    }
                }
            }
            level = following
        }
        return true
    }

    /// A key other than the named ones reads all plain string text, inside the trie of the names
    /// and past it; a number or a short pattern does not. Both ways agree with the reference.
    @Test func coverageByClassesEqualsByteByByte() throws {
        let words: [[UInt8]?] = ["ab", "a\"", "é", "x"].map { Array($0.utf8) }
        let slice = try #require(TokenSlice(trie: TokenTrie(tokens: words), tokenBytes: words, wordCount: 1))
        let key = JSONTokens.quoted(RegexDerivatives.excluding(["name", "nat"], from: .zeroOrMore(.anyScalar)))
        let dfa = try LexemeDFA(lexemes: [key, JSONTokens.number, .concat([.literal("\""), .repetition(.anyScalar, min: 0, max: 5)])])
        for (lexeme, text, covered) in [(0, "\"", true), (0, "\"na", true), (0, "\"nax", true), (1, "1", false), (2, "\"", false)] {
            let state = Array(text.utf8).reduce(dfa.startState(allowed: [lexeme])) { dfa.next($0, $1) }
            #expect(slice.isCovered(from: state, dfa: dfa) == covered, "\(lexeme) \(text)")
            #expect(Self.isCoveredByteByByte(slice, from: state, dfa: dfa) == covered)
        }
    }

    /// An unanchored pattern of many words makes a new lexer state at almost every step: the check
    /// gives up once it has made `maxNewStates` of them (the walk then makes only those it needs).
    @Test func coverageGivesUpOnManyNewStates() throws {
        let words: [[UInt8]?] = ["ab", "x"].map { Array($0.utf8) }
        let slice = try #require(TokenSlice(trie: TokenTrie(tokens: words), tokenBytes: words, wordCount: 1))
        let names: [RegexNode] = (0..<60).map { index in
            let bytes: [UInt8] = (0..<6).map { UInt8(97 + (index * 7 + $0 * 3) % 26) }
            return .literal(String(decoding: bytes, as: UTF8.self))
        }
        let anyText = RegexNode.zeroOrMore(.anyScalar)
        let search = JSONTokens.quoted(.concat([anyText, .alternation(names), anyText]))
        let dfa = try LexemeDFA(lexemes: [search])
        let state = dfa.next(dfa.startState(allowed: [0]), UInt8(ascii: "\""))
        let before = dfa.numStates
        #expect(!slice.isCovered(from: state, dfa: dfa))
        #expect(dfa.numStates - before <= TokenSlice.maxNewStates + 256)
        #expect(dfa.numStates - before > TokenSlice.maxNewStates)
    }
}
