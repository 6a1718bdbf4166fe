/// Turns rule definitions into a `Grammar`: which text becomes one lexeme, which stays a rule.
///
/// The matcher lexes greedily (a lexeme goes on while the next byte can extend it), so every
/// lexeme boundary is a place where it can choose wrong: in `root ::= [a-z]* "x"` with one
/// lexeme per literal and class, `[a-z]*` would swallow the `x`. So the lowering puts as few
/// boundaries as it can: a rule that is not recursive (no cycle of references goes through it)
/// is regular, and every maximal regular part of a rule, with the regular rules it uses inlined,
/// becomes ONE lexeme, matched exactly by the lexer's automaton. Boundaries are left only where a
/// recursive rule is used. The caveat that remains, at those boundaries, is described in
/// `EBNFSyntax`.
///
/// Two exceptions keep grammars bounded: a regular rule larger than `EBNFSyntax.maxInlineSize`
/// (or nested deeper than `maxInlineDepth`) is kept as its own rule rather than copied into every
/// use, and the whole grammar (lexeme sizes and rule symbols) is capped by `maxGrammarSize`.
///
/// With a skip regex between lexemes (Lark's `%ignore`), rules are never merged into lexemes, as
/// ignored text may come between their parts: each literal, class, regex and terminal is a lexeme.
struct EBNFLowering {
    /// A rule body with what is regular already one regex.
    indirect enum Piece {
        /// One regex (`size` as `RegexNode.lexemeSize` counts it, `depth` its tree depth).
        case regular(RegexNode, size: Int, depth: Int)
        /// A use of rule `index` that is not inlined.
        case rule(Int)
        case sequence([Piece])
        case alternation([Piece])
        case repetition(Piece, min: Int, max: Int?)
    }

    private let definitions: [EBNFRuleDefinition]
    private let scanner: EBNFScanner
    /// Lexemes are atoms only, with `skip` between them.
    private let tokenLevel: Bool
    private var index: [String: Int] = [:]
    /// Per rule: its lowered body, and its regex when it is inlined where it is used.
    private var pieces: [Piece?]
    private var inlined: [Piece?]
    private var builder = GrammarBuilder()
    private var ruleIDs: [Int: Grammar.RuleID] = [:]
    private var pending: [Int] = []
    private var budget = EBNFSyntax.maxGrammarSize
    /// The rule being emitted, for names and error positions.
    private var current = 0
    private var auxiliaryCount = 0

    private static let sizeCap = Int(Int32.max)

    init(_ definitions: [EBNFRuleDefinition], scanner: EBNFScanner, tokenLevel: Bool) throws(GrammarSyntaxError) {
        self.definitions = definitions
        self.scanner = scanner
        self.tokenLevel = tokenLevel
        pieces = Array(repeating: nil, count: definitions.count)
        inlined = pieces
        for (position, definition) in definitions.enumerated() {
            if let first = index[definition.name] {
                let line = scanner.location(definitions[first].offset).line
                throw scanner.error(.duplicateRule, "rule '\(definition.name)' is defined twice (first at line \(line))", at: definition.offset)
            }
            index[definition.name] = position
        }
        var edges: [[Int]] = []
        for definition in definitions {
            var targets: [Int] = []
            try collectReferences(definition.body, from: definition, into: &targets)
            edges.append(targets)
        }
        for component in EBNFRuleGraph.stronglyConnectedComponents(edges) {
            let recursive = component.count > 1 || edges[component[0]].contains(component[0])
            for rule in component { try analyze(rule, recursive: recursive) }
        }
    }

    /// The grammar whose start rule is `start`.
    mutating func build(start: String, skip: RegexNode?) throws(GrammarSyntaxError) -> Grammar {
        guard let startIndex = index[start] else {
            throw scanner.error(.missingStartRule, "the grammar has no '\(start)' rule", at: 0)
        }
        let startID = ruleID(startIndex)
        while let rule = pending.popLast() {
            current = rule
            guard let id = ruleIDs[rule], let piece = pieces[rule] else { continue }
            builder.define(id, try alternatives(piece))
        }
        // Ignored text may also end the text, as Lark reads it.
        return builder.build(start: startID, skip: skip, skipAfterEnd: skip != nil)
    }

    /// The regex of a rule that is inlined (a Lark terminal), for `%ignore`.
    func regex(ofRule name: String) -> RegexNode? {
        guard let rule = index[name], case .regular(let node, _, _)? = inlined[rule] else { return nil }
        return node
    }

    // MARK: Analysis

