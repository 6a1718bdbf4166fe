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

    /// The lexer's start state for the lexemes `parser` allows next (and the skip lexeme).
    func startState(for parser: EarleyParser) -> LexemeDFA.StateID {
        var allowed = LexemeSet()
        for lexeme in parser.allowedLexemes { allowed.insert(lexeme) }
        if let skipLexeme { allowed.insert(skipLexeme) }
        return dfa.startState(allowed: allowed)
    }
}
