/// Reads EBNF as GBNF (llama.cpp) and XGrammar write it into rule definitions; `EBNFSyntax`
/// lists what is supported. A rule runs until the next `name ::=` or the end of the text, so
/// bodies may span lines; spaces, line breaks and `#` comments separate elements anywhere.
struct EBNFParser {
    var scanner: EBNFScanner
    private var depth = 0

    init(_ text: String) {
        scanner = EBNFScanner(text, slashComments: false)
    }

    mutating func parseGrammar() throws(GrammarSyntaxError) -> [EBNFRuleDefinition] {
        var rules: [EBNFRuleDefinition] = []
        scanner.skipSpace()
        while !scanner.atEnd {
            let start = scanner.position
            guard let name = scanner.readName(dots: true) else {
                if scanner.peek == ")" { throw scanner.error(.invalid, "unbalanced ')'", at: start) }
                throw scanner.error(.invalid, "expected a rule name, found \(scanner.describe(scanner.peek))", at: start)
            }
            scanner.skipSpace()
            if scanner.peek == "[" {
                throw scanner.error(.unsupported, "rule options such as '\(name)[temperature=...]' are not supported", at: scanner.position)
            }
            guard scanner.consume("::=") else {
                throw scanner.error(.invalid, "expected '::=' after the rule name '\(name)', found \(scanner.describe(scanner.peek))", at: scanner.position)
            }
            let body = try parseAlternatives()
            rules.append(EBNFRuleDefinition(name: name, body: body, offset: start))
            if scanner.peek == ")" { throw scanner.error(.invalid, "unbalanced ')'", at: scanner.position) }
        }
        return rules
    }