    private func collectReferences(_ expression: EBNFExpression, from definition: EBNFRuleDefinition, into targets: inout [Int]) throws(GrammarSyntaxError) {
        switch expression {
        case .atom:
            break
        case .reference(let name, let offset):
            guard let target = index[name] else {
                throw scanner.error(.undefinedRule, "rule '\(name)' is not defined", at: offset)
            }
            if definition.isTerminal && !definitions[target].isTerminal {
                throw scanner.error(.invalid, "terminal '\(definition.name)' uses the rule '\(name)'; a terminal can use terminals only", at: offset)
            }
            targets.append(target)
        case .sequence(let parts), .alternation(let parts):
            for part in parts { try collectReferences(part, from: definition, into: &targets) }
        case .repetition(let body, _, _, _):
            try collectReferences(body, from: definition, into: &targets)
        }
    }

    /// Lowers rule `rule` (every rule it uses that is not in its own cycle is done) and decides
    /// whether it is inlined.
    private mutating func analyze(_ rule: Int, recursive: Bool) throws(GrammarSyntaxError) {
        let definition = definitions[rule]
        let merge = !tokenLevel || definition.isTerminal
        let piece = lower(definition.body, merge: merge)
        pieces[rule] = piece
        guard case .regular(_, let size, let depth) = piece, !recursive else {
            if definition.isTerminal {
                throw scanner.error(.invalid, "terminal '\(definition.name)' is recursive; a terminal must be regular", at: definition.offset)
            }
            return
        }
        if tokenLevel && !definition.isTerminal { return }
        if size <= EBNFSyntax.maxInlineSize && depth <= EBNFSyntax.maxInlineDepth {
            inlined[rule] = piece
        } else if definition.isTerminal {
            throw scanner.error(.tooLarge, "terminal '\(definition.name)' is larger than \(EBNFSyntax.maxInlineSize) or nested deeper than \(EBNFSyntax.maxInlineDepth)", at: definition.offset)
        }
    }

    private func lower(_ expression: EBNFExpression, merge: Bool) -> Piece {
        switch expression {
        case .atom(let node, _):
            return .regular(node, size: node.lexemeSize(limit: Self.sizeCap), depth: 1)
        case .reference(let name, _):
            // Every reference was found by `collectReferences`.
            guard let rule = index[name] else { return .sequence([]) }
            return inlined[rule] ?? .rule(rule)
        case .sequence(let parts):
            var lowered: [Piece] = []
            for part in parts {
                let piece = lower(part, merge: merge)
                if case .sequence(let inner) = piece { lowered += inner } else { lowered.append(piece) }
            }
            if merge { lowered = Self.mergeRuns(lowered) }
            return lowered.count == 1 ? lowered[0] : (lowered.isEmpty && merge ? .regular(.empty, size: 1, depth: 1) : .sequence(lowered))
        case .alternation(let branches):
            var regular: [Piece] = []
            var other: [Piece] = []
            for branch in branches {
                let piece = lower(branch, merge: merge)
                if case .regular = piece { regular.append(piece) } else { other.append(piece) }
            }
            if regular.count > 1 { regular = [Self.combine(regular, as: RegexNode.alternation)] }
            let all = regular + other
            return all.count == 1 ? all[0] : .alternation(all)
        case .repetition(let body, let min, let max, _):
            let piece = lower(body, merge: merge)
            if merge, case .regular(let node, let size, let depth) = piece {
                let copies = Swift.max(max ?? (min + 1), 1)
                let (total, overflow) = size.multipliedReportingOverflow(by: copies)
                return .regular(.repetition(node, min: min, max: max), size: Swift.min(overflow ? Self.sizeCap : total + 1, Self.sizeCap), depth: depth + 1)
            }
            return .repetition(piece, min: min, max: max)
        }
    }

    /// Consecutive regular pieces as one concatenation.
    private static func mergeRuns(_ pieces: [Piece]) -> [Piece] {
        var result: [Piece] = []
        var run: [Piece] = []
        for piece in pieces {
            if case .regular = piece { run.append(piece); continue }
            if !run.isEmpty { result.append(combine(run, as: RegexNode.concat)); run = [] }
            result.append(piece)
        }
        if !run.isEmpty { result.append(combine(run, as: RegexNode.concat)) }
        return result
    }

    private static func combine(_ pieces: [Piece], as make: ([RegexNode]) -> RegexNode) -> Piece {
        if pieces.count == 1 { return pieces[0] }
        var nodes: [RegexNode] = []
        var size = 1
        var depth = 0
        for case .regular(let node, let partSize, let partDepth) in pieces {
            nodes.append(node)
            size = Swift.min(size + partSize, sizeCap)
            depth = Swift.max(depth, partDepth)
        }
        return .regular(make(nodes), size: size, depth: depth + 1)
    }

