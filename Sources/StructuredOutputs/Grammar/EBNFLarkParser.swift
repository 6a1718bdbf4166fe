/// Reads the common subset of Lark's grammar language (as vLLM passes it to XGrammar or
/// llguidance) into rule definitions; `Grammar.lark` lists what is supported. A definition starts
/// a line and runs to the end of it, or on across lines that start with `|`; inside `( )` and
/// `[ ]` line breaks are spaces.
struct EBNFLarkParser {
    var scanner: EBNFScanner
    private(set) var definitions: [EBNFRuleDefinition] = []
    /// The bodies of `%ignore`, each where it was written.
    private(set) var ignored: [(body: EBNFExpression, offset: Int)] = []
    private var depth = 0

    init(_ text: String) {
        scanner = EBNFScanner(text, slashComments: true)
    }

    mutating func parseGrammar() throws(GrammarSyntaxError) {
        while true {
            scanner.skipSpace()
            guard let first = scanner.peek else { return }
            if first == "%" {
                try parseDirective()
            } else {
                try parseDefinition()
            }
            scanner.skipSpace(newlines: false)
            guard scanner.atEnd || scanner.peek == "\n" || scanner.peek == "\r" else {
                throw scanner.error(.invalid, "unexpected \(scanner.describe(scanner.peek))", at: scanner.position)
            }
        }
    }

    /// `name: ...` (a rule) or `NAME: ...` (a terminal), with Lark's `?` / `!` prefixes and
    /// priorities `.N`, which change the parse tree or lexer order, not the language.
    private mutating func parseDefinition() throws(GrammarSyntaxError) {
        if scanner.peek == "?" || scanner.peek == "!" { scanner.advance() }
        let start = scanner.position
        guard let name = readName() else {
            throw scanner.error(.invalid, "expected a rule or terminal name, found \(scanner.describe(scanner.peek))", at: start)
        }
        if scanner.peek == ".", let next = scanner.peek(at: 1), ("0"..."9").contains(next) || next == "-" {
            scanner.advance(2)
            while let digit = scanner.peek, ("0"..."9").contains(digit) { scanner.advance() }
        }
        scanner.skipSpace(newlines: false)
        if scanner.peek == "{" {
            throw scanner.error(.unsupported, "rule templates such as '\(name){...}' are not supported", at: scanner.position)
        }
        if scanner.peek == "[" {
            throw scanner.error(.unsupported, "rule options such as '\(name)[...]' are not supported", at: scanner.position)
        }
        guard scanner.consume(":") else {
            throw scanner.error(.invalid, "expected ':' after '\(name)', found \(scanner.describe(scanner.peek))", at: scanner.position)
        }
        let body = try parseExpansions()
        let letter = name.unicodeScalars.first { $0 != "_" }
        let isTerminal = letter.map { ("A"..."Z").contains($0) } ?? false
        definitions.append(EBNFRuleDefinition(name: name, body: body, offset: start, isTerminal: isTerminal))
    }

    /// Lark names: ASCII letters, digits and `_`.
    private mutating func readName() -> String? {
        let start = scanner.position
        while let scalar = scanner.peek, EBNFScanner.isNameLetter(scalar) || scalar == "_" { scanner.advance() }
        return scanner.position > start ? String(String.UnicodeScalarView(scanner.scalars[start..<scanner.position])) : nil
    }

    private mutating func parseDirective() throws(GrammarSyntaxError) {
        let start = scanner.position
        scanner.advance()
        let directive = readName() ?? ""
        scanner.skipSpace(newlines: false)
        switch directive {
        case "ignore":
            ignored.append((try parseExpansions(), start))
        case "import":
            try parseImport(at: start)
        default:
            throw scanner.error(.unsupported, "the directive '%\(directive)' is not supported (only %import common and %ignore)", at: start)
        }
    }

