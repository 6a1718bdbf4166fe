/// A constant written in the template.
enum Literal: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
}

/// Binary operators (arithmetic, concatenation and comparisons).
enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
    case concat = "~"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case contains = "in", notContains = "not in"
}

/// A keyword argument of a call, filter or test.
struct KeywordArgument: Sendable {
    let name: String
    let value: Expr
}

/// An expression node.
indirect enum Expr: Sendable {
    case literal(Literal)
    case name(String)
    case list([Expr])
    case tuple([Expr])
    case dict([(Expr, Expr)])
    case attribute(Expr, String)
    case item(Expr, Expr)
    case slice(Expr, start: Expr?, stop: Expr?, step: Expr?)
    case negate(Expr)
    case plus(Expr)
    case not(Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case compare(Expr, [(BinaryOperator, Expr)])
    case conditional(condition: Expr, then: Expr, otherwise: Expr?)
    case filter(Expr, name: String, args: [Expr], kwargs: [KeywordArgument])
    case test(Expr, name: String, args: [Expr], negated: Bool)
    case call(Expr, args: [Expr], kwargs: [KeywordArgument])
}

/// What a `set` statement assigns to.
enum SetTarget: Sendable {
    case names([String])
    case attribute(String, String)
}

/// A `{% macro %}` definition.
struct MacroDefinition: Sendable {
    let name: String
    let parameters: [String]
    let defaults: [String: Expr]
    let body: [Node]
}

/// A `{% for %}` statement.
struct ForLoop: Sendable {
    let targets: [String]
    let iterable: Expr
    let filter: Expr?
    let body: [Node]
    let otherwise: [Node]
    let line: Int
}

/// A filter applied by `{% filter %}` blocks and `{% set x | f %}`.
struct FilterCall: Sendable {
    let name: String
    let args: [Expr]
    let kwargs: [KeywordArgument]
}

/// A statement node.
indirect enum Node: Sendable {
    case text(String, line: Int)
    case output(Expr, line: Int)
    case conditional(branches: [(Expr, [Node])], otherwise: [Node], line: Int)
    case forLoop(ForLoop)
    case set(SetTarget, Expr, line: Int)
    case setBlock(String, body: [Node], filters: [FilterCall], line: Int)
    case macro(MacroDefinition, line: Int)
    case breakLoop(line: Int)
    case continueLoop(line: Int)
    case filterBlock([FilterCall], body: [Node], line: Int)
    /// `{% call(params) macro(args) %}body{% endcall %}`: the macro sees the body as `caller(...)`.
    case callBlock(Expr, caller: MacroDefinition, line: Int)
    case block([Node])
}
