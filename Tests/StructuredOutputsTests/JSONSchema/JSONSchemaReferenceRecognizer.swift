@testable import StructuredOutputs

/// A slow reference for tests: whether a `Grammar` derives a text. Earley over the text's Unicode
/// scalars, where a lexeme at position i is scanned to every j such that text[i..<j] matches its
/// regex, and one match of the skip regex may stand before, between and after lexemes. Regexes are matched by
/// sets of positions (not derivatives, not automata), so it shares no code with what it checks.
struct ReferenceRecognizer {
    let grammar: Grammar

    init(_ grammar: Grammar) { self.grammar = grammar }

    private struct Item: Hashable {
        var rule: Int
        var alternative: Int
        var dot: Int
        var origin: Int
    }

    func accepts(_ text: String) -> Bool { parse(text).accepted }

    /// The last lexeme boundary the parse reached (for messages about where a text goes wrong).
    func lastBoundary(_ text: String) -> Int { parse(text).lastBoundary }

    private func parse(_ text: String) -> (accepted: Bool, lastBoundary: Int) {
        let scalars = text.unicodeScalars.map(\.value)
        let matcher = PositionMatcher(text: scalars)
        let count = scalars.count
        var charts: [[Item]] = Array(repeating: [], count: count + 1)
        var seen: [Set<Item>] = Array(repeating: [], count: count + 1)
        // Per position: items by the rule they wait on, and rules completed there from there.
        var waiting: [[Int: [Item]]] = Array(repeating: [:], count: count + 1)
        var emptyCompleted: [Set<Int>] = Array(repeating: [], count: count + 1)
        var lexemeEnds: [Int: [Int: Set<Int>]] = [:]
        var skipMemo: [Int: Set<Int>] = [:]
        func skipEnds(_ position: Int) -> Set<Int> {
            guard let skip = grammar.skip else { return [position] }
            if let known = skipMemo[position] { return known }
            let ends = matcher.ends(skip, from: [position]).union([position])
            skipMemo[position] = ends
            return ends
        }
        func add(_ item: Item, at position: Int) {
            if seen[position].insert(item).inserted { charts[position].append(item) }
        }
        let starts = skipEnds(0)
        let start = grammar.start.index
        for position in starts {
            for index in grammar.rules[start].alternatives.indices {
                add(Item(rule: start, alternative: index, dot: 0, origin: position), at: position)
            }
        }
        for position in 0...count {
            var cursor = 0
            while cursor < charts[position].count {
                let item = charts[position][cursor]
                cursor += 1
                let symbols = grammar.rules[item.rule].alternatives[item.alternative]
                if item.dot == symbols.count {
                    if item.origin == position { emptyCompleted[position].insert(item.rule) }
                    for parent in waiting[item.origin][item.rule] ?? [] {
                        add(Item(rule: parent.rule, alternative: parent.alternative, dot: parent.dot + 1, origin: parent.origin), at: position)
                    }
                    continue
                }
                let advanced = Item(rule: item.rule, alternative: item.alternative, dot: item.dot + 1, origin: item.origin)
                switch symbols[item.dot] {
                case .rule(let id):
                    waiting[position][id.index, default: []].append(item)
                    for index in grammar.rules[id.index].alternatives.indices {
                        add(Item(rule: id.index, alternative: index, dot: 0, origin: position), at: position)
                    }
                    if emptyCompleted[position].contains(id.index) { add(advanced, at: position) }
                case .lexeme(let id):
                    let ends: Set<Int>
                    if let known = lexemeEnds[id.index]?[position] {
                        ends = known
                    } else {
                        ends = matcher.ends(grammar.lexemes[id.index].regex, from: [position])
                        lexemeEnds[id.index, default: [:]][position] = ends
                    }
                    for end in ends where end > position {
                        for next in skipEnds(end) { add(advanced, at: next) }
                    }
                }
            }
        }
        let accepted = charts[count].contains { item in
            item.rule == start && starts.contains(item.origin)
                && item.dot == grammar.rules[start].alternatives[item.alternative].count
        }
        return (accepted, charts.lastIndex { !$0.isEmpty } ?? 0)
    }
}

/// Matches a `RegexNode` against a text from a set of start positions, giving every end position.
struct PositionMatcher {
    let text: [UInt32]

    func ends(_ node: RegexNode, from starts: Set<Int>) -> Set<Int> {
        if starts.isEmpty { return [] }
        switch node {
        case .empty: return starts
        case .never: return []
        case .literal(let literal):
            let scalars = literal.unicodeScalars.map(\.value)
            return Set(starts.filter { start in
                start + scalars.count <= text.count && Array(text[start..<(start + scalars.count)]) == scalars
            }.map { $0 + scalars.count })
        case .scalars(let ranges):
            return Set(starts.filter { start in start < text.count && ranges.contains { $0.contains(text[start]) } }.map { $0 + 1 })
        case .bytes(let ranges):
            return Set(starts.filter { start in
                start < text.count && text[start] < 0x80 && ranges.contains { $0.contains(UInt8(text[start])) }
            }.map { $0 + 1 })
        case .concat(let parts):
            return parts.reduce(starts) { ends($1, from: $0) }
        case .alternation(let options):
            return options.reduce(into: Set<Int>()) { $0.formUnion(ends($1, from: starts)) }
        case .repetition(let inner, let min, let max):
            // Each round takes one more copy. A round that ends where it started has reached a
            // fixed point (a nullable inner regex only adds positions), so all later rounds agree.
            var result: Set<Int> = min == 0 ? starts : []
            var current = starts
            var round = 0
            while max.map({ round < $0 }) ?? true {
                round += 1
                let next = ends(inner, from: current)
                if next.isEmpty { break }
                if next == current {
                    result.formUnion(next)
                    break
                }
                if round >= min { result.formUnion(next) }
                current = next
            }
            return result
        }
    }
}
