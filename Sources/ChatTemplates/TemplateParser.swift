/// Builds statement nodes from tokens. Expression parsing lives in `TemplateParser+Expressions.swift`.
struct TemplateParser {
    let tokens: [Token]
    var index = 0
    var depth = 0
    /// Deepest nesting of blocks and expressions accepted (guards the recursive descent).
    static let maxDepth = 200

    init(tokens: [Token]) { self.tokens = tokens }

    var current: Token { tokens[min(index, tokens.count - 1)] }
    var peekNext: Token { tokens[min(index + 1, tokens.count - 1)] }

    mutating func advance() -> Token {
        let token = current
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func syntax(_ message: String, _ token: Token? = nil) -> TemplateError {
        .syntax(message: message, line: (token ?? current).line)
    }

    func isName(_ name: String) -> Bool { current.kind == .name(name) }
    func isOp(_ op: String) -> Bool { current.kind == .op(op) }

    mutating func skipName(_ name: String) -> Bool {
        if isName(name) { index += 1; return true }
        return false
    }

    mutating func skipOp(_ op: String) -> Bool {
        if isOp(op) { index += 1; return true }
        return false
    }

    mutating func expectOp(_ op: String) throws {
        guard skipOp(op) else { throw syntax("expected '\(op)', got \(current.describe)") }
    }

    mutating func expectName() throws -> String {
        guard case .name(let n) = current.kind else { throw syntax("expected a name, got \(current.describe)") }
        index += 1
        return n
    }

    mutating func expectBlockEnd() throws {
        guard current.kind == .blockEnd else { throw syntax("expected end of statement block, got \(current.describe)") }
        index += 1
    }

    mutating func enter() throws {
        depth += 1
        if depth > TemplateParser.maxDepth {
            throw TemplateError.limitExceeded(message: "template nested deeper than \(TemplateParser.maxDepth) levels", line: current.line)
        }
    }

    /// Parses the whole template.
    mutating func parseTemplate() throws -> [Node] {
        let (nodes, end) = try parseBody(until: [])
        if let end { throw syntax("encountered unknown tag '\(end)'") }
        return nodes
    }

    /// Parses nodes until a block tag whose name is in `terminators`; returns that name
    /// (the tag's `{%` and name are consumed, the rest of the tag is not) or nil at end of template.
    mutating func parseBody(until terminators: Set<String>) throws -> ([Node], String?) {
        try enter()
        defer { depth -= 1 }
        var nodes: [Node] = []
        while true {
            let token = advance()
            switch token.kind {
            case .end:
                if !terminators.isEmpty {
                    let wanted = terminators.sorted().map { "'\($0)'" }.joined(separator: " or ")
                    throw syntax("unexpected end of template; looking for \(wanted)", token)
                }
                return (nodes, nil)
            case .text(let s):
                nodes.append(.text(s, line: token.line))
            case .variableBegin:
                let expr = try parseTuple()
                guard current.kind == .variableEnd else { throw syntax("unexpected \(current.describe), expected end of print statement") }
                index += 1
                nodes.append(.output(expr, line: token.line))
            case .blockBegin:
                let nameToken = current
                let name = try expectName()
                if terminators.contains(name) { return (nodes, name) }
                nodes.append(try parseStatement(name, line: nameToken.line))
            default:
                throw syntax("unexpected \(token.describe)", token)
            }
        }
    }

    private mutating func parseStatement(_ name: String, line: Int) throws -> Node {
        switch name {
        case "if": return try parseIf(line: line)
        case "for": return try parseFor(line: line)
        case "set": return try parseSet(line: line)
        case "macro": return try parseMacro(line: line)
        case "break", "continue":
            try expectBlockEnd()
            return name == "break" ? .breakLoop(line: line) : .continueLoop(line: line)
        case "filter":
            let filters = try parseFilterChain()
            try expectBlockEnd()
            let (body, _) = try parseBody(until: ["endfilter"])
            try expectBlockEnd()
            return .filterBlock(filters, body: body, line: line)
        case "call":
            var parameters: [String] = []
            var defaults: [String: Expr] = [:]
            if isOp("(") { (parameters, defaults) = try parseParameters() }
            let call = try parseExpression()
            guard case .call = call else { throw syntax("expected a macro call in call block") }
            try expectBlockEnd()
            let (body, _) = try parseBody(until: ["endcall"])
            try expectBlockEnd()
            return .callBlock(call, caller: MacroDefinition(name: "caller", parameters: parameters, defaults: defaults, body: body), line: line)
        case "generation":
            try expectBlockEnd()
            let (body, _) = try parseBody(until: ["endgeneration"])
            try expectBlockEnd()
            return .block(body)
        default:
            throw TemplateError.syntax(message: "encountered unknown tag '\(name)'", line: line)
        }
    }

    private mutating func parseIf(line: Int) throws -> Node {
        var branches: [(Expr, [Node])] = []
        var condition = try parseExpression()
        while true {
            try expectBlockEnd()
            let (body, end) = try parseBody(until: ["elif", "else", "endif"])
            branches.append((condition, body))
            if end == "elif" {
                condition = try parseExpression()
                continue
            }
            if end == "else" {
                try expectBlockEnd()
                let (otherwise, _) = try parseBody(until: ["endif"])
                try expectBlockEnd()
                return .conditional(branches: branches, otherwise: otherwise, line: line)
            }
            try expectBlockEnd()
            return .conditional(branches: branches, otherwise: [], line: line)
        }
    }

    private mutating func parseTargetNames() throws -> [String] {
        let parenthesized = skipOp("(")
        var names = [try expectName()]
        while skipOp(",") {
            if case .name = current.kind { names.append(try expectName()) } else { break }
        }
        if parenthesized { try expectOp(")") }
        return names
    }

    private mutating func parseFor(line: Int) throws -> Node {
        let targets = try parseTargetNames()
        guard skipName("in") else { throw syntax("expected 'in' in for loop, got \(current.describe)") }
        let iterable = try parseTuple(withCondition: false)
        var filter: Expr?
        if skipName("if") { filter = try parseExpression() }
        if skipName("recursive") { throw syntax("recursive for loops are not supported") }
        try expectBlockEnd()
        let (body, end) = try parseBody(until: ["else", "endfor"])
        var otherwise: [Node] = []
        if end == "else" {
            try expectBlockEnd()
            (otherwise, _) = try parseBody(until: ["endfor"])
        }
        try expectBlockEnd()
        return .forLoop(ForLoop(targets: targets, iterable: iterable, filter: filter, body: body, otherwise: otherwise, line: line))
    }

    private mutating func parseSet(line: Int) throws -> Node {
        if case .name(let first) = current.kind, peekNext.kind == .op(".") {
            index += 2
            let attribute = try expectName()
            try expectOp("=")
            let value = try parseTuple()
            try expectBlockEnd()
            return .set(.attribute(first, attribute), value, line: line)
        }
        let names = try parseTargetNames()
        if skipOp("=") {
            let value = try parseTuple()
            try expectBlockEnd()
            return .set(.names(names), value, line: line)
        }
        guard names.count == 1 else { throw syntax("expected '=' in set statement") }
        var filters: [FilterCall] = []
        if skipOp("|") { filters = try parseFilterChain() }
        try expectBlockEnd()
        let (body, _) = try parseBody(until: ["endset"])
        try expectBlockEnd()
        return .setBlock(names[0], body: body, filters: filters, line: line)
    }

    private mutating func parseMacro(line: Int) throws -> Node {
        let name = try expectName()
        let (parameters, defaults) = try parseParameters()
        try expectBlockEnd()
        let (body, _) = try parseBody(until: ["endmacro"])
        try expectBlockEnd()
        return .macro(MacroDefinition(name: name, parameters: parameters, defaults: defaults, body: body), line: line)
    }

    /// `(a, b='x')`: parameter names and default-value expressions.
    private mutating func parseParameters() throws -> ([String], [String: Expr]) {
        try expectOp("(")
        var parameters: [String] = []
        var defaults: [String: Expr] = [:]
        while !isOp(")") {
            if !parameters.isEmpty { try expectOp(",") }
            if isOp(")") { break }
            let parameter = try expectName()
            parameters.append(parameter)
            if skipOp("=") { defaults[parameter] = try parseExpression() }
        }
        try expectOp(")")
        return (parameters, defaults)
    }

    /// `name(args) | name2 ...` as used by `{% filter %}` and `{% set x | f %}`.
    private mutating func parseFilterChain() throws -> [FilterCall] {
        var filters: [FilterCall] = []
        repeat {
            let (name, args, kwargs) = try parseFilterNameAndArgs()
            filters.append(FilterCall(name: name, args: args, kwargs: kwargs))
        } while skipOp("|")
        return filters
    }
}
