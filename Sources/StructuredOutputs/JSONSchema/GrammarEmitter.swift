/// Writes the grammar of a lowered schema: one lexeme per kind of JSON token (a string lexeme per
/// string constraint, each property key its own literal lexeme), rules for arrays, objects,
/// unions and `$ref` targets (one rule each, defined after the rest, so recursion is just a rule
/// that mentions itself).
struct GrammarEmitter {
    typealias Symbol = Grammar.Symbol

    let compilation: SchemaCompilation
    var builder = GrammarBuilder()
    private var referenceRules: [String: Grammar.RuleID] = [:]
    private var pendingReferences: [(key: String, rule: Grammar.RuleID)] = []
    private var anyValueSymbol: Symbol?

    init(compilation: SchemaCompilation) {
        self.compilation = compilation
    }

    mutating func grammar(for node: SchemaNode) throws(JSONSchemaError) -> Grammar {
        let start = builder.declare("start")
        guard let symbol = try emit(node) else {
            if case .unsatisfiable(let reason) = node { throw .unsatisfiable(reason: reason, pointer: "") }
            throw .unsatisfiable(reason: "no JSON value fits the schema", pointer: "")
        }
        builder.define(start, [[symbol]])
        while let (key, rule) = pendingReferences.popLast() {
            let pointer = JSONPointer(parsing: String(key.dropFirst())) ?? JSONPointer()
            let target = try compilation.resolve(key, at: pointer)
            builder.define(rule, try emit(target).map { [[$0]] } ?? [])
        }
        var grammar = builder.build(start: start, skip: try skip())
        GrammarPruning.removeUnproductive(&grammar)
        if grammar.rules[start.index].alternatives.isEmpty {
            throw .unsatisfiable(reason: "no JSON value fits the schema", pointer: "")
        }
        return grammar
    }

    private func skip() throws(JSONSchemaError) -> RegexNode? {
        let options = compilation.options
        if let pattern = options.whitespacePattern {
            return try compilation.regex(forPattern: pattern, keyword: "whitespacePattern", at: JSONPointer(), use: .wholeText)
        }
        return options.anyWhitespace ? JSONTokens.whitespace : nil
    }

    /// Counts rules against `maxRules` as they are made.
    mutating func newRule(_ name: String) throws(JSONSchemaError) -> Grammar.RuleID {
        if builder.rules.count >= compilation.options.limits.maxRules {
            throw .limitExceeded(limit: "maxRules", maximum: compilation.options.limits.maxRules, pointer: "")
        }
        return builder.declare(name)
    }

    mutating func rule(_ name: String, _ alternatives: [[Symbol]]) throws(JSONSchemaError) -> Symbol {
        let id = try newRule(name)
        builder.define(id, alternatives)
        return .rule(id)
    }

    mutating func literal(_ text: String) -> Symbol { builder.lexeme(.literal(text), name: text) }

    /// The symbol of the values `node` allows, or nil when there is none.
    mutating func emit(_ node: SchemaNode) throws(JSONSchemaError) -> Symbol? {
        if let token = try tokenRegex(node) {
            return token.regex.map { builder.lexeme($0, name: token.name) }
        }
        switch node {
        case .any: return try anyValue()
        case .array(let shape): return try array(shape)
        case .object(let shape): return try object(shape)
        case .anyOf(let options): return try union(options)
        case .reference(let key):
            if let rule = referenceRules[key] { return .rule(rule) }
            let rule = try newRule(key)
            referenceRules[key] = rule
            pendingReferences.append((key, rule))
            return .rule(rule)
        default: return nil
        }
    }

    /// For a node whose values are single JSON tokens (null, booleans, numbers, strings): the
    /// regex of those tokens (nil inside when there is none) and a lexeme name. Nil for the others.
    private func tokenRegex(_ node: SchemaNode) throws(JSONSchemaError) -> (regex: RegexNode?, name: String)? {
        switch node {
        case .unsatisfiable: return (nil, "none")
        case .null: return (.literal("null"), "null")
        case .boolean(let value):
            guard let value else { return (.alternation([.literal("true"), .literal("false")]), "boolean") }
            return (.literal(value ? "true" : "false"), value ? "true" : "false")
        case .number(let shape): return (try NumberRegex.regex(shape), shape.isInteger ? "integer" : "number")
        case .string(let shape): return (StringRegex.regex(shape, compilation: compilation), "string")
        default: return nil
        }
    }

    /// One option per satisfiable member; the members that are single tokens (an enum, a list of
    /// types) share one lexeme, so a large enum is one lexeme and no rule per value.
    private mutating func union(_ options: [SchemaNode]) throws(JSONSchemaError) -> Symbol? {
        var tokens: [RegexNode] = []
        var names: [String] = []
        var symbols: [Symbol] = []
        for option in options {
            if let token = try tokenRegex(option) {
                if let regex = token.regex {
                    tokens.append(regex)
                    if !names.contains(token.name) { names.append(token.name) }
                }
            } else if let symbol = try emit(option), !symbols.contains(symbol) {
                symbols.append(symbol)
            }
        }
        if !tokens.isEmpty {
            let regex = tokens.count == 1 ? tokens[0] : RegexDerivatives.alternation(tokens)
            symbols.insert(builder.lexeme(regex, name: names.joined(separator: "|")), at: 0)
        }
        if symbols.count <= 1 { return symbols.first }
        return try rule("anyOf", symbols.map { [$0] })
    }

    /// Any JSON value (the schema `{}` or `true`): one set of rules per grammar.
    mutating func anyValue() throws(JSONSchemaError) -> Symbol {
        if let anyValueSymbol { return anyValueSymbol }
        let value = try newRule("value")
        anyValueSymbol = .rule(value)
        let string = builder.lexeme(JSONTokens.string, name: "string")
        let comma = literal(","), colon = literal(":")
        let member = try rule("member", [[string, colon, .rule(value)]])
        let members = try newRule("members")
        builder.define(members, [[], [comma, member, .rule(members)]])
        let object = try rule("object", [[literal("{"), literal("}")], [literal("{"), member, .rule(members), literal("}")]])
        let elements = try newRule("elements")
        builder.define(elements, [[], [comma, .rule(value), .rule(elements)]])
        let array = try rule("array", [[literal("["), literal("]")], [literal("["), .rule(value), .rule(elements), literal("]")]])
        let number = builder.lexeme(JSONTokens.number, name: "number")
        let scalars = builder.lexeme(.alternation([.literal("true"), .literal("false"), .literal("null")]), name: "literal")
        builder.define(value, [[object], [array], [string], [number], [scalars]])
        return .rule(value)
    }
}
