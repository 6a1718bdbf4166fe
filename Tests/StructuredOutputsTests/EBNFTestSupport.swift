import Testing
@testable import StructuredOutputs

/// Grammars checked through the real matcher on a vocabulary of single bytes: token `b` is the
/// byte `b` (all 256, so UTF-8 text can be fed a byte at a time), token 256 is EOS. A text is in
/// the matcher's language iff every byte token is accepted and the matcher can end after them.
enum EBNFTestSupport {
    static let eos = 256
    static let vocabulary = TokenVocabulary(tokenBytes: (0..<256).map { [UInt8($0)] } + [[]], eosTokenIDs: [eos])

    static func matcher(_ grammar: Grammar) throws -> GrammarMatcher {
        GrammarMatcher(grammar: try CompiledGrammar(grammar), vocabulary: vocabulary)
    }

    static func matcher(ebnf text: String) throws -> GrammarMatcher {
        try matcher(try Grammar.ebnf(text))
    }

    /// Whether the matcher takes all of `text` and may end there (then rolls it back).
    static func accepts(_ matcher: GrammarMatcher, _ text: String) -> Bool {
        accepts(matcher, Array(text.utf8))
    }

    static func accepts(_ matcher: GrammarMatcher, _ bytes: [UInt8]) -> Bool {
        let before = matcher.numAcceptedTokens
        defer { matcher.rollback(matcher.numAcceptedTokens - before) }
        for byte in bytes where !matcher.acceptToken(Int(byte)) { return false }
        return matcher.canEnd
    }

    /// The tokens the bitmask allows now.
    static func maskTokens(_ matcher: GrammarMatcher) -> Set<Int> {
        var mask: [UInt32] = []
        matcher.fillBitmask(&mask)
        return Set((0...eos).filter { mask[$0 >> 5] & (1 << UInt32($0 & 31)) != 0 })
    }

    /// Every text over `alphabet` up to `maxLength` characters: the matcher must take it (and be
    /// able to end) exactly when `reference` says it is in the language. Walks the tree of texts
    /// with accept and rollback; where the matcher refuses a character, no text under that prefix
    /// may be in the language. At the top `maskDepth` levels the bitmask must agree with
    /// acceptToken for every token. Returns the number of texts in the language.
    @discardableResult
    static func expectLanguage(_ matcher: GrammarMatcher, alphabet: [Character], maxLength: Int, maskDepth: Int = 2,
                               reference: (String) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        var members = 0
        var failures = 0
        func walk(_ text: String, alive: Bool, depth: Int) {
            guard failures < 5 else { return }
            let expected = reference(text)
            if expected { members += 1 }
            let actual = alive && matcher.canEnd
            if actual != expected {
                failures += 1
                Issue.record("\"\(text)\": the matcher says \(actual ? "in" : "out"), the reference \(expected ? "in" : "out")", sourceLocation: sourceLocation)
            }
            if alive && depth < maskDepth { expectMaskAgrees(matcher, text: text, sourceLocation: sourceLocation) }
            guard depth < maxLength else { return }
            for character in alphabet {
                let bytes = Array(String(character).utf8)
                var taken = 0
                if alive {
                    for byte in bytes {
                        guard matcher.acceptToken(Int(byte)) else { break }
                        taken += 1
                    }
                }
                walk(text + String(character), alive: alive && taken == bytes.count, depth: depth + 1)
                matcher.rollback(taken)
            }
        }
        walk("", alive: true, depth: 0)
        return members
    }

    /// The bitmask allows exactly the tokens acceptToken takes.
    static func expectMaskAgrees(_ matcher: GrammarMatcher, text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let mask = maskTokens(matcher)
        for token in 0...eos {
            let accepted = matcher.acceptToken(token)
            if accepted { matcher.rollback(1) }
            if accepted != mask.contains(token) {
                Issue.record("after \"\(text)\": token \(token) accepted \(accepted), in the mask \(mask.contains(token))", sourceLocation: sourceLocation)
                return
            }
        }
    }

    /// Every string over `alphabet` of length 0 through `maxLength`.
    static func allTexts(_ alphabet: [Character], maxLength: Int) -> [String] {
        var result = [""]
        var layer = [""]
        for _ in 0..<maxLength {
            layer = layer.flatMap { prefix in alphabet.map { prefix + String($0) } }
            result += layer
        }
        return result
    }
}

/// A grammar and texts in and out of its language.
struct EBNFLanguageCase: CustomTestStringConvertible, Sendable {
    var grammar: String
    var inside: [String]
    var outside: [String]
    var testDescription: String { grammar.split(separator: "\n").first.map(String.init) ?? "" }

    func check(_ parse: (String) throws(GrammarSyntaxError) -> Grammar, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let matcher = try EBNFTestSupport.matcher(try parse(grammar))
        for text in inside {
            #expect(EBNFTestSupport.accepts(matcher, text), "\"\(text)\" should be in the language", sourceLocation: sourceLocation)
        }
        for text in outside {
            #expect(!EBNFTestSupport.accepts(matcher, text), "\"\(text)\" should be out of the language", sourceLocation: sourceLocation)
        }
        #expect(matcher.numAcceptedTokens == 0, sourceLocation: sourceLocation)
    }
}

/// A bad grammar text and the error it must give.
struct EBNFErrorCase: CustomTestStringConvertible, Sendable {
    var text: String
    var kind: GrammarSyntaxError.Kind
    var line: Int
    var column: Int
    var message: String
    var testDescription: String { text }

    func check(_ parse: (String) throws(GrammarSyntaxError) -> Grammar, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let grammar = try parse(text)
            Issue.record("parsed, with \(grammar.rules.count) rules", sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            #expect(error.line == line && error.column == column, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(message), "\(error)", sourceLocation: sourceLocation)
            #expect(error.description == "\(error.message) at line \(line), column \(column)", sourceLocation: sourceLocation)
        }
    }
}