    private mutating func parseAlternatives() throws(GrammarSyntaxError) -> EBNFExpression {
        var branches = [try parseSequence()]
        while scanner.consume("|") { branches.append(try parseSequence()) }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseSequence() throws(GrammarSyntaxError) -> EBNFExpression {
        var parts: [EBNFExpression] = []
        while true {
            scanner.skipSpace()
            guard let next = scanner.peek, next != "|", next != ")" else { break }
            if EBNFScanner.isNameStart(next) && startsRuleDefinition() { break }
            let element = try parseElement()
            parts.append(try parseQuantifiers(element))
        }
        return parts.count == 1 ? parts[0] : .sequence(parts)
    }

    /// Whether the cursor is at `name ::=` (the next rule), without moving.
    private mutating func startsRuleDefinition() -> Bool {
        let start = scanner.position
        defer { scanner.reset(to: start) }
        guard scanner.readName(dots: true) != nil else { return false }
        scanner.skipSpace()
        return scanner.looksAt("::=") || scanner.peek == "[" && ruleOptionsFollow()
    }

    /// Whether `[...] ::=` follows (XGrammar's rule options), so the error names them.
    private mutating func ruleOptionsFollow() -> Bool {
        while let scalar = scanner.peek, scalar != "]", scalar != "\n" { scanner.advance() }
        guard scanner.consume("]") else { return false }
        scanner.skipSpace()
        return scanner.looksAt("::=")
    }

    private mutating func parseElement() throws(GrammarSyntaxError) -> EBNFExpression {
        let start = scanner.position
        guard let scalar = scanner.peek else { throw scanner.error(.invalid, "expected an element", at: start) }
        switch scalar {
        case "\"":
            return try parseString()
        case "[":
            return try parseClass()
        case ".":
            scanner.advance()
            return .atom(RegexNode.anyScalar, name: ".")
        case "(":
            scanner.advance()
            scanner.skipSpace()
            if scanner.peek == "=" {
                throw scanner.error(.unsupported, "lookahead assertions '(= ...)' are not supported", at: start)
            }
            depth += 1
            defer { depth -= 1 }
            guard depth <= EBNFSyntax.maxNestingDepth else {
                throw scanner.error(.tooLarge, "groups nested deeper than \(EBNFSyntax.maxNestingDepth)", at: start)
            }
            let inner = try parseAlternatives()
            guard scanner.consume(")") else {
                let opened = scanner.location(start)
                throw scanner.error(.invalid, "expected ')' to close the group at line \(opened.line), column \(opened.column), found \(scanner.describe(scanner.peek))", at: scanner.position)
            }
            return inner
        case "<":
            throw scanner.error(.unsupported, "token references '<...>' are not supported", at: start)
        case "'":
            throw scanner.error(.invalid, "strings are written in double quotes", at: start)
        case "*", "+", "?", "{":
            throw scanner.error(.invalid, "\(scanner.describe(scalar)) has nothing to repeat", at: start)
        default:
            guard EBNFScanner.isNameStart(scalar), let name = scanner.readName(dots: true) else {
                throw scanner.error(.invalid, "unexpected \(scanner.describe(scalar))", at: start)
            }
            return .reference(name, offset: start)
        }
    }

    /// `* + ? {m} {m,} {m,n}` after an element (at most one; a second needs parentheses).
    private mutating func parseQuantifiers(_ element: EBNFExpression) throws(GrammarSyntaxError) -> EBNFExpression {
        scanner.skipSpace()
        let start = scanner.position
        guard let bounds = try parseQuantifier() else { return element }
        scanner.skipSpace()
        if let next = scanner.peek, "*+?{".unicodeScalars.contains(next) {
            throw scanner.error(.invalid, "a quantifier cannot follow another; use parentheses", at: scanner.position)
        }
        return .repetition(element, min: bounds.min, max: bounds.max, offset: start)
    }

    private mutating func parseQuantifier() throws(GrammarSyntaxError) -> (min: Int, max: Int?)? {
        let start = scanner.position
        switch scanner.peek {
        case "*": scanner.advance(); return (0, nil)
        case "+": scanner.advance(); return (1, nil)
        case "?": scanner.advance(); return (0, 1)
        case "{":
            scanner.advance()
            scanner.skipSpace()
            guard let min = try scanner.readInteger(limit: EBNFSyntax.maxRepetition) else {
                throw scanner.error(.invalid, "expected a count after '{' (write {0,n} for at most n)", at: scanner.position)
            }
            scanner.skipSpace()
            var max: Int? = min
            if scanner.consume(",") {
                scanner.skipSpace()
                max = try scanner.readInteger(limit: EBNFSyntax.maxRepetition)
                scanner.skipSpace()
            }
            guard scanner.consume("}") else {
                throw scanner.error(.invalid, "expected '}' to close the repetition, found \(scanner.describe(scanner.peek))", at: scanner.position)
            }
            if let max, max < min {
                throw scanner.error(.invalid, "the repetition's maximum \(max) is below its minimum \(min)", at: start)
            }
            return (min, max)
        default:
            return nil
        }
    }

    /// `"..."` with escapes.
    private mutating func parseString() throws(GrammarSyntaxError) -> EBNFExpression {
        let start = scanner.position
        let text = try scanner.readString()
        let name = String(String.UnicodeScalarView(scanner.scalars[start..<scanner.position]))
        return text.isEmpty ? .empty : .atom(.literal(String(text)), name: name)
    }

    /// `[...]` / `[^...]`: scalars, escapes and ranges; `[^]` is any scalar.
    private mutating func parseClass() throws(GrammarSyntaxError) -> EBNFExpression {
        let start = scanner.position
        scanner.advance()
        let negated = scanner.consume("^")
        var ranges: [ClosedRange<UInt32>] = []
        while scanner.peek != "]" {
            let low = try parseClassMember(classStart: start)
            if scanner.peek == "-", scanner.peek(at: 1) != "]" {
                scanner.advance()
                let rangeStart = scanner.position
                let high = try parseClassMember(classStart: start)
                guard low <= high else {
                    throw scanner.error(.invalid, "the range's end U+\(String(high, radix: 16, uppercase: true)) is below its start U+\(String(low, radix: 16, uppercase: true))", at: rangeStart)
                }
                ranges.append(low...high)
            } else {
                ranges.append(low...low)
            }
        }
        scanner.advance()
        if ranges.isEmpty && !negated { throw scanner.error(.invalid, "empty character class", at: start) }
        let set = ScalarRangeSet(ranges: ranges)
        let name = String(String.UnicodeScalarView(scanner.scalars[start..<scanner.position]))
        return .atom((negated ? set.inverted() : set).node, name: name)
    }

    private mutating func parseClassMember(classStart: Int) throws(GrammarSyntaxError) -> UInt32 {
        guard let scalar = scanner.peek, scalar != "\n", scalar != "\r" else {
            throw scanner.error(.invalid, "unterminated character class (write a line break as \\n)", at: classStart)
        }
        let offset = scanner.position
        scanner.advance()
        guard scalar == "\\" else { return scalar.value }
        return try scanner.scalar(try scanner.readEscape(), at: offset).value
    }
}