    /// `%import common.NAME`, `%import common.NAME -> ALIAS`, `%import common (A, B)`.
    private mutating func parseImport(at start: Int) throws(GrammarSyntaxError) {
        let moduleStart = scanner.position
        guard readName() == "common" else {
            throw scanner.error(.unsupported, "only Lark's 'common' terminals can be imported", at: moduleStart)
        }
        var names: [(name: String, alias: String, offset: Int)] = []
        if scanner.consume(".") {
            let offset = scanner.position
            guard let name = readName() else { throw scanner.error(.invalid, "expected a name after 'common.'", at: offset) }
            scanner.skipSpace(newlines: false)
            var alias = name
            if scanner.consume("->") {
                scanner.skipSpace(newlines: false)
                guard let given = readName() else { throw scanner.error(.invalid, "expected a name after '->'", at: scanner.position) }
                alias = given
            }
            names.append((name, alias, offset))
        } else {
            scanner.skipSpace(newlines: false)
            guard scanner.consume("(") else {
                throw scanner.error(.invalid, "expected '.NAME' or '(NAMES)' after '%import common'", at: scanner.position)
            }
            repeat {
                scanner.skipSpace()
                let offset = scanner.position
                guard let name = readName() else { throw scanner.error(.invalid, "expected a terminal name", at: offset) }
                names.append((name, name, offset))
                scanner.skipSpace()
            } while scanner.consume(",")
            guard scanner.consume(")") else { throw scanner.error(.invalid, "expected ')'", at: scanner.position) }
        }
        for (name, alias, offset) in names {
            guard let regex = EBNFLarkCommon.terminals[name] else {
                throw scanner.error(.invalid, "'common.\(name)' is not one of Lark's common terminals", at: offset)
            }
            let node = (try? RegexSyntax.parse(regex, flavor: .python)) ?? .never
            definitions.append(EBNFRuleDefinition(name: alias, body: .atom(node, name: name), offset: start, isTerminal: true))
        }
    }

