import SwiftletJSON

/// Reading a schema object into a `SchemaNode`, keyword by keyword in document order, as
/// llguidance does: keywords that merge whole subschemas (`const`, `enum`, `allOf`, `anyOf`,
/// `oneOf`, `$ref`) split the others into groups, each group becomes one node per allowed type,
/// and everything is intersected left to right, which fixes the order of merged properties.
extension SchemaCompilation {
    static let applicators: Set<String> = ["const", "enum", "allOf", "anyOf", "oneOf", "$ref"]
    static let groupKeywords: Set<String> = [
        "type", "items", "additionalItems", "prefixItems", "minItems", "maxItems",
        "properties", "additionalProperties", "patternProperties", "required", "minProperties", "maxProperties",
        "minLength", "maxLength", "pattern", "format",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    ]
    static let typeNames = ["null", "boolean", "object", "array", "string", "number", "integer"]

    /// Whether `keyword` constrains instances in a way the compiler does not carry out. Keywords
    /// with no effect (`uniqueItems: false`, `then` without `if`, an empty `dependentRequired`,
    /// `propertyNames: true`) and keywords the schema's draft does not define (`if` in draft 4)
    /// are ignored, as annotations.
    func isUnsupported(_ keyword: String, _ value: JSONValue) -> Bool {
        guard draft.knows(keyword) else { return false }
        switch keyword {
        case "not", "if", "contains", "$recursiveRef", "$dynamicRef":
            return true
        case "uniqueItems":
            return value.boolValue == true
        case "dependencies", "dependentRequired", "dependentSchemas":
            return !(value.objectValue?.isEmpty ?? false)
        case "propertyNames", "unevaluatedProperties", "unevaluatedItems":
            return !(value.boolValue == true || value.objectValue?.isEmpty == true)
        default:
            return false
        }
    }

    func lower(_ schema: JSONValue, at pointer: JSONPointer) throws(JSONSchemaError) -> SchemaNode {
        try step(pointer)
        try enter(pointer)
        defer { leave() }
        switch schema {
        case .bool(true): return .any
        case .bool(false): return .unsatisfiable(pointer.tokens.isEmpty ? "the schema is false" : "a subschema is false")
        case .object(let object): return try lowerObject(object, at: pointer)
        default: throw .invalidSchema(message: "a schema must be an object or a boolean", pointer: pointer.description)
        }
    }

    private func lowerObject(_ object: JSONObject, at pointer: JSONPointer) throws(JSONSchemaError) -> SchemaNode {
        if referenceHidesSiblings, let reference = object["$ref"] {
            return try apply("$ref", reference, to: .any, at: pointer.appending("$ref"))
        }
        for (keyword, value) in object where isUnsupported(keyword, value) {
            throw .unsupported(keyword: keyword, pointer: pointer.appending(keyword).description)
        }
        var result = SchemaNode.any
        var group: [String: JSONValue] = [:]
        for (keyword, value) in object {
            if Self.applicators.contains(keyword) {
                if !group.isEmpty {
                    result = try intersect(result, lowerGroup(group, in: object, at: pointer), at: pointer)
                    group = [:]
                }
                result = try apply(keyword, value, to: result, at: pointer.appending(keyword))
            } else if Self.groupKeywords.contains(keyword) {
                group[keyword] = value
            }
        }
        if !group.isEmpty { result = try intersect(result, lowerGroup(group, in: object, at: pointer), at: pointer) }
        return result
    }

