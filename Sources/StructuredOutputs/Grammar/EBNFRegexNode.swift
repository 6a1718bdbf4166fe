/// What lowering a grammar needs of its lexemes' regexes: the matcher never takes an empty
/// lexeme (a lexeme ends only after a byte), so a regex that matches the empty string becomes
/// "its non-empty part, or nothing" in the grammar.
extension RegexNode {
    /// Whether the regex matches the empty string.
    var matchesEmpty: Bool {
        switch self {
        case .empty: return true
        case .never, .scalars, .bytes: return false
        case .literal(let text): return text.isEmpty
        case .concat(let parts): return parts.allSatisfy(\.matchesEmpty)
        case .alternation(let branches): return branches.contains(where: \.matchesEmpty)
        case .repetition(let body, let min, let max): return min == 0 || max == 0 || body.matchesEmpty
        }
    }

    /// The regex of the non-empty strings this one matches (`never` when there are none).
    var withoutEmpty: RegexNode {
        guard matchesEmpty else { return self }
        switch self {
        case .empty, .never, .scalars, .bytes, .literal:
            return .never
        case .alternation(let branches):
            return Self.anyOf(branches.map(\.withoutEmpty))
        case .concat(let parts):
            return Self.withoutEmpty(concatenation: parts[...])
        case .repetition(let body, _, let max):
            // x{m,n} matching empty (m == 0 or x matches empty) is x{0,n}: a non-empty match is a
            // non-empty x, then up to n - 1 more.
            if max == 0 { return .never }
            let first = body.withoutEmpty
            if first == .never { return .never }
            return .concat([first, .repetition(body, min: 0, max: max.map { $0 - 1 })])
        }
    }

    /// The non-empty matches of `parts` in a row, every part matching empty: those of the first
    /// half then anything of the second, or nothing of the first half and those of the second.
    /// Halving keeps the result at n log n parts (one choice per part would be n squared).
    private static func withoutEmpty(concatenation parts: ArraySlice<RegexNode>) -> RegexNode {
        guard parts.count > 1 else { return parts.first?.withoutEmpty ?? .never }
        let middle = parts.startIndex + parts.count / 2
        let first = withoutEmpty(concatenation: parts[..<middle])
        let second = parts[middle...]
        let rest = second.count == 1 ? second[second.startIndex] : .concat(Array(second))
        return anyOf([first == .never ? .never : .concat([first, rest]), withoutEmpty(concatenation: second)])
    }

    private static func anyOf(_ branches: [RegexNode]) -> RegexNode {
        let live = branches.filter { $0 != .never }
        if live.isEmpty { return .never }
        return live.count == 1 ? live[0] : .alternation(live)
    }

    /// The regex's size as the NFA will see it (bytes of literals, scalar ranges, repetitions
    /// unrolled), counted up to `limit`: past it, the walk stops and returns `limit + 1`.
    func lexemeSize(limit: Int) -> Int {
        var budget = limit + 1
        countSize(budget: &budget)
        return limit + 1 - max(budget, 0)
    }

    private func countSize(budget: inout Int) {
        guard budget > 0 else { return }
        switch self {
        case .empty, .never:
            budget -= 1
        case .literal(let text):
            budget -= max(text.utf8.count, 1)
        case .scalars(let ranges):
            budget -= 4 * ranges.count
        case .bytes(let ranges):
            budget -= ranges.count
        case .concat(let parts), .alternation(let parts):
            budget -= 1
            for part in parts where budget > 0 { part.countSize(budget: &budget) }
        case .repetition(let body, let min, let max):
            budget -= 1
            let copies = Swift.max(max ?? (min + 1), 1)
            var one = budget
            body.countSize(budget: &one)
            let used = budget - one
            let (total, overflow) = used.multipliedReportingOverflow(by: copies)
            budget = overflow ? 0 : budget - total
        }
    }
}
