extension Grammar {
    /// Exactly one of `choices` (vLLM's `choice`): one lexeme, no whitespace around it.
    public static func choice(_ choices: [String]) -> Grammar {
        single(.alternation(choices.map { RegexNode.literal($0) }), name: "choice")
    }

    /// Text matching `regex` as a whole: one lexeme.
    public static func regex(_ regex: RegexNode) -> Grammar {
        single(regex, name: "regex")
    }

    /// One lexeme for the whole text. The matcher never takes an empty lexeme, so a regex that
    /// matches the empty string becomes its non-empty part, or nothing.
    private static func single(_ regex: RegexNode, name: String) -> Grammar {
        var builder = GrammarBuilder()
        let start = builder.declare(name)
        let nonEmpty = regex.withoutEmpty
        var alternatives: [[Symbol]] = nonEmpty == .never ? [] : [[builder.lexeme(nonEmpty, name: name)]]
        if regex.matchesEmpty { alternatives.append([]) }
        builder.define(start, alternatives)
        return builder.build(start: start, skip: nil)
    }
}
