extension GrammarBuilder {
    /// A grammar placed inside this one (a JSON Schema's grammar as one part of a structural tag).
    public struct Embedding: Sendable {
        /// Derives the embedded grammar's language (its skip text only between its lexemes).
        public var symbol: Grammar.Symbol
        /// Its skip text or nothing (nil when it has no skip text), for the caller to allow
        /// around the embedded part where the grammar alone would.
        public var optionalSkip: Grammar.Symbol?
    }

    /// Copies `grammar`'s lexemes and rules into this builder. A grammar's skip text is global,
    /// so it cannot travel as such: it becomes an optional lexeme between every two symbols of
    /// each copied rule, which is where the matcher would skip it.
    public mutating func embed(_ grammar: Grammar, name: String) -> Embedding {
        let lexemeSymbols = grammar.lexemes.map { lexeme($0.regex, name: $0.name) }
        let ruleIDs = grammar.rules.map { declare("\(name).\($0.name)") }
        var optionalSkip: Grammar.Symbol?
        if let skip = grammar.skip, skip != .never {
            let nonEmpty = skip.withoutEmpty
            let alternatives: [[Grammar.Symbol]] = nonEmpty == .never ? [[]] : [[lexeme(nonEmpty, name: "\(name).skip")], []]
            optionalSkip = rule("\(name).skip?", alternatives)
        }
        for (index, rule) in grammar.rules.enumerated() {
            define(ruleIDs[index], rule.alternatives.map { alternative in
                var symbols: [Grammar.Symbol] = []
                for (position, symbol) in alternative.enumerated() {
                    if position > 0, let optionalSkip { symbols.append(optionalSkip) }
                    switch symbol {
                    case .lexeme(let id): symbols.append(lexemeSymbols[id.index])
                    case .rule(let id): symbols.append(.rule(ruleIDs[id.index]))
                    }
                }
                return symbols
            })
        }
        return Embedding(symbol: .rule(ruleIDs[grammar.start.index]), optionalSkip: optionalSkip)
    }
}