    /// Alternatives; at the top level a line break ends them unless the next line starts with `|`.
    private mutating func parseExpansions() throws(GrammarSyntaxError) -> EBNFExpression {
        var branches = [try parseAlias()]
        while true {
            let before = scanner.position
            scanner.skipSpace(newlines: true)
            if scanner.consume("|") {
                branches.append(try parseAlias())
            } else {
                scanner.reset(to: before)
                break
            }
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    /// A sequence and an optional `-> alias` (a tree name only).
    private mutating func parseAlias() throws(GrammarSyntaxError) -> EBNFExpression {
        let sequence = try parseSequence()
        scanner.skipSpace(newlines: depth > 0)
        if scanner.consume("->") {
            scanner.skipSpace(newlines: false)
            guard readName() != nil else { throw scanner.error(.invalid, "expected a name after '->'", at: scanner.position) }
        }
        return sequence
    }

    private mutating func parseSequence() throws(GrammarSyntaxError) -> EBNFExpression {
        var parts: [EBNFExpression] = []
        while true {
            scanner.skipSpace(newlines: depth > 0)
            guard let next = scanner.peek, !"|)]\n\r".unicodeScalars.contains(next), !scanner.looksAt("->") else { break }
            let item = try parseAtom()
            parts.append(try parseOperator(item))
        }
        return parts.count == 1 ? parts[0] : .sequence(parts)
    }

    /// `? * +`, `~ n`, `~ n..m` and `{m}`, `{m,}`, `{m,n}`, `{,n}` after an item.
    private mutating func parseOperator(_ item: EBNFExpression) throws(GrammarSyntaxError) -> EBNFExpression {
        scanner.skipSpace(newlines: false)
        let start = scanner.position
        var bounds: (min: Int, max: Int?)
        switch scanner.peek {
        case "?": scanner.advance(); bounds = (0, 1)
        case "*": scanner.advance(); bounds = (0, nil)
        case "+": scanner.advance(); bounds = (1, nil)
        case "~":
            scanner.advance()
            scanner.skipSpace(newlines: false)
            let min = try count()
            var max = min
            if scanner.consume("..") { max = try count() }
            bounds = (min, max)
        case "{":
            scanner.advance()
            scanner.skipSpace(newlines: false)
            let min = scanner.peek == "," ? 0 : try count()
            var max: Int? = min
            scanner.skipSpace(newlines: false)
            if scanner.consume(",") {
                scanner.skipSpace(newlines: false)
                max = try scanner.readInteger(limit: EBNFSyntax.maxRepetition)
                scanner.skipSpace(newlines: false)
            }
            guard scanner.consume("}") else { throw scanner.error(.invalid, "expected '}'", at: scanner.position) }
            bounds = (min, max)
        default:
            return item
        }
        if let max = bounds.max, max < bounds.min {
            throw scanner.error(.invalid, "the repetition's maximum \(max) is below its minimum \(bounds.min)", at: start)
        }
        return .repetition(item, min: bounds.min, max: bounds.max, offset: start)
    }

    private mutating func count() throws(GrammarSyntaxError) -> Int {
        guard let value = try scanner.readInteger(limit: EBNFSyntax.maxRepetition) else {
            throw scanner.error(.invalid, "expected a count", at: scanner.position)
        }
        return value
    }

    private mutating func parseAtom() throws(GrammarSyntaxError) -> EBNFExpression {
        let start = scanner.position
        guard let scalar = scanner.peek else { throw scanner.error(.invalid, "expected an item", at: start) }
        switch scalar {
        case "(", "[":
            scanner.advance()
            depth += 1
            defer { depth -= 1 }
            guard depth <= EBNFSyntax.maxNestingDepth else {
                throw scanner.error(.tooLarge, "groups nested deeper than \(EBNFSyntax.maxNestingDepth)", at: start)
            }
            let inner = try parseExpansions()
            scanner.skipSpace()
            let close: String = scalar == "(" ? ")" : "]"
            guard scanner.consume(close) else {
                throw scanner.error(.invalid, "expected '\(close)', found \(scanner.describe(scanner.peek))", at: scanner.position)
            }
            return scalar == "(" ? inner : .repetition(inner, min: 0, max: 1, offset: start)
        case "\"":
            return try parseStringOrRange()
        case "/":
            return try parseRegex()
        case "<", "@":
            throw scanner.error(.unsupported, "special tokens and named grammars are not supported", at: start)
        case "%":
            throw scanner.error(.unsupported, "embedded grammars ('%json', '%lark') are not supported", at: start)
        default:
            guard let name = readName() else { throw scanner.error(.invalid, "unexpected \(scanner.describe(scalar))", at: start) }
            return .reference(name, offset: start)
        }
    }

    /// `"text"`, `"text"i`, or the range `"a".."z"`.
    private mutating func parseStringOrRange() throws(GrammarSyntaxError) -> EBNFExpression {
        let start = scanner.position
        let text = try scanner.readString()
        if scanner.consume("i") {
            return .atom(EBNFLarkCommon.caseInsensitive(.literal(String(text))), name: String(text) + "i")
        }
        guard scanner.looksAt("..") else { return text.isEmpty ? .empty : .atom(.literal(String(text)), name: String(text)) }
        scanner.advance(2)
        let end = try scanner.readString()
        guard text.count == 1, end.count == 1, let low = text.first, let high = end.first else {
            throw scanner.error(.invalid, "a range's ends are single characters", at: start)
        }
        guard low.value <= high.value else { throw scanner.error(.invalid, "the range's end is below its start", at: start) }
        return .atom(ScalarRangeSet(ranges: [low.value...high.value]).node, name: "\(Character(low))..\(Character(high))")
    }

    /// `/pattern/flags`: Python `re` syntax (as `RegexSyntax` reads it); flags `i` and `s`.
    private mutating func parseRegex() throws(GrammarSyntaxError) -> EBNFExpression {
        let start = scanner.position
        scanner.advance()
        var pattern = String.UnicodeScalarView()
        while true {
            guard let scalar = scanner.peek, scalar != "\n", scalar != "\r" else {
                throw scanner.error(.invalid, "unterminated regex", at: start)
            }
            scanner.advance()
            if scalar == "/" { break }
            pattern.append(scalar)
            if scalar == "\\", let escaped = scanner.peek, escaped != "\n" {
                pattern.append(escaped)
                scanner.advance()
            }
        }
        var caseInsensitive = false
        var dotAll = false
        while let flag = scanner.peek, EBNFScanner.isNameLetter(flag) {
            switch flag {
            case "i": caseInsensitive = true
            case "s": dotAll = true
            default: throw scanner.error(.unsupported, "the regex flag '\(Character(flag))' is not supported (only i and s)", at: scanner.position)
            }
            scanner.advance()
        }
        let source = String(pattern)
        var node: RegexNode
        do {
            node = try RegexSyntax.parse(dotAll ? EBNFLarkCommon.dotMatchesAll(source) : source, flavor: .python)
        } catch {
            throw scanner.error(error.kind == .invalid ? .invalid : .unsupported, "in the regex: \(error.message)",
                                at: start + 1 + (dotAll ? 0 : min(error.offset, pattern.count)))
        }
        if caseInsensitive { node = EBNFLarkCommon.caseInsensitive(node) }
        return .atom(node, name: "/" + source + "/")
    }
}
