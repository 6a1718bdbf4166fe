import Testing
@testable import StructuredOutputs

/// Where the lowering puts lexeme boundaries, the greedy-lexing caveat that remains at them, and
/// the limits that keep hostile grammars small and fast.
@Suite struct EBNFLoweringTests {
    static func lexemes(_ grammar: Grammar) -> Set<RegexNode> { Set(grammar.lexemes.map(\.regex)) }

    @Test func regularRulesAreOneLexeme() throws {
        let grammar = try Grammar.ebnf("root ::= [a-z]* \"x\" tail\ntail ::= \"!\"?")
        #expect(grammar.rules.count == 1)
        #expect(Self.lexemes(grammar) == [.concat([.zeroOrMore(.scalars([97...122])), .literal("x"), .optional(.literal("!"))])])
    }

    /// Boundaries only where the recursive rule is used; regular neighbours merge across groups.
    @Test func boundariesAtRecursiveRules() throws {
        let grammar = try Grammar.ebnf("root ::= \"<\" ws (\"(\" root \")\" | word) ws \">\"\nword ::= [a-z]+\nws ::= \" \"")
        #expect(Self.lexemes(grammar) == [
            .concat([.literal("<"), .literal(" ")]), .literal("("), .literal(")"),
            .oneOrMore(.scalars([97...122])), .concat([.literal(" "), .literal(">")]),
        ])
        let root = grammar.rules[grammar.start.index]
        #expect(root.alternatives.count == 1 && root.alternatives[0].count == 3, "lexeme, the group's rule, lexeme")
    }

    /// A regular part that matches the empty string becomes its non-empty part or nothing, as the
    /// matcher takes no empty lexeme.
    @Test func emptyMatchesAreAlternatives() throws {
        let grammar = try Grammar.ebnf("root ::= \"a\"* | \"(\" root \")\" \"b\"?")
        let root = grammar.rules[grammar.start.index]
        #expect(root.alternatives.contains([]), "the empty alternative of \"a\"*")
        #expect(Self.lexemes(grammar).contains(.concat([.literal("a"), .zeroOrMore(.literal("a"))])))
        let matcher = try EBNFTestSupport.matcher(grammar)
        #expect(matcher.canEnd && EBNFTestSupport.accepts(matcher, "(aa)b") && EBNFTestSupport.accepts(matcher, "(())"))
    }

    /// The caveat: before or after a recursive rule, the lexer is greedy. Here `[a-z]+` at the end
    /// of `expr` takes the `a` that `root` needs after it, so texts such as `ba` (in the language)
    /// are never accepted, and after letters the output cannot end; with parentheses between, the
    /// boundary is clear. Unfolding the regular alternative into `root` gives the whole language.
    @Test func greedyLexingCaveat() throws {
        let language: (String) -> Bool = { text in
            // "(" * k, then letters, then ")" * k and "a".
            let depth = text.prefix { $0 == "(" }.count
            guard text.count >= 2 * depth + 2, text.hasSuffix(String(repeating: ")", count: depth) + "a") else { return false }
            return text.dropFirst(depth).dropLast(depth + 1).allSatisfy { ("a"..."z").contains($0) }
        }
        let alphabet: [Character] = ["(", ")", "a", "b"]
        let caveat = try EBNFTestSupport.matcher(ebnf: "root ::= expr \"a\"\nexpr ::= \"(\" expr \")\" | [a-z]+")
        #expect(EBNFTestSupport.accepts(caveat, "(b)a") && EBNFTestSupport.accepts(caveat, "((ab))a"))
        #expect(!EBNFTestSupport.accepts(caveat, "ba") && language("ba"))
        // Exactly the texts without a parenthesis before the letters are missed; nothing outside
        // the language is accepted.
        let accepted = EBNFTestSupport.expectLanguage(caveat, alphabet: alphabet, maxLength: 6) { language($0) && $0.first == "(" }
        let unfolded = try EBNFTestSupport.matcher(ebnf: "root ::= \"(\" expr \")\" \"a\" | [a-z]+ \"a\"\nexpr ::= \"(\" expr \")\" | [a-z]+")
        let all = EBNFTestSupport.expectLanguage(unfolded, alphabet: alphabet, maxLength: 6, reference: language)
        #expect(accepted > 0 && all == accepted + 2 + 4 + 8 + 16 + 32, "the unfolded grammar also takes [ab]{1,5}a")
    }

    /// A rule copied into every use would double at each level: past `maxInlineSize` a regular
    /// rule stays a rule of its own, so 40 levels stay small.
    @Test func largeRegularRulesStayRules() throws {
        var text = "root ::= a40\na0 ::= \"x\" | \"y\"\n"
        for level in 1...40 { text += "a\(level) ::= a\(level - 1) a\(level - 1)\n" }
        let clock = ContinuousClock()
        let start = clock.now
        let grammar = try Grammar.ebnf(text)
        let matcher = try EBNFTestSupport.matcher(grammar)
        #expect(clock.now - start < .seconds(2))
        #expect(grammar.rules.count < 40 && grammar.lexemes.count < 5)
        let prefix = String(repeating: "xy", count: 50)
        for byte in prefix.utf8 { #expect(matcher.acceptToken(Int(byte))) }
        #expect(!matcher.canEnd && !matcher.acceptToken(Int(UInt8(ascii: "z"))))
    }

    /// Deep chains of regular rules stay within the automaton's depth, and long chains of rules
    /// within the stack.
    @Test func deepAndLongChains() throws {
        var deep = "root ::= r600\nr0 ::= \"a\"\n"
        for level in 1...600 { deep += "r\(level) ::= \"(\" r\(level - 1) \")\"\n" }
        let matcher = try EBNFTestSupport.matcher(ebnf: deep)
        #expect(EBNFTestSupport.accepts(matcher, String(repeating: "(", count: 600) + "a" + String(repeating: ")", count: 600)))
        #expect(!EBNFTestSupport.accepts(matcher, String(repeating: "(", count: 599) + "a" + String(repeating: ")", count: 599)))

        var long = "root ::= s0\n"
        for index in 0..<20_000 { long += "s\(index) ::= \"a\" s\(index + 1) | \"b\"\n" }
        long += "s20000 ::= s0\n"
        let cycle = try EBNFTestSupport.matcher(ebnf: long)
        #expect(EBNFTestSupport.accepts(cycle, "aaab") && !EBNFTestSupport.accepts(cycle, "aaa"))
    }

    /// Many optional parts in a row: the lexeme of their non-empty matches stays near n log n.
    @Test func manyOptionalParts() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let small = try EBNFTestSupport.matcher(ebnf: "root ::= " + (0..<20).map { "\"\(Character(UnicodeScalar(97 + $0)!))\"?" }.joined(separator: " "))
        #expect(small.canEnd && EBNFTestSupport.accepts(small, "acdt") && !EBNFTestSupport.accepts(small, "ba"))
        _ = try Grammar.ebnf("root ::= " + String(repeating: "[a-z]? ", count: 20_000))
        #expect { try Grammar.ebnf("root ::= " + String(repeating: "\"abcdefgh\"? ", count: 50_000)) } throws: { error in
            (error as? GrammarSyntaxError)?.kind == .tooLarge
        }
        #expect(clock.now - start < .seconds(5))
    }

    /// Huge repetitions fail fast with a clear error (regular), or lower to a linear number of
    /// rules (around a recursive rule).
    @Test func hostileRepetitions() throws {
        let clock = ContinuousClock()
        let start = clock.now
        #expect { try Grammar.ebnf("root ::= ((\"a\"{10000}){10000}){10000}") } throws: { error in
            (error as? GrammarSyntaxError)?.kind == .tooLarge
        }
        let nested = try Grammar.ebnf("root ::= ((\"(\" root \")\"){10000}){0,10000} | \"x\"")
        #expect(nested.rules.reduce(0) { $0 + $1.alternatives.reduce(0) { $0 + $1.count } } < 100_000)
        #expect(clock.now - start < .seconds(3))
        #expect { try Grammar.ebnf("root ::= (\"(\" root \")\" | \"x\"){10000} " + String(repeating: "(\"y\" root){10000} ", count: 200)) } throws: { error in
            (error as? GrammarSyntaxError)?.kind == .tooLarge
        }
    }
}
