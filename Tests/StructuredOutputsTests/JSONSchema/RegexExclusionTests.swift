@testable import StructuredOutputs
import Testing

/// "Any string but these words" (the keys `additionalProperties` may use besides the named ones).
@Suite struct RegexExclusionTests {
    static let words = ["name", "names", "nat", "é", ""]
    static let anyString = RegexNode.zeroOrMore(.anyScalar)

    @Test func matchesEveryStringButTheWords() {
        let regex = RegexDerivatives.excluding(Self.words, from: Self.anyString)
        let alphabet = ["n", "a", "m", "e", "s", "t", "x", "é"]
        var texts = [""]
        for _ in 0..<3 { texts += texts.flatMap { text in alphabet.map { text + $0 } } }
        texts += Self.words.flatMap { [$0, $0 + "x", $0 + "s", String($0.dropLast())] }
        for text in Set(texts) {
            #expect(regex.matches(Array(text.utf8)) == !Self.words.contains(text), "\(text)")
        }
    }

    /// Once a string has left the trie of the words, the lexer is in one state, wherever it left.
    @Test func waysOutShareOneState() throws {
        let dfa = try LexemeDFA(lexemes: [RegexDerivatives.excluding(Self.words, from: Self.anyString)])
        let start = dfa.startState(allowed: [0])
        func run(_ text: String) -> LexemeDFA.StateID { text.utf8.reduce(start) { dfa.next($0, $1) } }
        let out = run("x")
        #expect(!dfa.isDead(out) && dfa.accepting(out) == [0])
        for text in ["nx", "nax", "namx", "namesx", "natx", "éx", "xnam", "ñ"] {
            #expect(run(text) == out, "\(text)")
        }
        #expect(run("name") != out && run("nam") != out)
    }
}

/// The keys no pattern matches: the same regex every time (state elimination once broke ties by a
/// set's order, which differs between sets and processes, and one MaskBench schema compiled in some
/// runs only).
@Suite struct RegexComplementTests {
    @Test func complementIsTheSameEveryTime() throws {
        let patterns = ["sdkrel:.*", "^x-", "^(a|b)[0-9]+$", "foo|bar|baz"]
        for pattern in patterns {
            let keys = try RegexSyntax.parse(pattern, flavor: .python)
            let searched = RegexNode.concat([.zeroOrMore(.anyScalar), keys, .zeroOrMore(.anyScalar)])
            let first = RegexComplement.complement(of: searched)
            #expect(first != nil, "\(pattern)")
            for _ in 0..<20 { #expect(RegexComplement.complement(of: searched) == first, "\(pattern)") }
        }
    }
}
