import Testing
@testable import StructuredOutputs

/// The masks of a lexer state from the walk that skips the vocabulary's slice, and, where several
/// lexemes can match, from each lexeme's shared masks (`LexerStateMasks.union`), against the
/// reference: the walk of every trie node from the state.
@Suite struct LexerStateMasksTests {
    static func flat(_ entry: LexerStateMasks.Entry) -> [[Int32]] {
        entry.frontier.flatMap { group in group.byByte.map { [group.state.rawValue, Int32($0.byte)] + $0.nodes } }
    }

    @Test func unionEqualsTheWalk() throws {
        var checked = 0
        for schema in GrammarMatcherRandomTests.schemas.indices { checked += try Self.check(schema: schema) }
        #expect(checked > 50)
    }

    /// The number of states checked in schema `schema`.
    static func check(schema: Int) throws -> Int {
        let grammar = try CompiledGrammar(try JSONSchemaCompiler.compile(SchemaTesting.schema(GrammarMatcherRandomTests.schemas[schema]),
                                                                        options: SchemaTesting.options()))
        let vocabulary = GrammarMatcherRandomTests.vocabulary
        let dfa = grammar.dfa
        let alphabet = Array(GrammarMatcherRandomTests.pieces.joined().utf8) + [0x22, 0x22, 0x5C]
        var random = SeededGenerator(seed: UInt64(schema) + 3)
        var checked = 0
        for _ in 0..<200 {
            // Every lexeme allowed at first, then random bytes while several can still match.
            var state = dfa.startState(allowed: LexemeSet.all(dfa.numLexemes))
            var bytes: [UInt8] = []
            for _ in 0..<8 {
                let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
                let next = dfa.next(state, byte)
                guard next != LexemeDFA.dead else { break }
                state = next
                bytes.append(byte)
                let reference = LexerStateMasks.walk(from: state, atStart: false, dfa: dfa, vocabulary: vocabulary, useSlice: false)
                let sliced = LexerStateMasks.walk(from: state, atStart: false, dfa: dfa, vocabulary: vocabulary)
                #expect(sliced.inside == reference.inside && flat(sliced) == flat(reference), "slice after \(bytes)")
                if let slice = vocabulary.slice {
                    #expect(slice.isCovered(from: state, dfa: dfa) == TokenSliceTests.isCoveredByteByByte(slice, from: state, dfa: dfa))
                }
                let possible = dfa.possible(state)
                guard possible.count >= 2, let parts = grammar.sharedEntries(possible, after: bytes[...], vocabulary: vocabulary) else { continue }
                let union = LexerStateMasks.union(of: parts, from: state, dfa: dfa, vocabulary: vocabulary)
                #expect(union.inside == reference.inside && flat(union) == flat(reference), "after \(bytes)")
                checked += 1
            }
        }
        return checked
    }
}
