/// Drops the alternatives that can never match anything (they use a rule with no finite
/// derivation, such as a `$ref` to `false` or a cycle of references with no way out), so the
/// parser never predicts them and an empty language shows as a start rule with no alternatives.
/// Linear in the grammar's size (a count of unproven rules per alternative, and a worklist).
enum GrammarPruning {
    static func removeUnproductive(_ grammar: inout Grammar) {
        var productive = Array(repeating: false, count: grammar.rules.count)
        // For each alternative, how many of its rule symbols are not yet known productive; for each
        // rule, the alternatives that mention it.
        var waiting: [[Int]] = grammar.rules.map { $0.alternatives.map { _ in 0 } }
        var users: [[(rule: Int, alternative: Int)]] = Array(repeating: [], count: grammar.rules.count)
        var queue: [Int] = []
        for (ruleIndex, rule) in grammar.rules.enumerated() {
            for (alternativeIndex, alternative) in rule.alternatives.enumerated() {
                for symbol in alternative {
                    guard case .rule(let id) = symbol else { continue }
                    waiting[ruleIndex][alternativeIndex] += 1
                    users[id.index].append((ruleIndex, alternativeIndex))
                }
                if waiting[ruleIndex][alternativeIndex] == 0 && !productive[ruleIndex] {
                    productive[ruleIndex] = true
                    queue.append(ruleIndex)
                }
            }
        }
        while let proven = queue.popLast() {
            for (ruleIndex, alternativeIndex) in users[proven] {
                waiting[ruleIndex][alternativeIndex] -= 1
                if waiting[ruleIndex][alternativeIndex] == 0 && !productive[ruleIndex] {
                    productive[ruleIndex] = true
                    queue.append(ruleIndex)
                }
            }
        }
        for index in grammar.rules.indices {
            grammar.rules[index].alternatives.removeAll { alternative in
                alternative.contains { symbol in
                    if case .rule(let id) = symbol { return !productive[id.index] }
                    return false
                }
            }
        }
    }
}
