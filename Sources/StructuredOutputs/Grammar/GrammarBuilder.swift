/// Builds a `Grammar` incrementally: lexemes are shared by value (the same regex is one lexeme),
/// and a rule can be declared before it is defined (for recursion such as `$ref`).
public struct GrammarBuilder: Sendable {
    public private(set) var lexemes: [Grammar.Lexeme] = []
    public private(set) var rules: [Grammar.Rule] = []
    private var lexemeIndex: [RegexNode: Int] = [:]

    public init() {}

    /// The lexeme for `regex` (one per distinct regex).
    public mutating func lexeme(_ regex: RegexNode, name: String) -> Grammar.Symbol {
        // One lookup (hashing a large regex tree is a visible share of a schema's compile time):
        // the index is `count` when the regex is new, which the default subscript stores.
        let count = lexemes.count
        let index = Self.storedIndex(&lexemeIndex[regex, default: count])
        if index == count { lexemes.append(Grammar.Lexeme(name: name, regex: regex)) }
        return .lexeme(Grammar.LexemeID(index))
    }

    private static func storedIndex(_ index: inout Int) -> Int { index }

    /// A new rule with no alternatives yet; give them with `define`.
    public mutating func declare(_ name: String) -> Grammar.RuleID {
        rules.append(Grammar.Rule(name: name, alternatives: []))
        return Grammar.RuleID(rules.count - 1)
    }

    public mutating func define(_ rule: Grammar.RuleID, _ alternatives: [[Grammar.Symbol]]) {
        rules[rule.index].alternatives = alternatives
    }

    /// A new rule with these alternatives.
    public mutating func rule(_ name: String, _ alternatives: [[Grammar.Symbol]]) -> Grammar.Symbol {
        let id = declare(name)
        define(id, alternatives)
        return .rule(id)
    }

    public func build(start: Grammar.RuleID, skip: RegexNode?, skipAfterEnd: Bool = false) -> Grammar {
        Grammar(lexemes: lexemes, rules: rules, start: start, skip: skip, skipAfterEnd: skipAfterEnd)
    }
}
