/// Lowers a `RegexAST` to the `RegexNode` of the whole text it accepts.
///
/// Anchors are supported where nothing can come before `^` (or after `$`): at the start (end) of
/// the pattern, of a group there, or of an alternative there, as in `^(a|b)$` or `^a|b$`. Elsewhere
/// (`a^b`, `(^a)*`) they are an unsupported-error. For a search (ECMAScript), a side with no anchor
/// is padded with any text (`.*` over every scalar), per alternative: `^a|b` is `a.*|.*b.*`.
struct RegexAnchors {
    private static let anyText = RegexNode.zeroOrMore(.anyScalar)

    /// `search`: pad the unanchored sides (ECMAScript); otherwise the pattern must match all of it.
    static func lower(_ ast: RegexAST, search: Bool) throws(RegexSyntaxError) -> RegexNode {
        try lower(ast, padStart: search, padEnd: search, atStart: true, atEnd: true)
    }

    /// `padStart`/`padEnd`: whether this part begins (ends) the match with unanchored text before
    /// (after) it. `atStart`/`atEnd`: whether nothing of the pattern can come before (after) it.
    private static func lower(
        _ ast: RegexAST, padStart: Bool, padEnd: Bool, atStart: Bool, atEnd: Bool
    ) throws(RegexSyntaxError) -> RegexNode {
        switch ast {
        case .set(let set):
            return padded(set.node, padStart, padEnd)
        case .start(let text, let offset):
            guard atStart else { throw misplaced(text, offset, atStart: true) }
            return padEnd ? anyText : .empty
        case .end(let text, let offset):
            guard atEnd else { throw misplaced(text, offset, atStart: false) }
            return padStart ? anyText : .empty
        case .alternation(let branches):
            var lowered: [RegexNode] = []
            for branch in branches {
                lowered.append(try lower(branch, padStart: padStart, padEnd: padEnd, atStart: atStart, atEnd: atEnd))
            }
            return alternation(lowered)
        case .repetition(let body, let min, let max):
            let inner = try lower(body, padStart: false, padEnd: false, atStart: false, atEnd: false)
            return padded(repetition(inner, min: min, max: max), padStart, padEnd)
        case .concat(let items):
            return try lowerConcat(items, padStart: padStart, padEnd: padEnd, atStart: atStart, atEnd: atEnd)
        }
    }

    private static func lowerConcat(
        _ items: [RegexAST], padStart: Bool, padEnd: Bool, atStart: Bool, atEnd: Bool
    ) throws(RegexSyntaxError) -> RegexNode {
        // Anchors leading (trailing) the sequence fix its start (end); they consume nothing.
        var first = 0
        while first < items.count, case .start(let text, let offset) = items[first] {
            guard atStart else { throw misplaced(text, offset, atStart: true) }
            first += 1
        }
        var last = items.count
        while last > first, case .end(let text, let offset) = items[last - 1] {
            guard atEnd else { throw misplaced(text, offset, atStart: false) }
            last -= 1
        }
        let padStart = padStart && first == 0
        let padEnd = padEnd && last == items.count
        guard first < last else { return padStart || padEnd ? anyText : .empty }
        var lowered: [RegexNode] = []
        for index in first..<last {
            let isFirst = index == first
            let isLast = index == last - 1
            lowered.append(try lower(
                items[index], padStart: isFirst && padStart, padEnd: isLast && padEnd,
                atStart: isFirst && atStart, atEnd: isLast && atEnd))
        }
        return concat(lowered)
    }

    private static func misplaced(_ anchor: String, _ offset: Int, atStart: Bool) -> RegexSyntaxError {
        let place = atStart ? "start" : "end"
        return RegexSyntaxError(
            .unsupported,
            "the anchor \(anchor) is supported only at the \(place) of the pattern (or of a group or alternative there)",
            offset: offset)
    }

    private static func padded(_ node: RegexNode, _ padStart: Bool, _ padEnd: Bool) -> RegexNode {
        if !padStart && !padEnd { return node }
        return concat((padStart ? [anyText] : []) + [node] + (padEnd ? [anyText] : []))
    }

    /// A sequence with adjacent literals joined, `empty` parts dropped, and `never` absorbing.
    /// Literals are joined in one growing buffer, so a long literal pattern takes linear time.
    static func concat(_ parts: [RegexNode]) -> RegexNode {
        var result: [RegexNode] = []
        var text = ""
        func flush() {
            if !text.isEmpty { result.append(.literal(text)) }
            text = ""
        }
        for part in parts {
            let pieces: [RegexNode]
            switch part {
            case .never: return .never
            case .empty: continue
            case .concat(let inner): pieces = inner
            default: pieces = [part]
            }
            for piece in pieces {
                if case .literal(let literal) = piece {
                    text += literal
                } else {
                    flush()
                    result.append(piece)
                }
            }
        }
        flush()
        switch result.count {
        case 0: return .empty
        case 1: return result[0]
        default: return .concat(result)
        }
    }

    /// A choice with `never` branches dropped.
    static func alternation(_ branches: [RegexNode]) -> RegexNode {
        let kept = branches.filter { $0 != .never }
        switch kept.count {
        case 0: return .never
        case 1: return kept[0]
        default: return .alternation(kept)
        }
    }

    static func repetition(_ body: RegexNode, min: Int, max: Int?) -> RegexNode {
        switch body {
        case .never: return min == 0 ? .empty : .never
        case .empty: return .empty
        default:
            if max == 0 { return .empty }
            return min == 1 && max == 1 ? body : .repetition(body, min: min, max: max)
        }
    }
}
