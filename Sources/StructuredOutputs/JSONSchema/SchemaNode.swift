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
    /// With none left, the first option's reason, else `emptyReason`.
    static func union(_ options: [SchemaNode], emptyReason: @autoclosure () -> String = "no option of anyOf is satisfiable") -> SchemaNode {
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
        if kept.isEmpty { return .unsatisfiable(firstReason ?? emptyReason()) }
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

    /// Named properties in the order their members must appear (`properties` in schema order).
    private(set) var properties: [(name: String, schema: SchemaNode)] = []
    /// Names `required` lists, in its order.
    private(set) var required: [String] = []
    var patternProperties: [PatternProperty] = []
    /// The schema of any other member (`additionalProperties`).
    var additional: SchemaNode = .any
    var minProperties = 0
    var maxProperties: Int?
    /// Positions in `properties` and the set of `required`, by the names' UTF-8 bytes (keys are
    /// compared byte for byte, as `JSONObject` compares them).
    private var propertyPositions: [[UInt8]: Int] = [:]
    private var requiredNames: Set<[UInt8]> = []

    init(additional: SchemaNode = .any) { self.additional = additional }

    func propertyIndex(_ name: String) -> Int? { propertyPositions[Array(name.utf8)] }

    func isRequired(_ name: String) -> Bool { requiredNames.contains(Array(name.utf8)) }

    /// Sets a named property's schema; a new name goes last.
    mutating func setProperty(_ name: String, _ schema: SchemaNode) {
        if let index = propertyIndex(name) {
            properties[index].schema = schema
        } else {
            propertyPositions[Array(name.utf8)] = properties.count
            properties.append((name, schema))
        }
    }

    mutating func require(_ name: String) {
        if requiredNames.insert(Array(name.utf8)).inserted { required.append(name) }
    }

    /// The names of the members written in schema order: the properties, then the names only
    /// `required` lists.
    var orderedNames: [String] { properties.map(\.name) + required.filter { propertyIndex($0) == nil } }
}
