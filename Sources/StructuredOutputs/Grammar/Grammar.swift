/// A context-free grammar whose terminals are lexemes (regular expressions), the form every
/// constraint compiles to: a regex or a choice is one lexeme; JSON Schema and EBNF give rules.
///
/// The matcher lexes the output with the lexemes the parser allows at each point (with the skip
/// lexeme, such as JSON whitespace, allowed between any two), and parses the lexemes with an
/// Earley parser, so rules may be ambiguous or left-recursive.
public struct Grammar: Sendable, Hashable {
    public struct LexemeID: Hashable, Sendable { public var index: Int; public init(_ index: Int) { self.index = index } }
    public struct RuleID: Hashable, Sendable { public var index: Int; public init(_ index: Int) { self.index = index } }

    public enum Symbol: Hashable, Sendable {
        case lexeme(LexemeID)
        case rule(RuleID)
    }

    public struct Lexeme: Hashable, Sendable {
        /// For messages and debugging ("string", "\"name\"", "number").
        public var name: String
        public var regex: RegexNode
        public init(name: String, regex: RegexNode) {
            self.name = name
            self.regex = regex
        }
    }

    public struct Rule: Hashable, Sendable {
        public var name: String
        /// Each alternative is a sequence of symbols; an empty sequence matches nothing (epsilon).
        public var alternatives: [[Symbol]]
        public init(name: String, alternatives: [[Symbol]]) {
            self.name = name
            self.alternatives = alternatives
        }
    }

    public var lexemes: [Lexeme]
    public var rules: [Rule]
    public var start: RuleID
    /// Text allowed before and between lexemes and not passed to the parser (JSON's
    /// whitespace), or nil for none.
    public var skip: RegexNode?
    /// Whether skip text may also follow the last lexeme (Lark's `%ignore`). Off for JSON: after a
    /// complete value the output ends, instead of running on in whitespace as greedy models do.
    public var skipAfterEnd: Bool

    public init(lexemes: [Lexeme], rules: [Rule], start: RuleID, skip: RegexNode?, skipAfterEnd: Bool = false) {
        self.lexemes = lexemes
        self.rules = rules
        self.start = start
        self.skip = skip
        self.skipAfterEnd = skipAfterEnd
    }
}
