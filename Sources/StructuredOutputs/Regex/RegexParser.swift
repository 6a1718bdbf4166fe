/// The recursive-descent parser behind `RegexSyntax.parse`: the structure of a pattern (alternation,
/// sequences, groups, quantifiers). Escapes and classes are in `RegexParser+Escapes.swift`.
struct RegexParser {
    let pattern: [Unicode.Scalar]
    let flavor: RegexFlavor
    var position = 0
    private var depth = 0
    private var groupNames: Set<String> = []

    init(pattern: String, flavor: RegexFlavor) {
        self.pattern = Array(pattern.unicodeScalars)
        self.flavor = flavor
    }

    var peek: Unicode.Scalar? { position < pattern.count ? pattern[position] : nil }

    func peek(_ ahead: Int) -> Unicode.Scalar? {
        position + ahead < pattern.count ? pattern[position + ahead] : nil
    }

    func error(_ kind: RegexSyntaxError.Kind, _ message: String, at offset: Int) -> RegexSyntaxError {
        RegexSyntaxError(kind, message, offset: offset)
    }

    mutating func parsePattern() throws(RegexSyntaxError) -> RegexAST {
        let ast = try parseAlternation()
        if position < pattern.count { throw error(.invalid, "unbalanced parenthesis", at: position) }
        return ast
    }

