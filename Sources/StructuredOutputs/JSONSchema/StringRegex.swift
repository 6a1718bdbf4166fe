/// The lexeme regex of a `string` node: the JSON spelling of the strings that match every regex
/// of the node and whose length in Unicode scalars is within bounds.
///
/// Without intersection in `RegexNode`, two constraints combine exactly only when one of them is a
/// finite set of strings (`const`, `enum`: each string is checked against the rest), when the
/// length bounds fit into the regex's one variable-length part, or when there is no regex. Other
/// combinations keep the first regex (a `pattern` before a `format`) and drop the rest, accepting
/// more than the schema allows; each such drop is recorded in `SchemaCompilation.approximations`.
enum StringRegex {
    static func regex(_ shape: StringShape, compilation: SchemaCompilation) -> RegexNode? {
        let minimum = shape.minLength, maximum = shape.maxLength
        if let maximum, maximum < minimum { return nil }
        let bounded = minimum > 0 || maximum != nil
        if let finiteIndex = shape.regexes.firstIndex(where: { finiteStrings($0) != nil }),
           let candidates = finiteStrings(shape.regexes[finiteIndex]) {
            var kept: [RegexNode] = []
            for text in candidates {
                let length = text.unicodeScalars.count
                guard length >= minimum, maximum.map({ length <= $0 }) ?? true else { continue }
                let others = shape.regexes.indices.filter { $0 != finiteIndex }
                guard others.allSatisfy({ RegexDerivatives.matches(shape.regexes[$0], text) }) else { continue }
                kept.append(JSONTokens.quotedLiteral(text))
            }
            return kept.isEmpty ? nil : RegexDerivatives.alternation(kept)
        }
        guard var text = shape.regexes.first else {
            if !bounded { return JSONTokens.string }
            return JSONTokens.quoted(.repetition(RegexNode.anyScalar, min: minimum, max: maximum))
        }
        if shape.regexes.count > 1 {
            compilation.approximations.append("\(shape.pointer): only the first of \(shape.regexes.count) string constraints is enforced")
        }
        if bounded {
            if let restricted = restrictLength(text, minimum, maximum) {
                text = restricted
            } else {
                compilation.approximations.append("\(shape.pointer): minLength/maxLength not enforced with a pattern or format")
            }
        }
        if case .never = text { return nil }
        return JSONTokens.quoted(text)
    }

    /// The strings of a regex that is a literal or an alternation of literals.
    static func finiteStrings(_ node: RegexNode) -> [String]? {
        switch node {
        case .literal(let text): return [text]
        case .empty: return [""]
        case .alternation(let options):
            var texts: [String] = []
            for option in options {
                guard let more = finiteStrings(option) else { return nil }
                texts += more
            }
            return texts
        default: return nil
        }
    }

    /// Shortest and longest length (nil: unbounded) of the strings a regex matches.
    static func lengths(_ node: RegexNode) -> (min: Int, max: Int?) {
        switch node {
        case .empty, .never: return (0, 0)
        case .literal(let text): return (text.unicodeScalars.count, text.unicodeScalars.count)
        case .scalars, .bytes: return (1, 1)
        case .concat(let parts):
            var low = 0
            var high: Int? = 0
            for part in parts {
                let (a, b) = lengths(part)
                low += a
                high = high.flatMap { sum in b.map { sum + $0 } }
            }
            return (low, high)
        case .alternation(let options):
            let all = options.map(lengths)
            let high = all.contains { $0.max == nil } ? nil : all.compactMap(\.max).max()
            return (all.map(\.min).min() ?? 0, high)
        case .repetition(let inner, let min, let max):
            let (a, b) = lengths(inner)
            let (low, lowOverflow) = a.multipliedReportingOverflow(by: min)
            guard let max, let b else { return (lowOverflow ? Int.max : low, b == 0 ? 0 : nil) }
            let (high, highOverflow) = b.multipliedReportingOverflow(by: max)
            return (lowOverflow ? Int.max : low, highOverflow ? nil : high)
        }
    }

    /// `node` cut down to lengths `minimum...maximum`, exactly, when its length varies in one place
    /// (a repetition of fixed-width items, or alternatives that each do); nil otherwise.
    static func restrictLength(_ node: RegexNode, _ minimum: Int, _ maximum: Int?) -> RegexNode? {
        let (low, high) = lengths(node)
        if low >= minimum, let maximum, let high, high <= maximum { return node }
        if low >= minimum && maximum == nil { return node }
        if let high, high < minimum { return .never }
        if let maximum, low > maximum { return .never }
        switch node {
        case .alternation(let options):
            var kept: [RegexNode] = []
            for option in options {
                guard let restricted = restrictLength(option, minimum, maximum) else { return nil }
                kept.append(restricted)
            }
            return RegexDerivatives.alternation(kept)
        case .concat(let parts):
            let variable = parts.indices.filter { lengths(parts[$0]).min != lengths(parts[$0]).max }
            guard variable.count == 1 else { return nil }
            let fixed = parts.indices.filter { $0 != variable[0] }.reduce(0) { $0 + lengths(parts[$1]).min }
            guard let part = restrictLength(parts[variable[0]], Swift.max(minimum - fixed, 0), maximum.map { $0 - fixed }) else { return nil }
            var result = parts
            result[variable[0]] = part
            return RegexDerivatives.concat(result)
        case .repetition(let inner, let min, let max):
            let (a, b) = lengths(inner)
            guard a == b, a > 0 else { return nil }
            let newMin = Swift.max(min, (minimum + a - 1) / a)
            let newMax = [max, maximum.map { $0 / a }].compactMap { $0 }.min()
            if let newMax, newMax < newMin { return .never }
            return .repetition(inner, min: newMin, max: newMax)
        default:
            return nil
        }
    }
}
