import SwiftletJSON

/// Builds the node of one JSON type from one group of keywords (see `SchemaLowering`), checking
/// each keyword's value and lowering its subschemas.
struct KeywordReader {
    /// `maxLength` above this is left unenforced (and recorded as an approximation).
    static let maxEnforcedLength = 100_000

    let group: [String: JSONValue]
    /// The whole schema object, for keywords of other groups that change how these read
    /// (`additionalProperties` needs the names in `properties`, `items` the length of `prefixItems`).
    let object: JSONObject
    let pointer: JSONPointer
    let compilation: SchemaCompilation

    private func invalid(_ keyword: String, _ message: String) -> JSONSchemaError {
        .invalidSchema(message: "\(keyword) \(message)", pointer: pointer.appending(keyword).description)
    }

    private func count(_ keyword: String) throws(JSONSchemaError) -> Int? {
        guard let value = group[keyword] else { return nil }
        guard let number = value.numberValue, let decimal = DecimalValue(number), decimal.isInteger, !decimal.isNegative else {
            throw invalid(keyword, "must be a non-negative integer")
        }
        return decimal.intValue ?? Int.max
    }

    private func decimal(_ keyword: String) throws(JSONSchemaError) -> DecimalValue? {
        guard let value = group[keyword], !(value.boolValue != nil) else { return nil }
        guard let number = value.numberValue else { throw invalid(keyword, "must be a number") }
        guard let decimal = DecimalValue(number) else { throw .unsupported(keyword: keyword, pointer: pointer.appending(keyword).description) }
        return decimal
    }

    func numberNode(isInteger: Bool) throws(JSONSchemaError) -> SchemaNode {
        var shape = NumberShape(isInteger: isInteger, pointer: pointer)
        if let minimum = try decimal("minimum") {
            shape.lower = .init(value: minimum, inclusive: group["exclusiveMinimum"]?.boolValue != true)
        }
        if let maximum = try decimal("maximum") {
            shape.upper = .init(value: maximum, inclusive: group["exclusiveMaximum"]?.boolValue != true)
        }
        if let bound = try decimal("exclusiveMinimum") {
            shape.lower = NumberBounds.tighterLower(shape.lower, .init(value: bound, inclusive: false))
        }
        if let bound = try decimal("exclusiveMaximum") {
            shape.upper = NumberBounds.tighterUpper(shape.upper, .init(value: bound, inclusive: false))
        }
        if let step = try decimal("multipleOf") {
            guard !step.isNegative && !step.isZero else { throw invalid("multipleOf", "must be greater than 0") }
            shape.multipleOf = step
        }
        return .number(shape)
    }

    func stringNode() throws(JSONSchemaError) -> SchemaNode {
        var shape = StringShape(pointer: pointer)
        shape.minLength = try count("minLength") ?? 0
        shape.maxLength = try count("maxLength")
        if let maximum = shape.maxLength, maximum > Self.maxEnforcedLength {
            // Beyond any text a model writes; a counted repetition that long only costs the automaton.
            shape.maxLength = nil
            compilation.approximations.append("\(pointer): maxLength \(maximum) not enforced")
        }
        if let pattern = group["pattern"] {
            guard let text = pattern.stringValue else { throw invalid("pattern", "must be a string") }
            shape.regexes.append(try compilation.regex(forPattern: text, keyword: "pattern", at: pointer.appending("pattern"), use: .search))
        }
        if let format = group["format"] {
            guard let name = format.stringValue else { throw invalid("format", "must be a string") }
            if let regex = StringFormats.regex(forFormat: name) { shape.regexes.append(regex) }
        }
        return .string(shape)
    }

    private func schemaList(_ keyword: String, _ value: JSONValue) throws(JSONSchemaError) -> [SchemaNode] {
        guard let items = value.arrayValue else { throw invalid(keyword, "must be an array of schemas") }
        var nodes: [SchemaNode] = []
        for (index, item) in items.enumerated() {
            nodes.append(try compilation.lower(item, at: pointer.appending(keyword).appending(index)))
        }
        return nodes
    }

    func arrayNode() throws(JSONSchemaError) -> SchemaNode {
        var shape = ArrayShape()
        shape.minItems = try count("minItems") ?? 0
        shape.maxItems = try count("maxItems")
        if let prefix = group["prefixItems"] {
            shape.prefixItems = try schemaList("prefixItems", prefix)
        } else if group["items"] != nil, let other = object["prefixItems"]?.arrayValue {
            // `items` applies after the prefix even when `prefixItems` sits in another group.
            shape.prefixItems = Array(repeating: .any, count: other.count)
        }
        if let items = group["items"] {
            if items.arrayValue != nil {
                // Drafts 4 to 2019-09: an array of items is the prefix; `additionalItems` the rest.
                shape.prefixItems = try schemaList("items", items)
                if let rest = object["additionalItems"] {
                    shape.items = try compilation.lower(rest, at: pointer.appending("additionalItems"))
                }
            } else {
                shape.items = try compilation.lower(items, at: pointer.appending("items"))
            }
        }
        return .array(shape)
    }

    func objectNode() throws(JSONSchemaError) -> SchemaNode {
        var shape = ObjectShape()
        shape.minProperties = try count("minProperties") ?? 0
        shape.maxProperties = try count("maxProperties")
        if let properties = group["properties"] {
            guard let members = properties.objectValue else { throw invalid("properties", "must be an object of schemas") }
            for (name, schema) in members {
                let node = try compilation.lower(schema, at: pointer.appending("properties").appending(name))
                shape.setProperty(name, node)
            }
        } else if group["additionalProperties"] != nil, let other = object["properties"]?.objectValue {
            // `additionalProperties` leaves out the names in `properties`, whatever group they are in.
            for name in other.keys where shape.propertyIndex(name) == nil { shape.setProperty(name, .any) }
        }
        if let required = group["required"] {
            guard let names = required.arrayValue else { throw invalid("required", "must be an array of strings") }
            for name in names {
                guard let text = name.stringValue else { throw invalid("required", "must be an array of strings") }
                shape.require(text)
            }
        }
        if let patterns = group["patternProperties"] {
            guard let members = patterns.objectValue else { throw invalid("patternProperties", "must be an object of schemas") }
            for (pattern, schema) in members {
                let at = pointer.appending("patternProperties").appending(pattern)
                let keys = try compilation.regex(forPattern: pattern, keyword: "patternProperties", at: at, use: .search)
                shape.patternProperties.append(.init(pattern: pattern, keys: keys, schema: try compilation.lower(schema, at: at)))
            }
        }
        if let additional = group["additionalProperties"] {
            shape.additional = try compilation.lower(additional, at: pointer.appending("additionalProperties"))
        } else if object["additionalProperties"] == nil && !compilation.options.additionalPropertiesDefault {
            shape.additional = .unsatisfiable("additionalProperties is false by default")
        }
        return .object(shape)
    }
}

/// Combining numeric bounds: the tighter of two, and exclusive over inclusive at the same value.
enum NumberBounds {
    typealias Bound = DecimalRangeRegex.Bound

    static func tighterLower(_ a: Bound?, _ b: Bound?) -> Bound? {
        guard let a else { return b }
        guard let b else { return a }
        if a.value != b.value { return a.value > b.value ? a : b }
        return Bound(value: a.value, inclusive: a.inclusive && b.inclusive)
    }

    static func tighterUpper(_ a: Bound?, _ b: Bound?) -> Bound? {
        guard let a else { return b }
        guard let b else { return a }
        if a.value != b.value { return a.value < b.value ? a : b }
        return Bound(value: a.value, inclusive: a.inclusive && b.inclusive)
    }
}
