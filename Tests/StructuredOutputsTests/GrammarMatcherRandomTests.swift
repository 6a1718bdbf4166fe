import Testing
@testable import StructuredOutputs

/// The mask's fast paths (cached lexer-state walks, shared lexeme masks, one scan per trie parent)
/// against the reference: for every token, whether `acceptToken` takes it. Random walks through
/// JSON Schema grammars over a JSON-like vocabulary whose tokens end lexemes inside them.
@Suite struct GrammarMatcherRandomTests {
    static let pieces = ["{", "}", "[", "]", ",", ":", "\"", " ", "\n", "a", "b", "1", "2", "-", ".", "e", "t", "true",
                         "null", "\"a\"", "\"b\"", "\": ", "\", ", "\",", "\"}", "}]", "},", "1,", "12", "2}", " \"",
                         ", \"", "\\", "\\\"", "\\n", "é", "ab", "a\"", "ruе", "rue", "ull", "{\"", "[\"", "[1", "1]",
                         "\"a\": ", "\"b\":", "0", ".5", "e1", "  ", "\n ", "\":{\"", "false", "fal", "se", "1]}", "1],", "2]}", "1 ]}"]
    /// The pieces, then 300 seeded joins of two or three of them (so that a trie node has children
    /// that end its lexeme and children that extend it, in every order), a special token and EOS.
    static let vocabulary = makeVocabulary()

    static func makeVocabulary(maxSharedMasks: Int = 16_384) -> TokenVocabulary {
        var random = SeededGenerator(seed: 11)
        var tokens = pieces
        for _ in 0..<300 {
            let count = 2 + Int(random.next() % 2)
            tokens.append((0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined())
        }
        return TokenVocabulary(tokenBytes: tokens.map { Array($0.utf8) } + [nil, []], eosTokenIDs: [tokens.count + 1],
                               maxSharedMasks: maxSharedMasks)
    }

    static let schemas = [
        #"{"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}, "required": ["a"]}"#,
        #"{"type": "array", "items": {"type": "number"}}"#,
        #"{"type": "object", "additionalProperties": {"type": "boolean"}}"#,
        #"{"anyOf": [{"type": "string"}, {"type": "array", "items": {"enum": ["a", "ab", 12]}}, {"type": "null"}]}"#,
        #"{"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {"type": "array"}}}}}"#,
        #"{"type": "object", "properties": {"ab": {"enum": ["a", "ab"]}, "b": {"type": "null"}}, "additionalProperties": {"type": "integer"}}"#,
    ]

    static func maskSet(_ matcher: GrammarMatcher) -> Set<Int> {
        var mask: [UInt32] = []
        matcher.fillBitmask(&mask)
        return Set((0..<matcher.vocabulary.vocabSize).filter { mask[$0 >> 5] & (1 << UInt32($0 & 31)) != 0 })
    }

    static func referenceSet(_ matcher: GrammarMatcher) -> Set<Int> {
        Set((0..<matcher.vocabulary.vocabSize).filter { id in
            let accepted = matcher.acceptToken(id)
            if accepted { matcher.rollback(1) }
            return accepted
        })
    }

    @Test(arguments: schemas.indices) func masksEqualTheReference(schema: Int) throws {
        let grammar = try CompiledGrammar(try JSONSchemaCompiler.compile(SchemaTesting.schema(Self.schemas[schema]),
                                                                        options: SchemaTesting.options()))
        var random = SeededGenerator(seed: UInt64(schema) + 7)
        var checked = 0
        for _ in 0..<30 {
            // Each walk runs on a fresh matcher over the same grammar, so later walks hit its caches.
            let matcher = GrammarMatcher(grammar: grammar, vocabulary: Self.vocabulary)
            for _ in 0..<40 {
                let mask = Self.maskSet(matcher)
                #expect(mask == Self.referenceSet(matcher), "schema \(schema) after \(matcher.numAcceptedTokens) tokens")
                checked += 1
                let choices = mask.filter { !Self.vocabulary.eosTokenIDs.contains($0) }.sorted()
                guard !choices.isEmpty else { break }
                #expect(matcher.acceptToken(choices[Int(random.next() % UInt64(choices.count))]))
                // Now and then a rollback, to check masks after it too.
                if random.next() % 8 == 0 { matcher.rollback(1) }
            }
        }
        #expect(checked > 100)
    }

    /// With room for three shared masks the cache starts over again and again, while grammars made
    /// before keep the lexemes they hold: masks stay exact, and the cache stays small.
    @Test func sharedMasksStartOverPastTheirLimit() throws {
        let capped = Self.makeVocabulary(maxSharedMasks: 3)
        let uncapped = Self.makeVocabulary()
        for vocabulary in [capped, uncapped] {
            var random = SeededGenerator(seed: 5)
            for schema in Self.schemas {
                for _ in 0..<3 {
                    let grammar = try CompiledGrammar(try JSONSchemaCompiler.compile(SchemaTesting.schema(schema), options: SchemaTesting.options()))
                    let matcher = GrammarMatcher(grammar: grammar, vocabulary: vocabulary)
                    for _ in 0..<20 {
                        let mask = Self.maskSet(matcher)
                        #expect(mask == Self.referenceSet(matcher))
                        let choices = mask.filter { !vocabulary.eosTokenIDs.contains($0) }.sorted()
                        guard !choices.isEmpty else { break }
                        #expect(matcher.acceptToken(choices[Int(random.next() % UInt64(choices.count))]))
                    }
                }
            }
        }
        #expect(uncapped.sharedMasks.numMasks > 20)
        #expect(capped.sharedMasks.numLexemes < uncapped.sharedMasks.numLexemes)
    }
}