    private func apply(_ keyword: String, _ value: JSONValue, to result: SchemaNode, at pointer: JSONPointer) throws(JSONSchemaError) -> SchemaNode {
        switch keyword {
        case "const":
            return try intersect(result, constant(value, at: pointer), at: pointer)
        case "enum":
            guard let values = value.arrayValue else { throw .invalidSchema(message: "enum must be an array", pointer: pointer.description) }
            var options: [SchemaNode] = []
            for (index, member) in values.enumerated() {
                let option = try constant(member, at: pointer.appending(index))
                options.append(try intersect(result, option, at: pointer))
            }
            return SchemaNode.union(options, emptyReason: "no value of the enum at '\(pointer)' fits")
        case "allOf":
            var merged = result
            for (index, part) in try subschemas(value, at: pointer).enumerated() {
                merged = try intersect(merged, lower(part, at: pointer.appending(index)), at: pointer)
            }
            return merged
        case "anyOf", "oneOf":
            // oneOf is read as anyOf: a value matching two options is accepted too.
            var options: [SchemaNode] = []
            for (index, option) in try subschemas(value, at: pointer).enumerated() {
                options.append(try lower(option, at: pointer.appending(index)))
            }
            return try intersect(result, SchemaNode.union(options, emptyReason: "no option of '\(pointer)' is satisfiable"), at: pointer)
        default:
            guard let reference = value.stringValue else { throw .invalidSchema(message: "$ref must be a string", pointer: pointer.description) }
            let key = try referenceKey(reference, at: pointer)
            if case .any = result { return .reference(key) }
            return try intersect(result, .reference(key), at: pointer)
        }
    }

    private func subschemas(_ value: JSONValue, at pointer: JSONPointer) throws(JSONSchemaError) -> [JSONValue] {
        guard let items = value.arrayValue else { throw .invalidSchema(message: "must be an array of schemas", pointer: pointer.description) }
        return items
    }

    /// The schema of exactly one JSON value (`const`, each `enum` member); objects keep the value's
    /// member order.
    func constant(_ value: JSONValue, at pointer: JSONPointer) throws(JSONSchemaError) -> SchemaNode {
        try step(pointer)
        try enter(pointer)
        defer { leave() }
        switch value {
        case .null: return .null
        case .bool(let flag): return .boolean(flag)
        case .number(let number):
            guard let decimal = DecimalValue(number) else { throw .unsupported(keyword: "const", pointer: pointer.description) }
            let bound = DecimalRangeRegex.Bound(value: decimal, inclusive: true)
            return .number(NumberShape(isInteger: false, lower: bound, upper: bound, pointer: pointer))
        case .string(let text):
            return .string(StringShape(regexes: [.literal(text)], pointer: pointer))
        case .array(let items):
            var prefix: [SchemaNode] = []
            for (index, item) in items.enumerated() { prefix.append(try constant(item, at: pointer.appending(index))) }
            return .array(ArrayShape(minItems: items.count, maxItems: items.count, prefixItems: prefix, items: .unsatisfiable("no more items")))
        case .object(let object):
            var shape = ObjectShape(additional: .unsatisfiable("no other member"))
            for (key, member) in object {
                let node = try constant(member, at: pointer.appending(key))
                shape.setProperty(key, node)
                shape.require(key)
            }
            return .object(shape)
        }
    }

    /// One group of non-merging keywords: a node per type that `type` allows (every type when it
    /// is absent), each built from the keywords that apply to that type.
    private func lowerGroup(_ group: [String: JSONValue], in object: JSONObject, at pointer: JSONPointer) throws(JSONSchemaError) -> SchemaNode {
        var names = Self.typeNames
        if let typeValue = object["type"] {
            let typePointer = pointer.appending("type").description
            switch typeValue {
            case .string(let name): names = [name]
            case .array(let items):
                names = []
                for item in items {
                    guard let name = item.stringValue else { throw .invalidSchema(message: "type must be a string or an array of strings", pointer: typePointer) }
                    if !names.contains(name) { names.append(name) }
                }
            default: throw .invalidSchema(message: "type must be a string or an array of strings", pointer: typePointer)
            }
            for name in names where !Self.typeNames.contains(name) {
                throw .invalidSchema(message: "unknown type '\(name)'", pointer: typePointer)
            }
        }
        if names.contains("number") { names.removeAll { $0 == "integer" } }
        let reader = KeywordReader(group: group, object: object, pointer: pointer, compilation: self)
        var options: [SchemaNode] = []
        for name in names {
            switch name {
            case "null": options.append(.null)
            case "boolean": options.append(.boolean(nil))
            case "number", "integer": options.append(try reader.numberNode(isInteger: name == "integer"))
            case "string": options.append(try reader.stringNode())
            case "array": options.append(try reader.arrayNode())
            default: options.append(try reader.objectNode())
            }
        }
        return SchemaNode.union(options, emptyReason: "type at '\(pointer)' allows no type")
    }
}
