/// A grammar's rules flattened for the Earley parser: productions with their right-hand sides in
/// one array, symbols as integers (a rule `r` as `r`, a lexeme `l` as `-l - 1`), which rules can
/// match nothing, and an added start production `start' -> start` whose completion means accept.
struct ParserTables: Sendable {
    /// Per production: its rule, and where its right-hand side lies in `symbols`.
    let lhs: [Int32]
    let rhsStart: [Int32]
    let rhsCount: [Int32]
    let symbols: [Int32]
    /// Per rule: its productions.
    let productions: [[Int32]]
    /// Per rule: whether it derives the empty string.
    let nullable: [Bool]
    /// The added production `start' -> start`.
    let startProduction: Int32
    let numLexemes: Int

    init(_ grammar: Grammar) {
        var lhs: [Int32] = [], rhsStart: [Int32] = [], rhsCount: [Int32] = [], symbols: [Int32] = []
        var productions = [[Int32]](repeating: [], count: grammar.rules.count + 1)
        func add(rule: Int, _ rhs: [Int32]) {
            productions[rule].append(Int32(lhs.count))
            lhs.append(Int32(rule))
            rhsStart.append(Int32(symbols.count))
            rhsCount.append(Int32(rhs.count))
            symbols += rhs
        }
        for (index, rule) in grammar.rules.enumerated() {
            for alternative in rule.alternatives {
                add(rule: index, alternative.map { symbol in
                    switch symbol {
                    case .rule(let id): return Int32(id.index)
                    case .lexeme(let id): return Int32(-id.index - 1)
                    }
                })
            }
        }
        let startRule = grammar.rules.count
        startProduction = Int32(lhs.count)
        add(rule: startRule, [Int32(grammar.start.index)])
        self.lhs = lhs
        self.rhsStart = rhsStart
        self.rhsCount = rhsCount
        self.symbols = symbols
        self.productions = productions
        numLexemes = grammar.lexemes.count
        // Nullable rules by fixpoint: a rule is nullable when some production's symbols all are.
        var nullable = [Bool](repeating: false, count: productions.count)
        var changed = true
        while changed {
            changed = false
            for production in 0..<lhs.count where !nullable[Int(lhs[production])] {
                let start = Int(rhsStart[production])
                let all = (start..<start + Int(rhsCount[production])).allSatisfy { symbols[$0] >= 0 && nullable[Int(symbols[$0])] }
                if all {
                    nullable[Int(lhs[production])] = true
                    changed = true
                }
            }
        }
        self.nullable = nullable
    }

    /// The symbol after the dot, or nil at the end of the production.
    @inline(__always) func symbol(after dot: Int32, in production: Int32) -> Int32? {
        dot < rhsCount[Int(production)] ? symbols[Int(rhsStart[Int(production)] + dot)] : nil
    }
}
