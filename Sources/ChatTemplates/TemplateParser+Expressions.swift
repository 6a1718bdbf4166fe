extension TemplateParser {
    /// A comma-separated expression list becomes a tuple (`{{ 1, 2 }}`, `set a, b = 1, 2`).
    mutating func parseTuple(withCondition: Bool = true) throws -> Expr {
        let first = withCondition ? try parseExpression() : try parseOr()
        guard isOp(",") else { return first }
        var items = [first]
        while skipOp(",") {
            if current.kind == .variableEnd || current.kind == .blockEnd || isName("if") || isOp(")") { break }
            items.append(withCondition ? try parseExpression() : try parseOr())
        }
        return .tuple(items)
    }

    /// `a if cond else b` (the else part is optional and yields undefined).
    mutating func parseExpression() throws -> Expr {
        try enter()
        defer { depth -= 1 }
        var expr = try parseOr()
        while skipName("if") {
            let condition = try parseOr()
            var otherwise: Expr?
            if skipName("else") { otherwise = try parseExpression() }
            expr = .conditional(condition: condition, then: expr, otherwise: otherwise)
        }
        return expr
    }

    mutating func parseOr() throws -> Expr {
        var left = try parseAnd()
        let start = depth
        defer { depth = start }
        while skipName("or") {
            try enter()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws -> Expr {
        var left = try parseNot()
        let start = depth
        defer { depth = start }
        while skipName("and") {
            try enter()
            left = .and(left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws -> Expr {
        if isName("not") {
            index += 1
            try enter()
            defer { depth -= 1 }
            return .not(try parseNot())
        }
        return try parseCompare()
    }

    private mutating func parseCompare() throws -> Expr {
        let left = try parseMath1()
        var operations: [(BinaryOperator, Expr)] = []
        while true {
            if case .op(let o) = current.kind, let op = BinaryOperator(rawValue: o),
               ["==", "!=", "<", "<=", ">", ">="].contains(o)
            {
                index += 1
                operations.append((op, try parseMath1()))
            } else if isName("in") {
                index += 1
                operations.append((.contains, try parseMath1()))
            } else if isName("not"), peekNext.kind == .name("in") {
                index += 2
                operations.append((.notContains, try parseMath1()))
            } else {
                break
            }
        }
        return operations.isEmpty ? left : .compare(left, operations)
    }

    private mutating func parseBinaryLevel(_ ops: [String], next: (inout TemplateParser) throws -> Expr) throws -> Expr {
        var left = try next(&self)
        // Each chained operator nests the tree one level deeper, and evaluation recurses that deep.
        let start = depth
        defer { depth = start }
        while case .op(let o) = current.kind, ops.contains(o), let op = BinaryOperator(rawValue: o) {
            index += 1
            try enter()
            left = .binary(op, left, try next(&self))
        }
        return left
    }

    private mutating func parseMath1() throws -> Expr {
        try parseBinaryLevel(["+", "-"]) { try $0.parseConcat() }
    }

    private mutating func parseConcat() throws -> Expr {
        try parseBinaryLevel(["~"]) { try $0.parseMath2() }
    }

    private mutating func parseMath2() throws -> Expr {
        try parseBinaryLevel(["*", "/", "//", "%"]) { try $0.parsePow() }
    }

    private mutating func parsePow() throws -> Expr {
        try parseBinaryLevel(["**"]) { try $0.parseUnary(withFilter: true) }
    }

    private mutating func parseUnary(withFilter: Bool) throws -> Expr {
        try enter()
        defer { depth -= 1 }
        var expr: Expr
        if skipOp("-") {
            expr = .negate(try parseUnary(withFilter: false))
        } else if skipOp("+") {
            expr = .plus(try parseUnary(withFilter: false))
        } else {
            expr = try parsePrimary()
        }
        expr = try parsePostfix(expr)
        if withFilter { expr = try parseFilterExpr(expr) }
        return expr
    }

    private mutating func parsePrimary() throws -> Expr {
        let token = advance()
        switch token.kind {
        case .name(let n):
            switch n {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default: return .name(n)
            }
        case .string(var s):
            while case .string(let more) = current.kind { s += more; index += 1 }
            return .literal(.string(s))
        case .integer(let i): return .literal(.int(i))
        case .float(let d): return .literal(.double(d))
        case .op("("):
            if skipOp(")") { return .tuple([]) }
            let first = try parseExpression()
            if skipOp(")") { return first }
            var items = [first]
            while skipOp(",") {
                if isOp(")") { break }
                items.append(try parseExpression())
            }
            try expectOp(")")
            return .tuple(items)
        case .op("["):
            var items: [Expr] = []
            while !isOp("]") {
                if !items.isEmpty { try expectOp(",") }
                if isOp("]") { break }
                items.append(try parseExpression())
            }
            try expectOp("]")
            return .list(items)
        case .op("{"):
            var pairs: [(Expr, Expr)] = []
            while !isOp("}") {
                if !pairs.isEmpty { try expectOp(",") }
                if isOp("}") { break }
                let key = try parseExpression()
                try expectOp(":")
                pairs.append((key, try parseExpression()))
            }
            try expectOp("}")
            return .dict(pairs)
        default:
            throw syntax("unexpected \(token.describe)", token)
        }
    }

    private mutating func parsePostfix(_ base: Expr) throws -> Expr {
        var expr = base
        let start = depth
        defer { depth = start }
        while true {
            if isOp(".") || isOp("[") || isOp("(") { try enter() }
            if skipOp(".") {
                let token = advance()
                switch token.kind {
                case .name(let n): expr = .attribute(expr, n)
                case .integer(let i): expr = .item(expr, .literal(.int(i)))
                default: throw syntax("expected attribute name after '.'", token)
                }
            } else if skipOp("[") {
                expr = try parseSubscript(expr)
            } else if isOp("(") {
                let (args, kwargs) = try parseCallArguments()
                expr = .call(expr, args: args, kwargs: kwargs)
            } else {
                return expr
            }
        }
    }

    private mutating func parseSubscript(_ base: Expr) throws -> Expr {
        var parts: [Expr?] = [nil]
        var sawColon = false
        if !isOp(":") { parts[0] = try parseExpression() }
        while skipOp(":") {
            sawColon = true
            parts.append(isOp(":") || isOp("]") ? nil : try parseExpression())
        }
        try expectOp("]")
        guard sawColon else {
            guard let key = parts[0] else { throw syntax("expected subscript expression") }
            return .item(base, key)
        }
        guard parts.count <= 3 else { throw syntax("too many ':' in slice") }
        return .slice(base, start: parts[0], stop: parts[1], step: parts.count > 2 ? parts[2] : nil)
    }

    mutating func parseCallArguments() throws -> ([Expr], [KeywordArgument]) {
        try expectOp("(")
        var args: [Expr] = []
        var kwargs: [KeywordArgument] = []
        while !isOp(")") {
            if !args.isEmpty || !kwargs.isEmpty { try expectOp(",") }
            if isOp(")") { break }
            if case .name(let n) = current.kind, peekNext.kind == .op("=") {
                index += 2
                kwargs.append(KeywordArgument(name: n, value: try parseExpression()))
            } else {
                guard kwargs.isEmpty else { throw syntax("positional argument follows keyword argument") }
                args.append(try parseExpression())
            }
        }
        try expectOp(")")
        return (args, kwargs)
    }

    mutating func parseFilterNameAndArgs() throws -> (String, [Expr], [KeywordArgument]) {
        let nameToken = current
        var name = try expectName()
        while isOp("."), case .name(let more) = peekNext.kind { index += 2; name += "." + more }
        guard Filters.names.contains(name) else { throw TemplateError.unknownFilter(name: name, line: nameToken.line) }
        if isOp("(") {
            let (args, kwargs) = try parseCallArguments()
            return (name, args, kwargs)
        }
        return (name, [], [])
    }

    private mutating func parseFilterExpr(_ base: Expr) throws -> Expr {
        var expr = base
        let start = depth
        defer { depth = start }
        while true {
            if isOp("|") || isName("is") || isOp("(") { try enter() }
            if skipOp("|") {
                let (name, args, kwargs) = try parseFilterNameAndArgs()
                expr = .filter(expr, name: name, args: args, kwargs: kwargs)
            } else if skipName("is") {
                let negated = skipName("not")
                let nameToken = current
                let name = try expectName()
                guard TestFunctions.names.contains(name) else { throw TemplateError.unknownTest(name: name, line: nameToken.line) }
                var args: [Expr] = []
                if isOp("(") {
                    let (positional, _) = try parseCallArguments()
                    args = positional
                } else if startsTestArgument {
                    args = [try parsePostfix(try parsePrimary())]
                }
                expr = .test(expr, name: name, args: args, negated: negated)
            } else if isOp("(") {
                let (args, kwargs) = try parseCallArguments()
                expr = .call(expr, args: args, kwargs: kwargs)
            } else {
                return expr
            }
        }
    }

    private var startsTestArgument: Bool {
        switch current.kind {
        case .name(let n): return !["else", "or", "and", "if", "is", "in", "not"].contains(n)
        case .string, .integer, .float: return true
        case .op(let o): return o == "[" || o == "{"
        default: return false
        }
    }
}