    // MARK: Emission

    private mutating func ruleID(_ rule: Int) -> Grammar.RuleID {
        if let id = ruleIDs[rule] { return id }
        let id = builder.declare(definitions[rule].name)
        ruleIDs[rule] = id
        pending.append(rule)
        return id
    }

    private mutating func alternatives(_ piece: Piece) throws(GrammarSyntaxError) -> [[Grammar.Symbol]] {
        switch piece {
        case .regular(let node, _, _):
            return try lexemeAlternatives(node)
        case .alternation(let branches):
            var result: [[Grammar.Symbol]] = []
            for branch in branches { result += try alternatives(branch) }
            return result
        default:
            return [try symbols(piece)]
        }
    }

    private mutating func symbols(_ piece: Piece) throws(GrammarSyntaxError) -> [Grammar.Symbol] {
        switch piece {
        case .regular(let node, _, _):
            let alternatives = try lexemeAlternatives(node)
            if alternatives.count == 1 { return alternatives[0] }
            return [try auxiliary(alternatives)]
        case .rule(let rule):
            try spend(1)
            return [.rule(ruleID(rule))]
        case .sequence(let parts):
            var result: [Grammar.Symbol] = []
            for part in parts { result += try symbols(part) }
            return result
        case .alternation:
            return [try auxiliary(try alternatives(piece))]
        case .repetition(let body, let min, let max):
            return try repetition(body, min: min, max: max)
        }
    }

    /// `body{min,max}` as rules: `min` copies, then a left-recursive star or a chain of optionals.
    private mutating func repetition(_ body: Piece, min: Int, max: Int?) throws(GrammarSyntaxError) -> [Grammar.Symbol] {
        let bodySymbols = try symbols(body)
        if bodySymbols.isEmpty || max == 0 { return [] }
        let unit = bodySymbols.count == 1 ? bodySymbols[0] : try auxiliary([bodySymbols])
        try spend(min)
        var result = [Grammar.Symbol](repeating: unit, count: min)
        if let max {
            var tail: Grammar.Symbol?
            for _ in 0..<(max - min) {
                tail = try auxiliary([[unit] + (tail.map { [$0] } ?? []), []])
            }
            if let tail { result.append(tail) }
        } else {
            let star = builder.declare(auxiliaryName())
            try spend(3)
            builder.define(star, [[.rule(star), unit], []])
            result.append(.rule(star))
        }
        return result
    }

    /// A lexeme for `node`, as alternatives: the matcher takes no empty lexeme, so a regex that
    /// matches the empty string is "its non-empty part, or nothing".
    private mutating func lexemeAlternatives(_ node: RegexNode) throws(GrammarSyntaxError) -> [[Grammar.Symbol]] {
        // Within the budget before anything walks the whole tree.
        try checkSize(node)
        guard node.matchesEmpty else { return [[try lexeme(node)]] }
        let nonEmpty = node.withoutEmpty
        return nonEmpty == .never ? [[]] : [[try lexeme(nonEmpty)], []]
    }

    private mutating func lexeme(_ node: RegexNode) throws(GrammarSyntaxError) -> Grammar.Symbol {
        try spend(try checkSize(node))
        return builder.lexeme(node, name: definitions[current].name)
    }

    /// The size of `node`, or the error when it is over what the budget has left.
    @discardableResult
    private func checkSize(_ node: RegexNode) throws(GrammarSyntaxError) -> Int {
        let size = node.lexemeSize(limit: budget)
        guard size <= budget else { throw tooLarge() }
        return size
    }

    private mutating func auxiliary(_ alternatives: [[Grammar.Symbol]]) throws(GrammarSyntaxError) -> Grammar.Symbol {
        try spend(alternatives.reduce(1) { $0 + $1.count })
        return builder.rule(auxiliaryName(), alternatives)
    }

    private mutating func auxiliaryName() -> String {
        auxiliaryCount += 1
        return "\(definitions[current].name)#\(auxiliaryCount)"
    }

    private mutating func spend(_ amount: Int) throws(GrammarSyntaxError) {
        budget -= amount
        guard budget >= 0 else { throw tooLarge() }
    }

    private func tooLarge() -> GrammarSyntaxError {
        scanner.error(.tooLarge, "the grammar is too large: more than \(EBNFSyntax.maxGrammarSize) units of lexemes and rules (while lowering '\(definitions[current].name)')", at: definitions[current].offset)
    }
}
