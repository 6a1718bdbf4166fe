/// Brzozowski derivatives of `RegexNode` over Unicode scalars, for the few questions the schema
/// compiler asks of a regex at compile time: does it match this key or enum string, and which of
/// its strings are left once a finite set of names is taken out (the keys `patternProperties` and
/// `additionalProperties` may use besides the named properties). Results are kept small by
/// simplifying as they are built.
enum RegexDerivatives {
    static func nullable(_ node: RegexNode) -> Bool {
        switch node {
        case .empty: return true
        case .never, .scalars, .bytes: return false
        case .literal(let text): return text.isEmpty
        case .concat(let parts): return parts.allSatisfy(nullable)
        case .alternation(let options): return options.contains(where: nullable)
        case .repetition(let inner, let min, _): return min == 0 || nullable(inner)
        }
    }

    /// Whether `node` matches all of `text`.
    static func matches(_ node: RegexNode, _ text: String) -> Bool {
        var current = node
        for scalar in text.unicodeScalars {
            current = derivative(current, scalar.value)
            if case .never = current { return false }
        }
        return nullable(current)
    }

    /// The strings `w` such that `scalar` followed by `w` matches `node`.
    static func derivative(_ node: RegexNode, _ scalar: UInt32) -> RegexNode {
        switch node {
        case .empty, .never: return .never
        case .bytes(let ranges):
            return scalar < 0x80 && ranges.contains { $0.contains(UInt8(scalar)) } ? .empty : .never
        case .literal(let text):
            var scalars = text.unicodeScalars.makeIterator()
            guard let first = scalars.next(), first.value == scalar else { return .never }
            return .literal(String(text.unicodeScalars.dropFirst()))
        case .scalars(let ranges):
            return ranges.contains { $0.contains(scalar) } ? .empty : .never
        case .concat(let parts):
            guard let first = parts.first else { return .never }
            let rest = Array(parts.dropFirst())
            let viaFirst = concat([derivative(first, scalar)] + rest)
            return nullable(first) ? alternation([viaFirst, derivative(concat(rest), scalar)]) : viaFirst
        case .alternation(let options):
            return alternation(options.map { derivative($0, scalar) })
        case .repetition(let inner, let min, let max):
            if max == 0 { return .never }
            return concat([derivative(inner, scalar), repetition(inner, Swift.max(min - 1, 0), max.map { $0 - 1 })])
        }
    }

    /// The non-empty strings of `node` whose first scalar is in `allowed` (sorted ranges).
    static func restrictFirst(_ node: RegexNode, to allowed: [ClosedRange<UInt32>]) -> RegexNode {
        switch node {
        case .empty, .never, .bytes: return .never
        case .literal(let text):
            guard let first = text.unicodeScalars.first else { return .never }
            return allowed.contains { $0.contains(first.value) } ? node : .never
        case .scalars(let ranges):
            let kept = intersect(ranges, allowed)
            return kept.isEmpty ? .never : .scalars(kept)
        case .concat(let parts):
            guard let first = parts.first else { return .never }
            let rest = Array(parts.dropFirst())
            let viaFirst = concat([restrictFirst(first, to: allowed)] + rest)
            return nullable(first) ? alternation([viaFirst, restrictFirst(concat(rest), to: allowed)]) : viaFirst
        case .alternation(let options):
            return alternation(options.map { restrictFirst($0, to: allowed) })
        case .repetition(let inner, let min, let max):
            if max == 0 { return .never }
            return concat([restrictFirst(inner, to: allowed), repetition(inner, Swift.max(min - 1, 0), max.map { $0 - 1 })])
        }
    }

    /// The strings of `node` other than `words`.
    static func excluding(_ words: [String], from node: RegexNode) -> RegexNode {
        let scalars = words.map { Array($0.unicodeScalars.map(\.value)) }[...]
        if case .repetition(let inner, 0, nil) = node, inner == RegexNode.anyScalar {
            return anyStringExcluding(scalars, at: 0)
        }
        return excluding(scalars, at: 0, from: node)
    }

    /// Any string but `words`, built directly from the trie of the words (the common case: keys
    /// other than the named ones): a node of the trie that is not a word, or a way out of the trie
    /// (a node, then a scalar that leaves it) followed by anything. All the ways out share one
    /// tail, so once a string has left the trie the lexer is in one state whatever the way out
    /// (and the masks of that state are computed once, not once per way out).
    private static func anyStringExcluding(_ words: ArraySlice<[UInt32]>, at depth: Int) -> RegexNode {
        let anyString = RegexNode.zeroOrMore(.anyScalar)
        if words.isEmpty { return anyString }
        return .alternation([trieNodesNotWords(words, at: depth), .concat([waysOut(words, at: depth), anyString])])
    }

