import SwiftletJSON

/// Compiles a JSON Schema into a `Grammar` whose language is the JSON texts valid against the
/// schema, as far as a context-free grammar over regex lexemes can say it.
///
/// Coverage (llguidance's, and more where marked):
/// - `type` (one or a list), `enum`, `const` (objects and arrays keep the value's member order).
/// - `properties`, `required`, `additionalProperties` (boolean or schema; a missing one follows
///   `additionalPropertiesDefault`), `patternProperties` (a key matching several patterns needs
///   only one; with `additionalProperties` not false, additional keys may also match a pattern),
///   `minProperties`/`maxProperties` (counted exactly; llguidance supports only some cases).
/// - `items` (schema, or an array with `additionalItems` in drafts 4 to 2019-09), `prefixItems`,
///   `minItems`/`maxItems` (exact up to 1,024 items past the prefix).
/// - `anyOf`; `oneOf` read as `anyOf` (llguidance only when the options are provably disjoint);
///   `allOf` and sibling keywords merged (numbers, strings, arrays, objects; other mixes allow
///   nothing); local `$ref` (JSON pointers, `$anchor`, `$id`), recursion through rules. Drafts 4
///   to 7 ignore the siblings of `$ref`, later drafts merge them.
/// - `minLength`/`maxLength` in Unicode scalars; `pattern` through `patternToRegex`; `format`:
///   date-time, date, time, duration, email, hostname, ipv4, ipv6, uuid, uri, uri-reference, iri,
///   iri-reference; other formats are annotations (llguidance refuses them). A `pattern` and a
///   `format`, or either with length bounds, combine exactly only in the cases `StringRegex`
///   lists; otherwise the first constraint wins (recorded as an approximation).
/// - `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum` (both draft styles) as exact
///   regexes; bounded numbers are written without an exponent unless the bounds are at zero.
///   `multipleOf`: powers of ten (0.01, 1) exactly with any bounds; other steps when bounded with
///   at most 1,000 multiples, or integral up to 12 with no bounds but zero; else `unsupported`.
/// - Refused with `JSONSchemaError.unsupported` (keyword and pointer): `not`, `if`, `contains`,
///   `uniqueItems: true`, `dependencies`/`dependentRequired`/`dependentSchemas`, `propertyNames`,
///   `unevaluated*`, `$dynamicRef`/`$recursiveRef`, remote `$ref`. Annotations and keywords the
///   declared draft does not define are ignored.
///
/// Objects list their properties in schema order (`properties`, then names only `required` lists,
/// then any `patternProperties`/`additionalProperties` members in any order), as llguidance and
/// the other engines do; each optional property may be left out. `JSONSchemaInstanceOrder` puts an
/// instance's members in that order.
public enum JSONSchemaCompiler {
    public static func compile(_ schema: JSONValue, options: JSONSchemaOptions = JSONSchemaOptions()) throws(JSONSchemaError) -> Grammar {
        try checkSize(of: schema, limits: options.limits)
        let compilation = try SchemaCompilation(root: schema, options: options)
        let node = try compilation.lower(schema, at: JSONPointer())
        var emitter = GrammarEmitter(compilation: compilation)
        return try emitter.grammar(for: node)
    }

    /// Counts the schema's values without recursion, so a huge or deeply nested document is refused
    /// before anything walks it recursively.
    static func checkSize(of schema: JSONValue, limits: JSONSchemaOptions.Limits) throws(JSONSchemaError) {
        var pending: [(value: JSONValue, depth: Int)] = [(schema, 0)]
        var count = 0
        // Schemas nest two JSON levels per subschema (`"properties": {"a": {...}}`), and `const`
        // values may nest more; the depth limit proper is checked as subschemas are followed.
        let maxDocumentDepth = 4 * limits.maxDepth + 16
        while let (value, depth) = pending.popLast() {
            count += 1
            if count > limits.maxSchemaValues {
                throw .limitExceeded(limit: "maxSchemaValues", maximum: limits.maxSchemaValues, pointer: "")
            }
            if depth > maxDocumentDepth {
                throw .limitExceeded(limit: "maxDepth", maximum: limits.maxDepth, pointer: "")
            }
            switch value {
            case .array(let items): pending.append(contentsOf: items.map { ($0, depth + 1) })
            case .object(let object): pending.append(contentsOf: object.values.map { ($0, depth + 1) })
            default: break
            }
        }
    }
}

/// The state of one compilation: the root document (for `$ref`), options, lowered `$ref` targets
/// and the counters behind the limits.
final class SchemaCompilation {
    let root: JSONValue
    let options: JSONSchemaOptions
    private(set) var work = 0
    var depth = 0
    /// Lowered `$ref` targets by canonical key, and the keys being lowered now (cycle check).
    var lowered: [String: SchemaNode] = [:]
    var lowering: Set<String> = []
    /// Locations of `$anchor`s and `$id`s, by the name or URI a `$ref` can use for them.
    var anchors: [String: JSONPointer] = [:]
    /// The root's `$id` without its fragment (refs that start with it are local).
    var baseURI = ""
    /// Constraints the grammar does not enforce exactly (it accepts more), one line each.
    var approximations: [String] = []

    /// The draft `$schema` names (2020-12 when it names none, as llguidance assumes).
    let draft: JSONSchemaDraft
    /// Drafts 4 to 7 ignore the keywords next to a `$ref`; later drafts apply both.
    var referenceHidesSiblings: Bool { draft <= .draft7 }

    init(root: JSONValue, options: JSONSchemaOptions) throws(JSONSchemaError) {
        self.root = root
        self.options = options
        draft = JSONSchemaDraft(schemaURI: root["$schema"]?.stringValue)
        collectAnchors()
    }

    /// Counts one step of lowering or merging against `maxWork`.
    func step(_ pointer: JSONPointer) throws(JSONSchemaError) {
        work += 1
        if work > options.limits.maxWork {
            throw .limitExceeded(limit: "maxWork", maximum: options.limits.maxWork, pointer: pointer.description)
        }
    }

    /// Goes one subschema deeper, refusing past `maxDepth`; pair each call with `leave()`.
    func enter(_ pointer: JSONPointer) throws(JSONSchemaError) {
        if depth >= options.limits.maxDepth {
            throw .limitExceeded(limit: "maxDepth", maximum: options.limits.maxDepth, pointer: pointer.description)
        }
        depth += 1
    }

    func leave() { depth -= 1 }

    /// Translates a `pattern` through the injected parser.
    func regex(forPattern pattern: String, keyword: String, at pointer: JSONPointer, use: JSONSchemaOptions.PatternUse) throws(JSONSchemaError) -> RegexNode {
        guard let translate = options.patternToRegex else {
            throw .unsupported(keyword: keyword, pointer: pointer.description)
        }
        do {
            return try translate(pattern, use)
        } catch {
            throw .invalidPattern(pattern: pattern, message: String(describing: error), pointer: pointer.description)
        }
    }
}
