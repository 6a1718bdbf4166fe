/// Why lexemes cannot become an automaton within the limits that keep hostile constraints (huge
/// repetition counts, deep nesting, state explosions) from using unbounded memory, time or stack.
public enum LexemeAutomatonError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The byte NFA of the lexemes would need more than `limit` states (lexeme `lexeme` crossed it).
    case tooManyNFAStates(lexeme: Int, limit: Int)
    /// Lexeme `lexeme`'s regex tree is nested deeper than `limit`.
    case nestingTooDeep(lexeme: Int, limit: Int)
    /// Lexeme `lexeme` has a repetition with a negative minimum or a maximum below its minimum.
    case invalidRepetition(lexeme: Int, min: Int, max: Int?)
    /// The lazy DFA reached its cap of `limit` states.
    case tooManyDFAStates(limit: Int)

    public var description: String {
        switch self {
        case .tooManyNFAStates(let lexeme, let limit):
            return "the lexemes need more than \(limit) automaton states (at lexeme \(lexeme)); the constraint is too large"
        case .nestingTooDeep(let lexeme, let limit):
            return "lexeme \(lexeme) is nested deeper than \(limit) levels"
        case .invalidRepetition(let lexeme, let min, let max):
            return "lexeme \(lexeme) repeats from \(min) to \(max.map(String.init) ?? "unbounded") times, which is no range"
        case .tooManyDFAStates(let limit):
            return "the lexer automaton reached its limit of \(limit) states; the constraint is too complex"
        }
    }
}