    /// The words grouped by their scalar at `depth` (the longer ones), in scalar order.
    private static func children(_ words: ArraySlice<[UInt32]>, at depth: Int) -> [(scalar: UInt32, words: [[UInt32]])] {
        var byNext: [UInt32: [[UInt32]]] = [:]
        for word in words where word.count > depth { byNext[word[depth], default: []].append(word) }
        return byNext.keys.sorted().map { ($0, byNext[$0]!) }
    }

    /// The prefixes of `words` from `depth` on that are not words themselves.
    private static func trieNodesNotWords(_ words: ArraySlice<[UInt32]>, at depth: Int) -> RegexNode {
        var options: [RegexNode] = words.contains(where: { $0.count == depth }) ? [] : [.empty]
        for (next, group) in children(words, at: depth) {
            guard let scalar = Unicode.Scalar(next) else { continue }
            let rest = trieNodesNotWords(group[...], at: depth + 1)
            if case .never = rest { continue }
            options.append(concat([.literal(String(Character(scalar))), rest]))
        }
        return options.isEmpty ? .never : options.count == 1 ? options[0] : .alternation(options)
    }

    /// A prefix of `words` from `depth` on, then one scalar that no word has next.
    private static func waysOut(_ words: ArraySlice<[UInt32]>, at depth: Int) -> RegexNode {
        let next = children(words, at: depth)
        var options: [RegexNode] = [.scalars(complement(of: next.map(\.scalar)))]
        for (next, group) in next {
            guard let scalar = Unicode.Scalar(next) else { continue }
            options.append(concat([.literal(String(Character(scalar))), waysOut(group[...], at: depth + 1)]))
        }
        return options.count == 1 ? options[0] : .alternation(options)
    }

    /// `words` all share their first `depth` scalars, which `node` has already consumed.
    private static func excluding(_ words: ArraySlice<[UInt32]>, at depth: Int, from node: RegexNode) -> RegexNode {
        if words.isEmpty { return node }
        if case .never = node { return .never }
        var options: [RegexNode] = []
        let ending = words.contains { $0.count == depth }
        if !ending && nullable(node) { options.append(.empty) }
        let groups = children(words, at: depth)
        options.append(restrictFirst(node, to: complement(of: groups.map(\.scalar))))
        for (next, group) in groups {
            guard let scalar = Unicode.Scalar(next) else { continue }
            let rest = excluding(group[...], at: depth + 1, from: derivative(node, next))
            options.append(concat([.literal(String(Character(scalar))), rest]))
        }
        return alternation(options)
    }

    /// Every Unicode scalar except `values` (sorted).
    private static func complement(of values: [UInt32]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var low: UInt32 = 0
        for value in values {
            if value > low { result.append(low...(value - 1)) }
            low = value + 1
        }
        if low <= 0x10FFFF { result.append(low...0x10FFFF) }
        return intersect(result, RegexNode.anyScalar.scalarRanges)
    }

    /// The values of `ranges` outside `removed` (both sorted).
    static func subtract(_ removed: [ClosedRange<UInt32>], from ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        for range in ranges {
            var low = range.lowerBound
            var exhausted = false
            for cut in removed where cut.overlaps(low...range.upperBound) {
                if cut.lowerBound > low { result.append(low...(cut.lowerBound - 1)) }
                if cut.upperBound >= range.upperBound { exhausted = true; break }
                low = cut.upperBound + 1
            }
            if !exhausted { result.append(low...range.upperBound) }
        }
        return result
    }

    static func intersect(_ left: [ClosedRange<UInt32>], _ right: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        for a in left {
            for b in right where a.overlaps(b) {
                result.append(Swift.max(a.lowerBound, b.lowerBound)...Swift.min(a.upperBound, b.upperBound))
            }
        }
        return RegexBuilding.normalized(result)
    }

    // MARK: Simplifying constructors

    static func concat(_ parts: [RegexNode]) -> RegexNode {
        var kept: [RegexNode] = []
        for part in parts {
            switch part {
            case .never: return .never
            case .empty: continue
            case .literal(let text) where text.isEmpty: continue
            case .concat(let nested): kept.append(contentsOf: nested)
            default: kept.append(part)
            }
        }
        if kept.isEmpty { return .empty }
        return kept.count == 1 ? kept[0] : .concat(kept)
    }

    static func alternation(_ options: [RegexNode]) -> RegexNode {
        var kept: [RegexNode] = []
        var seen = Set<RegexNode>()
        for option in options {
            let flattened: [RegexNode]
            if case .alternation(let nested) = option { flattened = nested } else { flattened = [option] }
            for node in flattened {
                if case .never = node { continue }
                if seen.insert(node).inserted { kept.append(node) }
            }
        }
        if kept.isEmpty { return .never }
        return kept.count == 1 ? kept[0] : .alternation(kept)
    }

    static func repetition(_ inner: RegexNode, _ min: Int, _ max: Int?) -> RegexNode {
        if max == 0 { return .empty }
        if min == 1 && max == 1 { return inner }
        return .repetition(inner, min: min, max: max)
    }
}
