import Testing
@testable import StructuredOutputs

/// The matcher on a small vocabulary, where every mask can be checked exactly.
@Suite struct GrammarMatcherTests {
    /// Tokens: 0 "y", 1 "es", 2 "no", 3 "n", 4 "o", 5 "yes", 6 "x", 7 EOS, 8 a special token,
    /// 9 " ", 10 "{", 11 "}", 12 "\"a\"", 13 ":", 14 "1", 15 "12", 16 "2}", 17 " }".
    static let words: [[UInt8]?] = ["y", "es", "no", "n", "o", "yes", "x", "", nil, " ", "{", "}", "\"a\"", ":", "1", "12", "2}", " }"]
        .enumerated().map { $0.offset == 8 ? nil : Array($0.element!.utf8) }
    static let vocabulary = TokenVocabulary(tokenBytes: words, eosTokenIDs: [7])

    static func allowed(_ matcher: GrammarMatcher) -> [Int] {
        var mask: [UInt32] = []
        matcher.fillBitmask(&mask)
        return (0..<words.count).filter { mask[$0 >> 5] & (1 << UInt32($0 & 31)) != 0 }
    }

    /// The mask must say what acceptToken says, token by token.
    static func expectMaskAgreesWithAccept(_ matcher: GrammarMatcher, sourceLocation: SourceLocation = #_sourceLocation) {
        let mask = Set(allowed(matcher))
        for id in 0..<words.count {
            let accepted = matcher.acceptToken(id)
            if accepted { matcher.rollback(1) }
            #expect(accepted == mask.contains(id), "token \(id)", sourceLocation: sourceLocation)
        }
    }

    @Test func choiceMasksAndEnds() throws {
        let matcher = GrammarMatcher(grammar: try CompiledGrammar(.choice(["yes", "no"])), vocabulary: Self.vocabulary)
        #expect(Self.allowed(matcher) == [0, 2, 3, 5])
        Self.expectMaskAgreesWithAccept(matcher)
        #expect(matcher.acceptToken(0) && !matcher.canEnd)
        #expect(Self.allowed(matcher) == [1])
        #expect(matcher.acceptToken(1) && matcher.canEnd)
        #expect(Self.allowed(matcher) == [7])
        #expect(matcher.acceptToken(7) && matcher.isTerminated && Self.allowed(matcher).isEmpty)
        matcher.rollback(2)
        #expect(!matcher.isTerminated && Self.allowed(matcher) == [1] && matcher.numAcceptedTokens == 1)
        #expect(!matcher.acceptToken(6) && !matcher.acceptToken(8) && matcher.numAcceptedTokens == 1)
    }

    /// `{"a": digits}` with whitespace skipped between lexemes: lexeme ends inside tokens
    /// ("2}" ends the number and closes the object), the skip lexeme, and the Earley parser.
    @Test func objectWithNumberAndWhitespace() throws {
        var builder = GrammarBuilder()
        let open = builder.lexeme(.literal("{"), name: "{"), close = builder.lexeme(.literal("}"), name: "}")
        let key = builder.lexeme(.literal("\"a\""), name: "key"), colon = builder.lexeme(.literal(":"), name: ":")
        let number = builder.lexeme(.oneOrMore(.scalars([48...57])), name: "number")
        let start = builder.declare("object")
        builder.define(start, [[open, key, colon, number, close]])
        let grammar = builder.build(start: start, skip: .zeroOrMore(.literal(" ")))
        let matcher = GrammarMatcher(grammar: try CompiledGrammar(grammar), vocabulary: Self.vocabulary)
        #expect(Self.allowed(matcher) == [9, 10])
        for token in [10, 9, 12, 13, 9] {
            Self.expectMaskAgreesWithAccept(matcher)
            #expect(matcher.acceptToken(token))
        }
        #expect(Self.allowed(matcher) == [9, 14, 15, 16])
        #expect(matcher.acceptToken(14))
        // After "1": more digits, "2}" (ends the number and the object), " }" or "}".
        #expect(Self.allowed(matcher) == [9, 11, 14, 15, 16, 17])
        Self.expectMaskAgreesWithAccept(matcher)
        #expect(!matcher.canEnd)
        #expect(matcher.acceptToken(16) && matcher.canEnd)
        // Nothing can follow the object, so no whitespace either: only the end.
        #expect(Self.allowed(matcher) == [7])
    }
}

extension GrammarMatcherTests {
    /// A regex or choice that matches the empty string lets the output end at once.
    @Test func emptyMatchesMayEndAtOnce() throws {
        let star = GrammarMatcher(grammar: try CompiledGrammar(.regex(.zeroOrMore(.literal("y")))), vocabulary: Self.vocabulary)
        #expect(star.canEnd && Self.allowed(star) == [0, 7])
        let choice = GrammarMatcher(grammar: try CompiledGrammar(.choice(["", "no"])), vocabulary: Self.vocabulary)
        #expect(choice.canEnd && Self.allowed(choice) == [2, 3, 7])
    }
}
