@testable import StructuredOutputs
import Testing

/// The NFA compiler decides which states can reach an accepting state as it adds them, and copies
/// one fragment per non-ASCII scalar class; both are checked against their slow twins here.
@Suite struct LexemeNFATests {
    /// Loops whose body or follower is `never`, nested loops, classes beside `never`.
    static let tricky: [RegexNode] = [
        .zeroOrMore(.alternation([.literal("a"), .never])),
        .concat([.zeroOrMore(.literal("a")), .never]),
        .zeroOrMore(.concat([.never, .literal("a")])),
        .concat([.zeroOrMore(.zeroOrMore(.scalars([0xE9...0x6F22]))), .literal("b")]),
        .oneOrMore(.concat([.oneOrMore(.scalars([0x80...0x10FFFF])), .never])),
        .alternation([.scalars([]), .scalars([0xD800...0xDFFF]), .literal("x")]),
        .repetition(.alternation([.never, .scalars([0x100...0x200])]), min: 2, max: 4),
    ]

    @Test func usefulStatesMatchTheBackwardSearch() throws {
        var rng = SeededGenerator(seed: 11)
        var lexemeLists: [[RegexNode]] = Self.tricky.map { [$0] }
        for _ in 0..<300 {
            lexemeLists.append((0..<Int.random(in: 1...3, using: &rng)).map { _ in LexemeDFARandomTests.randomNode(&rng, depth: 4) })
        }
        for lexemes in lexemeLists {
            let nfa = try LexemeNFA(lexemes: lexemes)
            #expect(nfa.isUseful == LexemeNFA.usefulStates(nfa.states), "\(lexemes)")
        }
        // The hand-made cases pin the answer: only the accepting path of each is useful.
        let loopThenNever = try LexemeNFA(lexemes: [Self.tricky[1]])
        #expect(loopThenNever.isUseful.filter { $0 } == [true])  // the accept state alone
    }

    /// A class used twice is the same fragment twice, pointing on to different states.
    @Test func aScalarClassIsCopiedWhereItIsUsed() throws {
        let letter = RegexNode.scalars([0xE0...0xFF, 0x400...0x4FF])
        let once = try LexemeNFA(lexemes: [letter])
        let twice = try LexemeNFA(lexemes: [.concat([letter, letter])])
        let fragment = ScalarClassFragment([0xE0...0xFF, 0x400...0x4FF])
        #expect(once.numStates == 2 + fragment.states.count)  // fail, accept, the class
        #expect(twice.numStates == 2 + 2 * fragment.states.count)
        let dfa = try LexemeDFA(lexemes: [.concat([letter, letter]), .concat([letter, .literal("x")])])
        #expect(dfa.accepted(Array("éж".utf8), allowed: [0, 1]) == [0])
        #expect(dfa.accepted(Array("жx".utf8), allowed: [0, 1]) == [1])
        #expect(dfa.accepted(Array("éa".utf8), allowed: [0, 1]).isEmpty)
        #expect(ScalarClassFragment([]).entry == ScalarClassFragment.fail)
        #expect(try LexemeDFA(lexemes: [.scalars([0xD800...0xDFFF])]).accepted(Array("a".utf8), allowed: [0]).isEmpty)
    }
}
