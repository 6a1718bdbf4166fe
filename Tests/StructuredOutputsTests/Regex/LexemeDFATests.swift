import StructuredOutputs
import Testing

@Suite struct LexemeDFATests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func reportsWhichLexemesMatchAndWhichMayStill() throws {
        let lexemes: [RegexNode] = [.literal("if"), .oneOrMore(.scalars([0x61...0x7A])), .oneOrMore(.scalars([0x30...0x39]))]
        let dfa = try LexemeDFA(lexemes: lexemes)
        let all = LexemeSet.all(3)
        #expect(dfa.accepted(bytes("if"), allowed: all) == [0, 1])
        #expect(dfa.accepted(bytes("if"), allowed: [0, 2]) == [0])
        #expect(dfa.accepted(bytes("ifs"), allowed: all) == [1])
        let afterI = dfa.run(bytes("i"), allowed: all)
        #expect(dfa.accepting(afterI) == [1])
        #expect(dfa.possible(afterI) == [0, 1])
        #expect(dfa.isDead(dfa.run(bytes("i9"), allowed: all)))
        #expect(dfa.accepted(bytes("42"), allowed: all) == [2])
        let start = dfa.startState(allowed: all)
        #expect(dfa.accepting(start).isEmpty && dfa.possible(start) == all)
        var live = ByteMask()
        live.insert(0x30...0x39)
        live.insert(0x61...0x7A)
        #expect(dfa.liveBytes(start) == live)
        #expect(dfa.liveBytes(LexemeDFA.dead).isEmpty)
        #expect(dfa.next(LexemeDFA.dead, 0x61) == LexemeDFA.dead)
    }

    @Test func statesAndStartsAreCached() throws {
        let dfa = try LexemeDFA(lexemes: [.literal("ab"), .literal("ac")])
        let both = dfa.startState(allowed: [0, 1])
        #expect(dfa.startState(allowed: [0, 1]) == both)
        #expect(dfa.startState(allowed: [0]) != both)
        _ = dfa.run(bytes("ab"), allowed: [0, 1])
        let numStates = dfa.numStates
        #expect(dfa.run(bytes("ab"), allowed: [0, 1]) == dfa.run(bytes("ab"), allowed: [0, 1]))
        #expect(dfa.numStates == numStates)
        // Lexemes past the last are ignored; an empty or impossible set starts dead.
        #expect(dfa.startState(allowed: [0, 1, 7]) == both)
        #expect(dfa.isDead(dfa.startState(allowed: [])))
        #expect(try LexemeDFA(lexemes: [.never]).startState(allowed: [0]) == LexemeDFA.dead)
    }

    @Test func bytesThatNothingTellsApartShareAClass() throws {
        #expect(try LexemeDFA(lexemes: [.literal("a")]).numByteClasses == 3)
        #expect(try LexemeDFA(lexemes: [.bytes([0...255])]).numByteClasses == 1)
        #expect(try LexemeDFA(lexemes: [.literal("a"), .scalars([0x61...0x7A])]).numByteClasses == 4)
    }

    @Test func thousandsOfLexemes() throws {
        let lexemes = (0..<3000).map { RegexNode.literal("k\($0);") }
        let dfa = try LexemeDFA(lexemes: lexemes)
        let all = LexemeSet.all(3000)
        #expect(dfa.accepted(bytes("k2999;"), allowed: all) == [2999])
        #expect(dfa.possible(dfa.run(bytes("k299"), allowed: all)) == [299, 2990, 2991, 2992, 2993, 2994, 2995, 2996, 2997, 2998, 2999])
        #expect(dfa.accepted(bytes("k123;"), allowed: LexemeSet(100..<200)) == [123])
        #expect(dfa.accepted(bytes("k123;"), allowed: LexemeSet(200..<300)).isEmpty)
    }

    /// A lexer that needs exponentially many states (the 12th byte from the end is an "a") hits the
    /// cap: `next` gives dead from then on and says so.
    @Test func stateCapIsReportedNotExceeded() throws {
        let anyByte = RegexNode.bytes([0...255])
        let regex = RegexNode.concat([.zeroOrMore(anyByte), .literal("a"), .repetition(anyByte, min: 11, max: 11)])
        let dfa = try LexemeDFA(lexemes: [regex], maxStates: 200)
        var rng = SeededGenerator(seed: 5)
        var state = dfa.startState(allowed: [0])
        for _ in 0..<10_000 where !dfa.isExhausted {
            state = dfa.next(state, Bool.random(using: &rng) ? 0x61 : 0x62)
        }
        #expect(dfa.isExhausted)
        #expect(dfa.numStates == 200)
        #expect(throws: LexemeAutomatonError.tooManyDFAStates(limit: 200)) { try dfa.checkCapacity() }
        // Below the cap nothing is reported.
        let small = try LexemeDFA(lexemes: [.literal("a")])
        _ = small.run(bytes("aaaa"), allowed: [0])
        #expect(!small.isExhausted)
        try small.checkCapacity()
    }

    @Test func hostileTreesFailWithinLimits() {
        let clock = ContinuousClock()
        let start = clock.now
        let huge = RegexNode.repetition(.repetition(.literal("a"), min: 1000, max: 1000), min: 1000, max: 1000)
        #expect(throws: LexemeAutomatonError.tooManyNFAStates(lexeme: 1, limit: LexemeNFA.defaultMaxStates)) {
            try LexemeNFA(lexemes: [.literal("x"), huge])
        }
        // Repeating what makes no state still counts as work.
        let nothing = RegexNode.repetition(.repetition(.repetition(.empty, min: 0, max: 10_000), min: 0, max: 10_000), min: 0, max: 10_000)
        #expect(throws: LexemeAutomatonError.tooManyNFAStates(lexeme: 0, limit: LexemeNFA.defaultMaxStates)) {
            try LexemeNFA(lexemes: [nothing])
        }
        var deep = RegexNode.literal("a")
        for _ in 0..<1000 { deep = .concat([deep, .literal("b")]) }
        #expect(throws: LexemeAutomatonError.nestingTooDeep(lexeme: 0, limit: LexemeNFA.maxDepth)) {
            try LexemeNFA(lexemes: [deep])
        }
        #expect(throws: LexemeAutomatonError.invalidRepetition(lexeme: 0, min: 3, max: 2)) {
            try LexemeNFA(lexemes: [.repetition(.literal("a"), min: 3, max: 2)])
        }
        #expect(throws: LexemeAutomatonError.invalidRepetition(lexeme: 0, min: -1, max: nil)) {
            try LexemeNFA(lexemes: [.repetition(.literal("a"), min: -1, max: nil)])
        }
        #expect(clock.now - start < .seconds(30))
    }

    /// Bounded repetitions keep DFA states small: `x.{0,5000}` reads 5000 scalars with one NFA
    /// position (and its byte states) per DFA state.
    @Test func longBoundedRepetitionsStayCheap() throws {
        let node = RegexNode.concat([.literal("x"), .repetition(.anyScalar, min: 0, max: 5000)])
        let dfa = try LexemeDFA(lexemes: [node])
        let text = bytes("x" + String(repeating: "é", count: 5000))
        #expect(dfa.accepted(text, allowed: [0]) == [0])
        #expect(dfa.accepted(text + bytes("a"), allowed: [0]).isEmpty)
        #expect(dfa.numStates < 20_100)
    }
}
