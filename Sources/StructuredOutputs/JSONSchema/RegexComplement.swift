/// The strings a regex does not match, as a regex: the regex's derivative automaton (small ones
/// only), complemented, and read back by state elimination. Used for the keys
/// `additionalProperties` may take, which must not match any of `patternProperties`.
enum RegexComplement {
    static let maxStates = 48
    static let maxSize = 4_000

    /// Nil when the automaton or the regex read back would be too large.
    static func complement(of node: RegexNode) -> RegexNode? {
        let classes = alphabet(of: node)
        // Explore derivatives; state 0 is the regex itself.
        var states: [RegexNode] = [node]
        var index: [RegexNode: Int] = [node: 0]
        var edges: [[Int: [ClosedRange<UInt32>]]] = []
        var cursor = 0
        while cursor < states.count {
            var out: [Int: [ClosedRange<UInt32>]] = [:]
            for range in classes {
                let next = RegexDerivatives.derivative(states[cursor], range.lowerBound)
                let target: Int
                if let known = index[next] {
                    target = known
                } else {
                    guard states.count < maxStates else { return nil }
                    target = states.count
                    index[next] = target
                    states.append(next)
                }
                out[target, default: []].append(range)
            }
            edges.append(out)
            cursor += 1
        }
        // Complement: accept where the regex does not (the dead state `never` included).
        let accepting = states.map { !RegexDerivatives.nullable($0) }
        let labelled = edges.map { $0.mapValues { RegexNode.scalars(RegexBuilding.normalized($0)) } }
        return StateElimination.regex(edges: labelled, start: 0, accepting: accepting, maxSize: maxSize)
    }

    /// The alphabet cut at every range boundary the regex mentions, so each piece behaves alike.
    private static func alphabet(of node: RegexNode) -> [ClosedRange<UInt32>] {
        var cuts: Set<UInt32> = []
        func visit(_ node: RegexNode) {
            switch node {
            case .literal(let text): for scalar in text.unicodeScalars { cuts.insert(scalar.value); cuts.insert(scalar.value + 1) }
            case .scalars(let ranges): for range in ranges { cuts.insert(range.lowerBound); cuts.insert(range.upperBound + 1) }
            case .concat(let parts): parts.forEach(visit)
            case .alternation(let options): options.forEach(visit)
            case .repetition(let inner, _, _): visit(inner)
            case .empty, .never, .bytes: break
            }
        }
        visit(node)
        var pieces: [ClosedRange<UInt32>] = []
        for range in RegexNode.anyScalar.scalarRanges {
            var low = range.lowerBound
            for cut in cuts.sorted() where cut > low && cut <= range.upperBound {
                pieces.append(low...(cut - 1))
                low = cut
            }
            pieces.append(low...range.upperBound)
        }
        return pieces
    }
}
