/// The right-hand side of a grammar rule as written (EBNF / GBNF or Lark), before lowering to a
/// `Grammar`: text atoms are already regexes; rule references are still names, resolved by
/// `EBNFLowering`, which decides which parts become lexemes.
indirect enum EBNFExpression: Sendable, Hashable {
    /// Text matched as a whole: a string literal, a character class, `.`, a Lark `/regex/` or range.
    /// `name` is how it was written, for lexeme names.
    case atom(RegexNode, name: String)
    /// A use of the rule `name`, written at `offset` (in scalars).
    case reference(String, offset: Int)
    /// The parts in order (empty: the empty string).
    case sequence([EBNFExpression])
    /// One of the branches.
    case alternation([EBNFExpression])
    /// `min` to `max` repetitions of the body (`max` nil: unbounded), written at `offset`.
    case repetition(EBNFExpression, min: Int, max: Int?, offset: Int)

    static let empty = EBNFExpression.sequence([])
}

/// One rule definition: `name ::= body` (EBNF) or `name: body` (Lark).
struct EBNFRuleDefinition: Sendable, Hashable {
    var name: String
    var body: EBNFExpression
    /// Where the name was written, in scalars.
    var offset: Int
    /// A Lark terminal (an upper-case name): always one lexeme, never a rule of the parser.
    var isTerminal = false
}
