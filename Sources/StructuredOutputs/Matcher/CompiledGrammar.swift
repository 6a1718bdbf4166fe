/// A grammar ready to match: its parser tables and the lazy byte automaton of its lexemes (the
/// grammar's lexemes, then the skip lexeme). Compiled once per constraint and shared by every
/// request with that constraint. The automaton grows as it is used, so a compiled grammar is
/// used by one thread at a time (the engine's); that is what makes it safe to hand across.
public final class CompiledGrammar: @unchecked Sendable {
    public let grammar: Grammar
    let tables: ParserTables
    let dfa: LexemeDFA
    /// The skip lexeme's index in `dfa`, when the grammar has one.
    let skipLexeme: Int?
    /// Per lexer state: the tokens read inside the lexeme and where lexemes end (for one vocabulary).
    private var masks = LexerStateMasks()
    private var masksVocabulary: ObjectIdentifier?
    /// Per lexer state: the entry a mask starts from (shared or the grammar's own), resolved once.
    private var resolvedMasks: [LexerStateMasks.Key: (LexerStateMasks.Entry, single: Int?)] = [:]
    /// Per lexeme (the skip lexeme last): its shared automaton, once looked up (nil inside: none).
    private var sharedLexemes: [Int: SharedLexemeMasks.Lexeme?] = [:]

    /// The regex of lexeme `index` (the skip lexeme's past the grammar's own).
    func regex(ofLexeme index: Int) -> RegexNode? {
        index < grammar.lexemes.count ? grammar.lexemes[index].regex : (index == skipLexeme ? grammar.skip : nil)
    }

    /// The shared automaton of lexeme `index` in `vocabulary`'s cache, looked up once per lexeme.
    func sharedLexeme(_ index: Int, vocabulary: TokenVocabulary) -> SharedLexemeMasks.Lexeme? {
        if let known = sharedLexemes[index] { return known }
        let lexeme = regex(ofLexeme: index).flatMap { vocabulary.sharedMasks.lexeme($0) }
        sharedLexemes[index] = lexeme
        return lexeme
    }

    public init(_ grammar: Grammar) throws {
        self.grammar = grammar
        tables = ParserTables(grammar)
        var regexes = grammar.lexemes.map(\.regex)
        if let skip = grammar.skip {
            skipLexeme = regexes.count
            regexes.append(skip)
        } else {
            skipLexeme = nil
        }
        dfa = try LexemeDFA(lexemes: regexes)
    }

    /// The masks of lexer state `state`, reached by `bytes` of the current lexeme: the shared entry
    /// of the only lexeme that can still match there (`single`; the frontier's states are then
    /// states of its own automaton), else the union of a few such lexemes' shared entries
    /// (`LexerStateMasks.union`), else the grammar's own walk (for one vocabulary: a grammar
    /// used with another starts over). Kept per state: the shared entry depends only on what the
    /// lexeme still accepts, which the state fixes, not on the bytes that led there.
    func masks(for state: LexemeDFA.StateID, atStart: Bool, bytes: ArraySlice<UInt8>,
               vocabulary: TokenVocabulary) -> (LexerStateMasks.Entry, single: Int?) {
        if masksVocabulary != ObjectIdentifier(vocabulary) {
            masks = LexerStateMasks()
            resolvedMasks = [:]
            masksVocabulary = ObjectIdentifier(vocabulary)
        }
        let key = LexerStateMasks.Key(state: state, atStart: atStart)
        if let known = resolvedMasks[key] { return known }
        let resolved: (LexerStateMasks.Entry, single: Int?)
        let possible = dfa.possible(state)
        if !atStart, possible.count == 1, let lexeme = possible.first, let shared = sharedLexeme(lexeme, vocabulary: vocabulary),
           let entry = vocabulary.sharedMasks.entry(shared, after: bytes, vocabulary: vocabulary) {
            resolved = (entry, lexeme)
        } else if !atStart, possible.count <= Self.maxUnionLexemes, let parts = sharedEntries(possible, after: bytes, vocabulary: vocabulary) {
            resolved = (masks.entry(state, atStart: false) {
                LexerStateMasks.union(of: parts, from: state, dfa: dfa, vocabulary: vocabulary)
            }, nil)
        } else {
            resolved = (masks.entry(state, atStart: atStart, dfa: dfa, vocabulary: vocabulary), nil)
        }
        resolvedMasks[key] = resolved
        return resolved
    }

    /// Past this many lexemes a state's masks come from a walk of the trie rather than the union
    /// of each lexeme's shared masks (each costs a copy of the bitmask, and a walk if new).
    static let maxUnionLexemes = 8

    /// The shared masks of each of `lexemes` after `bytes`, or nil when one has none.
    func sharedEntries(_ lexemes: LexemeSet, after bytes: ArraySlice<UInt8>, vocabulary: TokenVocabulary) -> [LexerStateMasks.Entry]? {
        var entries: [LexerStateMasks.Entry] = []
        for lexeme in lexemes {
            guard let shared = sharedLexeme(lexeme, vocabulary: vocabulary),
                  let entry = vocabulary.sharedMasks.entry(shared, after: bytes, vocabulary: vocabulary) else { return nil }
            entries.append(entry)
        }
        return entries
    }

    /// The lexer's start state for the lexemes `parser` allows next (and the skip lexeme when some
    /// lexeme may follow), kept in the parser's current set after the first time.
    func startState(for parser: inout EarleyParser) -> LexemeDFA.StateID {
        let cached = parser.lexerStart
        if cached >= 0 { return LexemeDFA.StateID(rawValue: cached) }
        var allowed = LexemeSet(parser.allowedLexemes)
        // No skip text once nothing can follow (unless the grammar says so): after a complete
        // JSON value the output ends instead of running on in whitespace until max_tokens.
        if let skipLexeme, !allowed.isEmpty || grammar.skipAfterEnd { _ = allowed.insert(skipLexeme) }
        let state = dfa.startState(allowed: allowed)
        parser.lexerStart = state.rawValue
        return state
    }
}
