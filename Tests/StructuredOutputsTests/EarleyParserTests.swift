import Testing
@testable import StructuredOutputs

/// The Earley parser on small grammars over lexemes: ambiguity, left recursion, empty rules.
@Suite struct EarleyParserTests {
    /// Lexemes 0 "a", 1 "+", 2 "(", 3 ")".
    static func grammar(_ build: (inout GrammarBuilder, [Grammar.Symbol]) -> Grammar.RuleID) -> Grammar {
        var builder = GrammarBuilder()
        let lexemes = ["a", "+", "(", ")"].map { builder.lexeme(.literal($0), name: $0) }
        let start = build(&builder, lexemes)
        return builder.build(start: start, skip: nil)
    }

    /// Feeds lexeme ids; returns whether each scan fitted and whether the whole input is accepted.
    static func run(_ grammar: Grammar, _ input: [Int]) -> (scanned: Bool, accepts: Bool) {
        var parser = EarleyParser(tables: ParserTables(grammar))
        for lexeme in input where !parser.scan([lexeme]) { return (false, false) }
        return (true, parser.accepts)
    }

    @Test func ambiguousLeftRecursiveSums() {
        // E -> E + E | a
        let sums = Self.grammar { builder, l in
            let e = builder.declare("E")
            builder.define(e, [[.rule(e), l[1], .rule(e)], [l[0]]])
            return e
        }
        #expect(Self.run(sums, [0]) == (true, true))
        #expect(Self.run(sums, [0, 1, 0, 1, 0]) == (true, true))
        #expect(Self.run(sums, [0, 1]) == (true, false))
        #expect(Self.run(sums, [1]).scanned == false)
        #expect(Self.run(sums, [0, 0]).scanned == false)
    }

    @Test func emptyRulesAndNesting() {
        // S -> ( S ) S | <empty>: balanced parentheses, the empty string included.
        let balanced = Self.grammar { builder, l in
            let s = builder.declare("S")
            builder.define(s, [[l[2], .rule(s), l[3], .rule(s)], []])
            return s
        }
        var parser = EarleyParser(tables: ParserTables(balanced))
        #expect(parser.accepts)
        #expect(Set(parser.allowedLexemes) == [2])
        for lexeme in [2, 2, 3, 2, 3, 3] {
            let fitted = parser.scan([lexeme])
            #expect(fitted)
        }
        #expect(parser.accepts)
        let extra = parser.scan([3])
        #expect(!extra)
        // A chain of nullable rules before a lexeme: A -> B C a, B -> <empty>, C -> B B.
        let chain = Self.grammar { builder, l in
            let b = builder.declare("B")
            builder.define(b, [[]])
            let c = builder.rule("C", [[.rule(b), .rule(b)]])
            return builder.declare("A").withDefinition(in: &builder, [[.rule(b), c, l[0]]])
        }
        #expect(Self.run(chain, [0]) == (true, true))
        #expect(Self.run(chain, []) == (true, false))
    }

    @Test func popUndoesScans() {
        let sums = Self.grammar { builder, l in
            let e = builder.declare("E")
            builder.define(e, [[.rule(e), l[1], .rule(e)], [l[0]]])
            return e
        }
        var parser = EarleyParser(tables: ParserTables(sums))
        let first = parser.scan([0])
        let depth = parser.depth
        let second = parser.scan([1])
        #expect(first && second && !parser.accepts)
        parser.pop(to: depth)
        #expect(parser.accepts && Set(parser.allowedLexemes) == [1])
    }

    /// Two lexemes matched by the same text are scanned together: either reading may go on.
    @Test func scanningSeveralLexemesKeepsBothReadings() {
        // S -> a X | ( Y ; X -> a ; Y -> ) — scanning {a, (} then a or ) both work.
        let grammar = Self.grammar { builder, l in
            let x = builder.rule("X", [[l[0]]])
            let y = builder.rule("Y", [[l[3]]])
            return builder.declare("S").withDefinition(in: &builder, [[l[0], x], [l[2], y]])
        }
        var parser = EarleyParser(tables: ParserTables(grammar))
        let both = parser.scan([0, 2])
        #expect(both)
        #expect(Set(parser.allowedLexemes) == [0, 3])
    }
}

extension Grammar.RuleID {
    func withDefinition(in builder: inout GrammarBuilder, _ alternatives: [[Grammar.Symbol]]) -> Grammar.RuleID {
        builder.define(self, alternatives)
        return self
    }
}
