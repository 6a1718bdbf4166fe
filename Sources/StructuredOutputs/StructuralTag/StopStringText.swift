/// Free text read up to the first occurrence of any of a set of stop strings, as regexes. The
/// matcher lexes greedily, so free text followed by a literal cannot be two lexemes (the text
/// would swallow the literal); instead one lexeme is the text and the stop string that ends it.
///
/// Built from the stop strings' Aho–Corasick automaton over Unicode scalars: a state per prefix
/// of a stop string, a transition per scalar to the longest prefix that the text read so far ends
/// with. A state whose prefix ends with a stop string has no way out (the first occurrence ends
/// the text). The automaton is read back as a regex by state elimination.
enum StopStringText {
    /// Past this many regex nodes the construction gives up (nil).
    static let maxSize = 200_000

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
            let others = RegexDerivatives.subtract(alphabet.map { $0...$0 }, from: [0...0xD7FF, 0xE000...0x10FFFF])
            var edges: [[Int: RegexNode]] = []
            for state in outputs.indices {
                guard outputs[state].isEmpty else {
                    edges.append([:])
                    continue
                }
                var byTarget: [Int: [ClosedRange<UInt32>]] = [:]
                for scalar in alphabet { byTarget[next[state][scalar] ?? 0, default: []].append(scalar...scalar) }
                if !others.isEmpty { byTarget[0, default: []] += others }
                // Transitions into a state that ends the text but is not accepted lead nowhere.
                edges.append(byTarget.filter { outputs[$0.key].isEmpty || accepting[$0.key] }
                    .mapValues { RegexNode.scalars(RegexBuilding.normalized($0)) })
            }
            return StateElimination.regex(edges: edges, start: 0, accepting: accepting, maxSize: StopStringText.maxSize)
        }
    }
}
