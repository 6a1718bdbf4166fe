extension Grammar {
    /// Exactly one of `choices` (vLLM's `choice`): one lexeme, no whitespace around it.
    public static func choice(_ choices: [String]) -> Grammar {
        var builder = GrammarBuilder()
        let lexeme = builder.lexeme(.alternation(choices.map { RegexNode.literal($0) }), name: "choice")
        let start = builder.declare("choice")
        builder.define(start, [[lexeme]])
        return builder.build(start: start, skip: nil)
    }

    /// Text matching `regex` as a whole: one lexeme.
    public static func regex(_ regex: RegexNode) -> Grammar {
        var builder = GrammarBuilder()
        let lexeme = builder.lexeme(regex, name: "regex")
        let start = builder.declare("regex")
        builder.define(start, [[lexeme]])
        return builder.build(start: start, skip: nil)
    }
}
