import Foundation

/// Lexer-state masks of single lexemes, shared by every grammar over one vocabulary: while only
/// one lexeme can still match (inside a JSON string, a number, a key), the tokens read inside it
/// and where it may end depend on that lexeme's regex and the bytes read so far, not on the
/// grammar. So the JSON string of every schema shares one cache, and a new schema pays for a walk
/// of the trie only for the states its own lexemes reach first.
final class SharedLexemeMasks: @unchecked Sendable {
    /// One lexeme's own automaton and the masks of its states (used under the owner's lock).
    final class Lexeme {
        let dfa: LexemeDFA
        var masks = LexerStateMasks()
        init(dfa: LexemeDFA) { self.dfa = dfa }
    }

    private let lock = NSLock()
    private var lexemes: [RegexNode: Lexeme] = [:]
    /// Masks made since the cache last started over (each holds a bitmask of the vocabulary).
    private var numEntries = 0
    /// Past this many masks the cache starts over, so a server that meets many different schemas
    /// keeps a bounded amount (about 6 KiB a mask for a 49,152-token vocabulary, so some 100 MiB).
    /// Grammars that already hold a lexeme keep using it; later grammars build it again.
    let maxEntries: Int

    init(maxEntries: Int = 16_384) {
        self.maxEntries = max(maxEntries, 1)
    }

    /// The number of masks made since the cache last started over.
    var numMasks: Int { lock.withLock { numEntries } }

    /// The number of lexemes in the cache.
    var numLexemes: Int { lock.withLock { lexemes.count } }

    /// The shared automaton of `regex`, or nil when it cannot be built (its grammar's own cache serves then).
    func lexeme(_ regex: RegexNode) -> Lexeme? {
        lock.lock()
        defer { lock.unlock() }
        if numEntries >= maxEntries {
            lexemes.removeAll()
            numEntries = 0
        }
        if let known = lexemes[regex] { return known }
        guard let dfa = try? LexemeDFA(lexemes: [regex]) else { return nil }
        let lexeme = Lexeme(dfa: dfa)
        lexemes[regex] = lexeme
        return lexeme
    }

    /// The masks after `bytes` of `lexeme` (read from its start), or nil when they do not fit it.
    func entry(_ lexeme: Lexeme, after bytes: ArraySlice<UInt8>, vocabulary: TokenVocabulary) -> LexerStateMasks.Entry? {
        lock.lock()
        defer { lock.unlock() }
        var state = lexeme.dfa.startState(allowed: [0])
        for byte in bytes {
            state = lexeme.dfa.next(state, byte)
            if state == LexemeDFA.dead { return nil }
        }
        let numBefore = lexeme.masks.count
        let entry = lexeme.masks.entry(state, atStart: bytes.isEmpty, dfa: lexeme.dfa, vocabulary: vocabulary)
        numEntries += lexeme.masks.count - numBefore
        return entry
    }
}
