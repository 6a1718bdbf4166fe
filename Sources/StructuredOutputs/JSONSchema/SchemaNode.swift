/// The compiler's reading of a subschema: the JSON values it allows, with sibling keywords,
/// `allOf`, `enum` and `const` already merged into one shape per JSON type (llguidance's
/// `Schema` plays the same part). The grammar is emitted from this, not from the raw schema.
indirect enum SchemaNode: Sendable {
    case any
    /// No value (the `false` schema, an empty `enum`, contradicting `allOf` parts); the reason is
    /// kept for the error when nothing else is left.
    case unsatisfiable(String)
    case null
    /// `true` or `false`, or only the one given.
    case boolean(Bool?)
    case number(NumberShape)
    case string(StringShape)
    case array(ArrayShape)
    case object(ObjectShape)
    case anyOf([SchemaNode])
    /// A `$ref` target, by its canonical pointer ("#/$defs/node"); emitted as one shared rule.
    case reference(String)

    var isUnsatisfiable: Bool {
        if case .unsatisfiable = self { return true }
        return false
    }

    /// Options flattened, unsatisfiable ones dropped; one option is itself; `any` absorbs all.
    static func union(_ options: [SchemaNode]) -> SchemaNode {
        var kept: [SchemaNode] = []
        var firstReason: String?
        for option in options {
            switch option {
            case .any: return .any
            case .unsatisfiable(let reason): firstReason = firstReason ?? reason
            case .anyOf(let nested): kept.append(contentsOf: nested)
            default: kept.append(option)
            }
        }
        if kept.isEmpty { return .unsatisfiable(firstReason ?? "no option of anyOf is satisfiable") }
        return kept.count == 1 ? kept[0] : .anyOf(kept)
    }
}

/// `number` or `integer` with bounds and `multipleOf`, all exact decimals.
struct NumberShape: Sendable {
    var isInteger: Bool
    var lower: DecimalRangeRegex.Bound?
    var upper: DecimalRangeRegex.Bound?
    var multipleOf: DecimalValue?
    /// Where the constraints came from, for errors found when the regex is built.
    var pointer: JSONPointer
}

/// A string: length bounds in Unicode scalars and regexes (over the decoded text) that it must all
/// match (`pattern`, `format`, `const`).
struct StringShape: Sendable {
    var minLength = 0
    var maxLength: Int?
    var regexes: [RegexNode] = []
    var pointer: JSONPointer
}

struct ArrayShape: Sendable {
    var minItems = 0
    var maxItems: Int?
    /// Schemas of the first items, in order (`prefixItems`, or `items` as an array in old drafts).
    var prefixItems: [SchemaNode] = []
    /// The schema of every further item (`items`, or `additionalItems` in old drafts).
    var items: SchemaNode = .any
}

struct ObjectShape: Sendable {
    struct PatternProperty: Sendable {
        var pattern: String
        /// The decoded keys the pattern matches.
        var keys: RegexNode
        var schema: SchemaNode
    }

    /// Named properties in the order their members must appear: `properties` in schema order, then
    /// the names only `required` lists.
    var properties: [(name: String, schema: SchemaNode)] = []
    var required: [String] = []
    var patternProperties: [PatternProperty] = []
    /// The schema of any other member (`additionalProperties`).
    var additional: SchemaNode = .any
    var minProperties = 0
    var maxProperties: Int?

    func propertyIndex(_ name: String) -> Int? {
        properties.firstIndex { $0.name.utf8.elementsEqual(name.utf8) }
    }

    func isRequired(_ name: String) -> Bool {
        required.contains { $0.utf8.elementsEqual(name.utf8) }
    }
}
