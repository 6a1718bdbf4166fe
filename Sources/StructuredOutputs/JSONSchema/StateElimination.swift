/// Reads an automaton back as a regex by state elimination: a new start before `start` and a new
/// final state after every accepting state, then the states removed one by one (fewest paths
/// through first), each removal joining its incoming and outgoing edges around its loop.
enum StateElimination {
    /// `edges[state][target]` labels the transitions. Nil when the regex grows past `maxSize`
    /// nodes; `.never` when no accepting state is reachable.
    static func regex(edges: [[Int: RegexNode]], start: Int, accepting: [Bool], maxSize: Int) -> RegexNode? {
        let count = edges.count
        let entry = count, exit = count + 1
        var graph = edges + [[:], [:]]
        func add(_ from: Int, _ to: Int, _ label: RegexNode) {
            graph[from][to] = graph[from][to].map { RegexDerivatives.alternation([$0, label]) } ?? label
        }
        for state in 0..<count where accepting[state] { add(state, exit, .empty) }
        add(entry, start, .empty)
        var alive = Set(0..<count)
        while !alive.isEmpty {
            func paths(_ state: Int) -> Int {
                (0..<(count + 2)).filter { $0 != state && graph[$0][state] != nil }.count * graph[state].count
            }
            // Ties go to the later state, and edges are joined in target order: the result must not
            // depend on a set's or dictionary's order, which changes from process to process.
            guard let victim = alive.min(by: { (paths($0), -$0) < (paths($1), -$1) }) else { break }
            alive.remove(victim)
            let loop = graph[victim][victim].map { RegexNode.zeroOrMore($0) } ?? .empty
            let outgoing = graph[victim].filter { $0.key != victim }.sorted { $0.key < $1.key }
            for from in 0..<(count + 2) where from != victim {
                guard let into = graph[from][victim] else { continue }
                graph[from][victim] = nil
                for (to, out) in outgoing { add(from, to, RegexDerivatives.concat([into, loop, out])) }
            }
            graph[victim] = [:]
            if graph.reduce(0, { $0 + $1.values.reduce(0) { $0 + size($1) } }) > maxSize { return nil }
        }
        return graph[entry][exit] ?? .never
    }

    static func size(_ node: RegexNode) -> Int {
        switch node {
        case .concat(let parts): return 1 + parts.reduce(0) { $0 + size($1) }
        case .alternation(let options): return 1 + options.reduce(0) { $0 + size($1) }
        case .repetition(let inner, _, _): return 1 + size(inner)
        default: return 1
        }
    }
}
