/// Free text read up to the first occurrence of any of a set of stop strings, as regexes. The
/// matcher lexes greedily, so free text followed by a literal cannot be two lexemes (the text
/// would swallow the literal); instead one lexeme is the text and the stop string that ends it.
///
/// Built from the stop strings' Aho–Corasick automaton over Unicode scalars: a state per prefix
/// of a stop string, a transition per scalar to the longest prefix that the text read so far ends
/// with. A state whose prefix ends with a stop string has no way out (the first occurrence ends
/// the text). The automaton is read back as a regex by state elimination, deepest states first.
enum StopStringText {
    /// Past this many regex nodes made, or automaton states (about the scalars of the stop
    /// strings), the construction gives up (nil).
    static let maxSize = 500_000
    static let maxStates = 4_096

    /// Text in which no stop string occurs (the empty text included).
    static func avoiding(_ stops: [String]) -> RegexNode? {
        let automaton = Automaton(stops)
        return automaton.regex(accepting: automaton.outputs.map(\.isEmpty))
    }

    /// Text in which the first occurrence of any stop string ends at its last scalar and is one of
    /// `endings` (each of which must be among `stops`).
    static func ending(in endings: [String], stops: [String]) -> RegexNode? {
        let automaton = Automaton(stops)
        let wanted = Set(endings.compactMap { automaton.stops.firstIndex(of: $0) })
        return automaton.regex(accepting: automaton.outputs.map { !$0.isDisjoint(with: wanted) })
    }

    /// The trie of the stop strings with every transition filled in.
    struct Automaton {
        /// The distinct non-empty stop strings, as scalars.
        let stops: [String]
        /// Per state: the stop strings (indices) its prefix ends with.
        private(set) var outputs: [Set<Int>] = [[]]
        /// Per state: its transition on each scalar some stop string contains.
        private(set) var next: [[UInt32: Int]] = [[:]]
        private var children: [[UInt32: Int]] = [[:]]
        private var fail: [Int] = [0]
        /// Per state: the length of its prefix.
        private var depths: [Int] = [0]
        /// The scalars some stop string contains; every other scalar leads back to the root.
        let alphabet: [UInt32]

        init(_ stopStrings: [String]) {
            var unique: [String] = []
            for stop in stopStrings where !stop.isEmpty && !unique.contains(stop) { unique.append(stop) }
            stops = unique
            alphabet = Set(unique.flatMap { $0.unicodeScalars.map(\.value) }).sorted()
            for (index, stop) in unique.enumerated() {
                var state = 0
                for scalar in stop.unicodeScalars.map(\.value) {
                    if let child = children[state][scalar] {
                        state = child
                    } else {
                        children.append([:])
                        outputs.append([])
                        fail.append(0)
                        depths.append(depths[state] + 1)
                        children[state][scalar] = children.count - 1
                        state = children.count - 1
                    }
                }
                outputs[state].insert(index)
            }
            // Breadth first: a state's failure state is shallower, so its transitions are known.
            next = [[UInt32: Int]](repeating: [:], count: children.count)
            var queue = [0]
            var cursor = 0
            while cursor < queue.count {
                let state = queue[cursor]
                cursor += 1
                outputs[state].formUnion(outputs[fail[state]])
                for scalar in alphabet {
                    if let child = children[state][scalar] {
                        fail[child] = state == 0 ? 0 : next[fail[state]][scalar] ?? 0
                        next[state][scalar] = child
                        queue.append(child)
                    } else {
                        next[state][scalar] = state == 0 ? 0 : next[fail[state]][scalar] ?? 0
                    }
                }
            }
        }

        /// The regex of the texts that lead from the root to an accepting state without passing
        /// a state that has outputs (those end the text: they have no transitions).
        func regex(accepting: [Bool]) -> RegexNode? {
            guard outputs.count <= StopStringText.maxStates else { return nil }
            let others = RegexDerivatives.subtract(alphabet.map { $0...$0 }, from: [0...0xD7FF, 0xE000...0x10FFFF])
            let exit = outputs.count
            var edges = [[Int: RegexNode]](repeating: [:], count: exit + 1)
            for state in outputs.indices {
                if accepting[state] { edges[state][exit] = .empty }
                guard outputs[state].isEmpty else { continue }
                var byTarget: [Int: [ClosedRange<UInt32>]] = [:]
                for scalar in alphabet { byTarget[next[state][scalar] ?? 0, default: []].append(scalar...scalar) }
                if !others.isEmpty { byTarget[0, default: []] += others }
                // Transitions into a state that ends the text but is not accepted lead nowhere.
                for (target, ranges) in byTarget where outputs[target].isEmpty || accepting[target] {
                    edges[state][target] = .scalars(RegexBuilding.normalized(ranges))
                }
            }
            return Self.eliminate(&edges, order: depths.indices.dropFirst().sorted { (-depths[$0], $0) < (-depths[$1], $1) },
                                  exit: exit)
        }

        /// State elimination from the deepest states up, the root (state 0) last: a deep state is
        /// entered from few states, so the labels stay about as large as the trie.
        private static func eliminate(_ edges: inout [[Int: RegexNode]], order: [Int], exit: Int) -> RegexNode? {
            var incoming = [Set<Int>](repeating: [], count: edges.count)
            for (from, out) in edges.enumerated() { for to in out.keys { incoming[to].insert(from) } }
            var work = 0
            for victim in order {
                let loop = edges[victim][victim].map { RegexNode.zeroOrMore($0) } ?? .empty
                // Sorted, so the regex is the same on every run.
                let outgoing = edges[victim].filter { $0.key != victim }.sorted { $0.key < $1.key }
                for from in incoming[victim].sorted() where from != victim {
                    guard let into = edges[from].removeValue(forKey: victim) else { continue }
                    for (to, out) in outgoing {
                        let label = RegexDerivatives.concat([into, loop, out])
                        let joined = edges[from][to].map { RegexDerivatives.alternation([$0, label]) } ?? label
                        work += StateElimination.size(label)
                        if work > StopStringText.maxSize { return nil }
                        edges[from][to] = joined
                        incoming[to].insert(from)
                    }
                }
                for (to, _) in outgoing { incoming[to].remove(victim) }
                edges[victim] = [:]
            }
            guard let final = edges[0][exit] else { return .never }
            return RegexDerivatives.concat([edges[0][0].map { RegexNode.zeroOrMore($0) } ?? .empty, final])
        }
    }
}
