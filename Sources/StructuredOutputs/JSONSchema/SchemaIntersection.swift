/// The values two nodes both allow (`allOf`, and sibling keywords next to `anyOf`, `$ref`,
/// `enum`...), merged as llguidance merges them: unions distribute, same types combine their
/// constraints, properties keep the left node's order and then the right one's new names.
extension SchemaCompilation {
    func intersect(_ left: SchemaNode, _ right: SchemaNode, at pointer: JSONPointer) throws(JSONSchemaError) -> SchemaNode {
        try step(pointer)
        switch (left, right) {
        case (.any, _): return right
        case (_, .any): return left
        case (.unsatisfiable, _): return left
        case (_, .unsatisfiable): return right
        case (.reference(let key), _): return try intersect(resolve(key, at: pointer), right, at: pointer)
        case (_, .reference(let key)): return try intersect(left, resolve(key, at: pointer), at: pointer)
        case (.anyOf(let options), _):
            var merged: [SchemaNode] = []
            for option in options { merged.append(try intersect(option, right, at: pointer)) }
            return SchemaNode.union(merged)
        case (_, .anyOf(let options)):
            var merged: [SchemaNode] = []
            for option in options { merged.append(try intersect(left, option, at: pointer)) }
            return SchemaNode.union(merged)
        case (.null, .null): return .null
        case (.boolean(let a), .boolean(let b)):
            guard let a else { return right }
            guard let b else { return left }
            return a == b ? left : .unsatisfiable("true and false")
        case (.number(let a), .number(let b)): return try intersectNumbers(a, b, at: pointer)
        case (.string(var a), .string(let b)):
            a.minLength = max(a.minLength, b.minLength)
            a.maxLength = [a.maxLength, b.maxLength].compactMap { $0 }.min()
            a.regexes += b.regexes
            return .string(a)
        case (.array(let a), .array(let b)): return try intersectArrays(a, b, at: pointer)
        case (.object(let a), .object(let b)): return try intersectObjects(a, b, at: pointer)
        default: return .unsatisfiable("the schemas merged at '\(pointer)' allow different types")
        }
    }

    private func intersectNumbers(_ a: NumberShape, _ b: NumberShape, at pointer: JSONPointer) throws(JSONSchemaError) -> SchemaNode {
        var merged = a
        merged.isInteger = a.isInteger || b.isInteger
        merged.lower = NumberBounds.tighterLower(a.lower, b.lower)
        merged.upper = NumberBounds.tighterUpper(a.upper, b.upper)
        switch (a.multipleOf, b.multipleOf) {
        case (let x?, let y?):
            guard let common = MultipleOfRegex.leastCommonMultiple(x, y) else {
                throw .unsupported(keyword: "multipleOf", pointer: pointer.description)
            }
            merged.multipleOf = common
        default:
            merged.multipleOf = a.multipleOf ?? b.multipleOf
        }
        return .number(merged)
    }

    private func intersectArrays(_ a: ArrayShape, _ b: ArrayShape, at pointer: JSONPointer) throws(JSONSchemaError) -> SchemaNode {
        try enter(pointer)
        defer { leave() }
        var merged = ArrayShape()
        merged.minItems = max(a.minItems, b.minItems)
        merged.maxItems = [a.maxItems, b.maxItems].compactMap { $0 }.min()
        let count = max(a.prefixItems.count, b.prefixItems.count)
        for index in 0..<count {
            let left = index < a.prefixItems.count ? a.prefixItems[index] : a.items
            let right = index < b.prefixItems.count ? b.prefixItems[index] : b.items
            merged.prefixItems.append(try intersect(left, right, at: pointer))
        }
        merged.items = try intersect(a.items, b.items, at: pointer)
        return .array(merged)
    }

    private func intersectObjects(_ a: ObjectShape, _ b: ObjectShape, at pointer: JSONPointer) throws(JSONSchemaError) -> SchemaNode {
        try enter(pointer)
        defer { leave() }
        var merged = ObjectShape()
        for (name, schema) in a.properties {
            merged.setProperty(name, try intersect(schema, memberSchema(b, name, at: pointer), at: pointer))
        }
        for (name, schema) in b.properties where a.propertyIndex(name) == nil {
            merged.setProperty(name, try intersect(memberSchema(a, name, at: pointer), schema, at: pointer))
        }
        for name in a.required + b.required { merged.require(name) }
        // A key one side's pattern matches must also fit the other side's schema for keys it does
        // not name; the other side's own patterns are not consulted (patterns are taken as disjoint).
        for pattern in a.patternProperties {
            merged.patternProperties.append(.init(pattern: pattern.pattern, keys: pattern.keys, schema: try intersect(pattern.schema, b.additional, at: pointer)))
        }
        for pattern in b.patternProperties {
            merged.patternProperties.append(.init(pattern: pattern.pattern, keys: pattern.keys, schema: try intersect(a.additional, pattern.schema, at: pointer)))
        }
        merged.additional = try intersect(a.additional, b.additional, at: pointer)
        merged.minProperties = max(a.minProperties, b.minProperties)
        merged.maxProperties = [a.maxProperties, b.maxProperties].compactMap { $0 }.min()
        return .object(merged)
    }

    /// The schema `shape` gives a member named `name`: its property, else every pattern that
    /// matches the name, else `additionalProperties`.
    func memberSchema(_ shape: ObjectShape, _ name: String, at pointer: JSONPointer) throws(JSONSchemaError) -> SchemaNode {
        if let index = shape.propertyIndex(name) { return shape.properties[index].schema }
        var schema: SchemaNode?
        for pattern in shape.patternProperties where RegexDerivatives.matches(pattern.keys, name) {
            if let current = schema {
                schema = try intersect(current, pattern.schema, at: pointer)
            } else {
                schema = pattern.schema
            }
        }
        return schema ?? shape.additional
    }
}
