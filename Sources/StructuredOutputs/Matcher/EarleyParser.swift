/// An Earley recognizer over lexemes: one set of dotted items per lexeme boundary, kept on a stack
/// so that the matcher can scan speculatively and pop (token masks) or roll back accepted tokens.
/// Any context-free grammar works, ambiguous and left-recursive ones included; nullable rules are
/// handled by advancing over them at prediction (Aycock and Horspool's fix).
///
/// Sets are small in practice (tens of items), so they are plain arrays searched linearly, with a
/// hash set only past `linearLimit` items: a scan, the hot operation of a mask, allocates one array.
struct EarleyParser {
    struct Item: Hashable {
        var production: Int32
        var dot: Int32
        var origin: Int32
    }

    /// One Earley set.
    struct ItemSet {
        var items: [Item] = []
        /// Built once `items` outgrows linear search.
        var seen: Set<Item>?
        /// Whether the added start production is complete from set 0 here.
        var accepts = false
        /// The lexemes whose items wait here (sorted, no repeats), set when the set is closed.
        var allowed: [Int32] = []
        /// The lexer start state for `allowed`, filled by the first caller that asks (raw value; -1: unknown).
        var lexerStart: Int32 = -1
    }

    static let linearLimit = 48

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

    /// The lexemes the parser can take next (sorted).
    var allowedLexemes: [Int] { sets[sets.count - 1].allowed.map { Int($0) } }

    /// The cached lexer start state of the current set (raw value), or -1.
    var lexerStart: Int32 {
        get { sets[sets.count - 1].lexerStart }
        set { sets[sets.count - 1].lexerStart = newValue }
    }

    func allows(lexeme: Int) -> Bool { sets[sets.count - 1].allowed.contains(Int32(lexeme)) }

    /// Takes one lexeme position matched by any of `lexemes` (several when they matched the same
    /// text: the parse keeps every reading). Returns false, changing nothing, when none fits.
    mutating func scan(_ lexemes: some Sequence<Int>) -> Bool {
        let current = sets[sets.count - 1]
        var next = ItemSet()
        for lexeme in lexemes {
            let symbol = Int32(-lexeme - 1)
            for item in current.items where tables.symbol(after: item.dot, in: item.production) == symbol {
                Self.add(Item(production: item.production, dot: item.dot + 1, origin: item.origin), to: &next)
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
        if set.seen == nil {
            if set.items.contains(item) { return }
            set.items.append(item)
            if set.items.count > linearLimit { set.seen = Set(set.items) }
        } else if set.seen!.insert(item).inserted {
            set.items.append(item)
        }
    }

    /// Predicts and completes until `set`, which will be set `index` (not yet on the stack), is
    /// closed; then records its allowed lexemes.
    private func close(_ set: inout ItemSet, index: Int) {
        var position = 0
        var predicted: [Int32] = []
        var allowed: [Int32] = []
        while position < set.items.count {
            let item = set.items[position]
            position += 1
            if let symbol = tables.symbol(after: item.dot, in: item.production) {
                if symbol < 0 {
                    if !allowed.contains(-symbol - 1) { allowed.append(-symbol - 1) }
                    continue
                }
                if !predicted.contains(symbol) {
                    predicted.append(symbol)
                    for production in tables.productions[Int(symbol)] {
                        Self.add(Item(production: production, dot: 0, origin: Int32(index)), to: &set)
                    }
                }
                if tables.nullable[Int(symbol)] {
                    Self.add(Item(production: item.production, dot: item.dot + 1, origin: item.origin), to: &set)
                }
                continue
            }
            // Complete: advance every item of the origin set waiting on this rule.
            let rule = tables.lhs[Int(item.production)]
            if item.production == tables.startProduction && item.origin == 0 { set.accepts = true }
            if Int(item.origin) == index {
                // Items of this same set: those found so far (nullable rules are advanced over at
                // prediction, which covers the rest).
                var waiting = 0
                while waiting < set.items.count {
                    let candidate = set.items[waiting]
                    waiting += 1
                    if tables.symbol(after: candidate.dot, in: candidate.production) == rule {
                        Self.add(Item(production: candidate.production, dot: candidate.dot + 1, origin: candidate.origin), to: &set)
                    }
                }
            } else {
                for candidate in sets[Int(item.origin)].items where tables.symbol(after: candidate.dot, in: candidate.production) == rule {
                    Self.add(Item(production: candidate.production, dot: candidate.dot + 1, origin: candidate.origin), to: &set)
                }
            }
        }
        set.allowed = allowed.sorted()
    }
}
