extension Renderer {
    func evalKeywords(_ kwargs: [KeywordArgument], _ scope: Scope) throws -> [(String, Value)] {
        try kwargs.map { ($0.name, try eval($0.value, scope)) }
    }

    func lookup(_ name: String, _ scope: Scope) -> Value {
        if let value = scope.lookup(name) { return value }
        switch name {
        case "raise_exception": return .function(.raiseException)
        case "range": return .function(.range)
        case "namespace": return .function(.namespace)
        case "strftime_now": return .function(.strftimeNow)
        case "dict": return .function(.dict)
        default: return .undefined("'\(name)' is undefined")
        }
    }

    func eval(_ expr: Expr, _ scope: Scope) throws -> Value {
        switch expr {
        case .literal(let literal):
            return Value(literal)
        case .name(let name):
            return lookup(name, scope)
        case .list(let items):
            return .list(try items.map { try eval($0, scope) })
        case .tuple(let items):
            return .tuple(try items.map { try eval($0, scope) })
        case .dict(let pairs):
            var dict = ValueDict()
            for (keyExpr, valueExpr) in pairs {
                dict[try ValueFormatting.str(try eval(keyExpr, scope))] = try eval(valueExpr, scope)
            }
            return .dict(dict)
        case .attribute(let base, let name):
            return try Access.attribute(try eval(base, scope), name)
        case .item(let base, let key):
            return try Access.item(try eval(base, scope), try eval(key, scope))
        case .slice(let base, let start, let stop, let step):
            let value = try eval(base, scope)
            return try Access.slice(value,
                                    start: try start.map { try eval($0, scope) },
                                    stop: try stop.map { try eval($0, scope) },
                                    step: try step.map { try eval($0, scope) })
        case .negate(let operand):
            return try Operators.negate(try eval(operand, scope))
        case .plus(let operand):
            let value = try eval(operand, scope)
            guard value.number != nil else { throw EvalFailure.type("bad operand type for unary +: '\(value.typeName)'") }
            return value
        case .not(let operand):
            return .bool(!(try eval(operand, scope).isTruthy))
        case .and(let left, let right):
            let l = try eval(left, scope)
            return l.isTruthy ? try eval(right, scope) : l
        case .or(let left, let right):
            let l = try eval(left, scope)
            return l.isTruthy ? l : try eval(right, scope)
        case .binary(let op, let left, let right):
            return try Operators.binary(op, try eval(left, scope), try eval(right, scope))
        case .compare(let first, let operations):
            var left = try eval(first, scope)
            for (op, rightExpr) in operations {
                let right = try eval(rightExpr, scope)
                guard try Operators.binary(op, left, right).isTruthy else { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .conditional(let condition, let then, let otherwise):
            if try eval(condition, scope).isTruthy { return try eval(then, scope) }
            if let otherwise { return try eval(otherwise, scope) }
            return .undefined("the inline if-expression evaluated to false and no else section was defined")
        case .filter(let base, let name, let args, let kwargs):
            let value = try eval(base, scope)
            return try Filters.apply(name, to: value, args: try args.map { try eval($0, scope) },
                                     kwargs: try evalKeywords(kwargs, scope), renderer: self)
        case .test(let base, let name, let args, let negated):
            let value = try eval(base, scope)
            let result = try TestFunctions.apply(name, to: value, args: try args.map { try eval($0, scope) })
            return .bool(result != negated)
        case .call(let callee, let argExprs, let kwargExprs):
            return try evalCall(callee, argExprs, kwargExprs, scope)
        }
    }

    private func evalCall(_ callee: Expr, _ argExprs: [Expr], _ kwargExprs: [KeywordArgument], _ scope: Scope) throws -> Value {
        var function: Value
        if case .attribute(let baseExpr, let name) = callee {
            let base = try eval(baseExpr, scope)
            if case .undefined(let message) = base { throw EvalFailure.undefined(message) }
            if Methods.has(name, on: base) {
                let args = try argExprs.map { try eval($0, scope) }
                let kwargs = try evalKeywords(kwargExprs, scope)
                return try Methods.call(name, on: base, args: args, kwargs: kwargs)
            }
            function = try Access.attribute(base, name)
        } else {
            function = try eval(callee, scope)
        }
        let args = try argExprs.map { try eval($0, scope) }
        let kwargs = try evalKeywords(kwargExprs, scope)
        switch function {
        case .macro(let macro):
            return try callMacro(macro, args: args, kwargs: kwargs)
        case .function(let builtin):
            return try Builtins.call(builtin, args: args, kwargs: kwargs, options: options)
        case .method(let method):
            return try Methods.call(method.name, on: method.receiver, args: args, kwargs: kwargs)
        case .undefined(let message):
            throw EvalFailure.undefined(message)
        default:
            throw EvalFailure.type("'\(function.typeName)' object is not callable")
        }
    }
}
