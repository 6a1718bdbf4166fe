/// An Earley recognizer over lexemes: one set of dotted items per lexeme boundary, kept on a stack
/// so that the matcher can scan speculatively and pop (token masks) or roll back accepted tokens.
/// Any context-free grammar works, ambiguous and left-recursive ones included; nullable rules are
/// handled by advancing over them at prediction (Aycock and Horspool's fix).
struct EarleyParser {
    struct Item: Hashable {
        var production: Int32
        var dot: Int32
        var origin: Int32
    }

    /// One Earley set with the indexes the next steps need.
    struct ItemSet {
        var items: [Item] = []
        var seen: Set<Item> = []
        /// Items whose next symbol is this rule (for completion), by rule.
        var waitingOnRule: [Int32: [Int32]] = [:]
        /// Items whose next symbol is this lexeme (for scanning), by lexeme.
        var waitingOnLexeme: [Int32: [Int32]] = [:]
        /// Whether the added start production is complete from set 0 here.
        var accepts = false
    }

    let tables: ParserTables
    private(set) var sets: [ItemSet] = []

    init(tables: ParserTables) {
        self.tables = tables
        var first = ItemSet()
        Self.add(Item(production: tables.startProduction, dot: 0, origin: 0), to: &first)
        close(&first, index: 0)
        sets.append(first)
    }

    var depth: Int { sets.count }

    /// Whether the whole input so far is a sentence of the grammar.
    var accepts: Bool { sets[sets.count - 1].accepts }

    /// The lexemes the parser can take next, as indices (in no particular order).
    var allowedLexemes: [Int] { sets[sets.count - 1].waitingOnLexeme.keys.map { Int($0) } }

    func allows(lexeme: Int) -> Bool { sets[sets.count - 1].waitingOnLexeme[Int32(lexeme)] != nil }

    /// Takes one lexeme position matched by any of `lexemes` (several when they matched the same
    /// text: the parse keeps every reading). Returns false, changing nothing, when none fits.
    mutating func scan(_ lexemes: some Sequence<Int>) -> Bool {
        let current = sets.count - 1
        var next = ItemSet()
        for lexeme in lexemes {
            guard let waiting = sets[current].waitingOnLexeme[Int32(lexeme)] else { continue }
            for index in waiting {
                var item = sets[current].items[Int(index)]
                item.dot += 1
                Self.add(item, to: &next)
            }
        }
        guard !next.items.isEmpty else { return false }
        close(&next, index: sets.count)
        sets.append(next)
        return true
    }

    /// Drops the sets above `depth` (undoing scans).
    mutating func pop(to depth: Int) {
        if sets.count > depth { sets.removeLast(sets.count - depth) }
    }

    private static func add(_ item: Item, to set: inout ItemSet) {
        if set.seen.insert(item).inserted { set.items.append(item) }
    }

    /// Predicts and completes until `set`, which will be set `index` (not yet on the stack), is closed.
    private func close(_ set: inout ItemSet, index: Int) {
        var position = 0
        while position < set.items.count {
            let item = set.items[position]
            if let symbol = tables.symbol(after: item.dot, in: item.production) {
                if symbol < 0 {
                    set.waitingOnLexeme[-symbol - 1, default: []].append(Int32(position))
                } else {
                    let isNew = set.waitingOnRule[symbol] == nil
                    set.waitingOnRule[symbol, default: []].append(Int32(position))
                    if isNew {
                        for production in tables.productions[Int(symbol)] {
                            Self.add(Item(production: production, dot: 0, origin: Int32(index)), to: &set)
                        }
                    }
                    if tables.nullable[Int(symbol)] {
                        Self.add(Item(production: item.production, dot: item.dot + 1, origin: item.origin), to: &set)
                    }
                }
            } else {
                // Complete: advance every item of the origin set waiting on this rule.
                let rule = tables.lhs[Int(item.production)]
                if item.production == tables.startProduction && item.origin == 0 { set.accepts = true }
                if Int(item.origin) == index {
                    // Items of this same set: those found so far; later ones are advanced when
                    // they are added (nullable rules are advanced over at prediction).
                    for waiting in set.waitingOnRule[rule] ?? [] {
                        var advanced = set.items[Int(waiting)]
                        advanced.dot += 1
                        Self.add(advanced, to: &set)
                    }
                } else {
                    for waiting in sets[Int(item.origin)].waitingOnRule[rule] ?? [] {
                        var advanced = sets[Int(item.origin)].items[Int(waiting)]
                        advanced.dot += 1
                        Self.add(advanced, to: &set)
                    }
                }
            }
            position += 1
        }
    }
}