    private mutating func parseAlternation() throws(RegexSyntaxError) -> RegexAST {
        var branches = [try parseSequence()]
        while peek == "|" {
            position += 1
            branches.append(try parseSequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseSequence() throws(RegexSyntaxError) -> RegexAST {
        var items: [RegexAST] = []
        var lastCanRepeat = false
        var lastIsRepeated = false
        while let scalar = peek, scalar != "|", scalar != ")" {
            let start = position
            if let (min, max) = try parseQuantifier() {
                guard lastCanRepeat, let body = items.popLast() else {
                    throw error(.invalid, lastIsRepeated ? "multiple repeat" : "nothing to repeat", at: start)
                }
                items.append(.repetition(body, min: min, max: max))
                lastCanRepeat = false
                lastIsRepeated = true
                continue
            }
            guard let atom = try parseAtom() else { continue }  // a comment
            items.append(atom)
            switch atom {
            case .start, .end: lastCanRepeat = false
            default: lastCanRepeat = true
            }
            lastIsRepeated = false
        }
        return items.count == 1 ? items[0] : .concat(items)
    }

    /// The bounds of the quantifier here (consumed, with a lazy `?`), or nil when there is none (a
    /// `{` that is not a quantifier is left for `parseAtom` as a literal).
    private mutating func parseQuantifier() throws(RegexSyntaxError) -> (Int, Int?)? {
        let start = position
        let bounds: (Int, Int?)
        switch peek {
        case "*": bounds = (0, nil); position += 1
        case "+": bounds = (1, nil); position += 1
        case "?": bounds = (0, 1); position += 1
        case "{":
            guard let braces = try parseBraces() else { return nil }
            bounds = braces
        default: return nil
        }
        if peek == "?" {
            position += 1  // lazy: the same language
        } else if peek == "+", flavor == .python {
            throw error(.unsupported, "possessive quantifiers are not supported", at: start)
        }
        return bounds
    }

    /// `{m}`, `{m,}`, `{m,n}` (and Python's `{,n}` and `{,}`), or nil with nothing consumed.
    private mutating func parseBraces() throws(RegexSyntaxError) -> (Int, Int?)? {
        let start = position
        var index = position + 1
        func digits() -> Range<Int> {
            let first = index
            while index < pattern.count, ("0"..."9").contains(pattern[index]) { index += 1 }
            return first..<index
        }
        let low = digits()
        var high = low
        var hasComma = false
        if index < pattern.count, pattern[index] == "," {
            hasComma = true
            index += 1
            high = digits()
        }
        guard index < pattern.count, pattern[index] == "}" else { return nil }
        switch flavor {
        case .python: if low.isEmpty && !hasComma { return nil }  // `{}`
        case .ecmascript: if low.isEmpty { return nil }
        }
        position = index + 1
        let min = low.isEmpty ? 0 : try count(low, at: start)
        let max: Int? = hasComma ? (high.isEmpty ? nil : try count(high, at: start)) : min
        if let max, max < min { throw error(.invalid, "min repeat greater than max repeat", at: start) }
        return (min, max)
    }

    private func count(_ digits: Range<Int>, at offset: Int) throws(RegexSyntaxError) -> Int {
        var value = 0
        for index in digits {
            value = value * 10 + Int(pattern[index].value - 0x30)
            if value > RegexSyntax.maxRepetition {
                throw error(.tooLarge, "repetition count over the limit of \(RegexSyntax.maxRepetition)", at: offset)
            }
        }
        return value
    }

    /// The atom here, or nil for a Python comment `(?#...)`.
    private mutating func parseAtom() throws(RegexSyntaxError) -> RegexAST? {
        let start = position
        guard let scalar = peek else { return nil }
        switch scalar {
        case "(": return try parseGroup()
        case "[": return .set(try parseClass())
        case ".": position += 1; return .set(RegexClasses.dot(flavor))
        case "^": position += 1; return .start(text: "^", offset: start)
        case "$": position += 1; return .end(text: "$", offset: start)
        case "\\":
            switch try parseEscape(inClass: false) {
            case .scalar(let value): return .set(ScalarRangeSet(scalar: value))
            case .set(let set): return .set(set)
            case .start: return .start(text: "\\" + String(pattern[start + 1]), offset: start)
            case .end: return .end(text: "\\" + String(pattern[start + 1]), offset: start)
            }
        default:
            position += 1
            return .set(ScalarRangeSet(scalar: scalar.value))
        }
    }

    private mutating func parseGroup() throws(RegexSyntaxError) -> RegexAST? {
        let open = position
        position += 1
        depth += 1
        defer { depth -= 1 }
        if depth > RegexSyntax.maxNestingDepth {
            throw error(.tooLarge, "groups nested deeper than \(RegexSyntax.maxNestingDepth)", at: open)
        }
        if peek == "?" {
            position += 1
            if try parseExtension(open: open) { return nil }
        }
        let inner = try parseAlternation()
        guard peek == ")" else { throw error(.invalid, "missing ), unterminated subpattern", at: open) }
        position += 1
        return inner
    }

    /// After `(?`: consumes a non-capturing or named group's opening, or a whole comment (returns
    /// true), or throws for what is not supported or not valid.
    private mutating func parseExtension(open: Int) throws(RegexSyntaxError) -> Bool {
        let next = peek
        let after = peek(1)
        switch next {
        case ":":
            position += 1
        case "=", "!":
            throw error(.unsupported, "lookahead is not supported", at: open)
        case "<" where after == "=" || after == "!":
            throw error(.unsupported, "lookbehind is not supported", at: open)
        case "<":
            position += 1
            try parseGroupName(open: open)
        case "P" where after == "<":
            position += 2
            try parseGroupName(open: open)
        case "P" where after == "=":
            throw error(.unsupported, "backreferences are not supported", at: open)
        case ">":
            throw error(.unsupported, "atomic groups are not supported", at: open)
        case "#" where flavor == .python:
            while let scalar = peek, scalar != ")" { position += 1 }
            guard peek == ")" else { throw error(.invalid, "missing ), unterminated comment", at: open) }
            position += 1
            return true
        case "(" where flavor == .python:
            throw error(.unsupported, "conditional groups are not supported", at: open)
        case let scalar? where "aiLmsux-".unicodeScalars.contains(scalar):
            throw error(.unsupported, "inline flags such as (?i) are not supported", at: open)
        default:
            throw error(.invalid, "unknown extension after (?", at: open)
        }
        return false
    }

    /// A group name and its `>`; names are identifiers and must differ.
    private mutating func parseGroupName(open: Int) throws(RegexSyntaxError) {
        var name = ""
        while let scalar = peek, scalar != ">" {
            let isStart = scalar == "_" || scalar.properties.isXIDStart || (flavor == .ecmascript && scalar == "$")
            let isContinue = isStart || scalar.properties.isXIDContinue
            guard name.isEmpty ? isStart : isContinue else {
                throw error(.invalid, "bad character in group name", at: position)
            }
            name.unicodeScalars.append(scalar)
            position += 1
        }
        guard peek == ">" else { throw error(.invalid, "missing >, unterminated name", at: open) }
        guard !name.isEmpty else { throw error(.invalid, "missing group name", at: position) }
        position += 1
        guard groupNames.insert(name).inserted else {
            throw error(.invalid, "redefinition of group name '\(name)'", at: open)
        }
    }
}
