/// Objects: the named properties in order (each optional one may be skipped), then any number of
/// other members (`patternProperties`, `additionalProperties`) in any order, with `,` between
/// members. `minProperties`/`maxProperties` are counted exactly: the rule for a position also
/// knows how many members were written (up to the bound that matters).
extension GrammarEmitter {
    private struct ObjectState: Hashable {
        /// Named properties already passed.
        var index: Int
        /// Members written so far, saturated at `cap`.
        var count: Int
    }

    mutating func object(_ shape: ObjectShape) throws(JSONSchemaError) -> Symbol? {
        let colon = literal(":"), comma = literal(",")
        // Named members: the properties, then names only `required` lists.
        let names = shape.orderedNames
        var named: [(member: [Symbol], required: Bool)] = []
        for name in names {
            let schema = try compilation.memberSchema(shape, name, at: JSONPointer())
            let value = try emit(patternMerged(shape, name, schema))
            let required = shape.isRequired(name)
            guard let value else {
                if required { return nil }
                continue
            }
            let key = builder.lexeme(JSONTokens.quotedLiteral(name), name: "\"" + name + "\"")
            named.append(([key, colon, value], required))
        }
        // Other members: one alternative per pattern, and one for additionalProperties.
        var others: [[Symbol]] = []
        for pattern in shape.patternProperties {
            guard let value = try emit(pattern.schema) else { continue }
            let taken = names.filter { RegexDerivatives.matches(pattern.keys, $0) }
            let keys = JSONTokens.quoted(RegexDerivatives.excluding(taken, from: pattern.keys))
            others.append([builder.lexeme(keys, name: "key /\(pattern.pattern)/"), colon, value])
        }
        if let value = try emit(shape.additional) {
            // Keys no pattern matches, when that complement is small enough to write; else any key
            // (a key a pattern matches may then take the additionalProperties route too).
            var free = RegexNode.zeroOrMore(RegexNode.anyScalar)
            if !shape.patternProperties.isEmpty {
                let patterns = RegexDerivatives.alternation(shape.patternProperties.map(\.keys))
                if let unmatched = RegexComplement.complement(of: patterns) {
                    free = unmatched
                } else {
                    compilation.approximations.append("additionalProperties also admits keys that patternProperties match")
                }
            }
            let body = RegexDerivatives.excluding(names, from: free)
            if names.isEmpty && shape.patternProperties.isEmpty {
                others.append([builder.lexeme(JSONTokens.string, name: "string"), colon, value])
            } else if case .never = body {
                // Every key is named or taken by a pattern.
            } else {
                others.append([builder.lexeme(JSONTokens.quoted(body), name: "key"), colon, value])
            }
        }
        let other: Symbol? = others.isEmpty ? nil : (others.count == 1 && others[0].count == 1 ? others[0][0] : try rule("member", others))

        let minimum = shape.minProperties, maximum = shape.maxProperties
        if let maximum, maximum < minimum { return nil }
        // Counting matters up to maxProperties, or up to minProperties (then "enough").
        let cap = maximum.map { max($0, 1) } ?? max(minimum, 1)
        var rules: [ObjectState: Grammar.RuleID] = [:]
        var pending: [ObjectState] = []
        func ruleFor(_ state: ObjectState, _ emitter: inout GrammarEmitter) throws(JSONSchemaError) -> Grammar.RuleID {
            if let id = rules[state] { return id }
            let id = try emitter.newRule("members@\(state.index),\(state.count)")
            rules[state] = id
            pending.append(state)
            return id
        }
        let start = try ruleFor(ObjectState(index: 0, count: 0), &self)
        while let state = pending.popLast() {
            guard let id = rules[state] else { continue }
            let separator: [Symbol] = state.count > 0 ? [comma] : []
            let canAdd = maximum.map { state.count < $0 } ?? true
            let added = ObjectState(index: state.index, count: min(state.count + 1, cap))
            var alternatives: [[Symbol]] = []
            if state.index < named.count {
                let (member, required) = named[state.index]
                if canAdd {
                    let next = try ruleFor(ObjectState(index: state.index + 1, count: added.count), &self)
                    alternatives.append(separator + member + [.rule(next)])
                }
                if !required {
                    alternatives.append([.rule(try ruleFor(ObjectState(index: state.index + 1, count: state.count), &self))])
                }
            } else {
                if state.count >= minimum { alternatives.append([]) }
                if canAdd, let other {
                    alternatives.append(separator + [other, .rule(try ruleFor(added, &self))])
                }
            }
            builder.define(id, alternatives)
        }
        return try rule("object", [[literal("{"), .rule(start), literal("}")]])
    }

    /// A named property's schema merged with the patterns its name matches (memberSchema gives
    /// the property's own schema when there is one).
    private func patternMerged(_ shape: ObjectShape, _ name: String, _ schema: SchemaNode) throws(JSONSchemaError) -> SchemaNode {
        guard shape.propertyIndex(name) != nil else { return schema }
        var merged = schema
        for pattern in shape.patternProperties where RegexDerivatives.matches(pattern.keys, name) {
            merged = try compilation.intersect(merged, pattern.schema, at: JSONPointer())
        }
        return merged
    }
}
