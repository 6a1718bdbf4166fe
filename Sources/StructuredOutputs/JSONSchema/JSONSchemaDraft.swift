/// The JSON Schema draft a document declares with `$schema`, for the few keywords whose meaning
/// changed: `$ref` siblings (ignored up to draft 7) and keywords a draft does not define yet.
enum JSONSchemaDraft: Int, Comparable, Sendable {
    case draft4 = 4, draft6 = 6, draft7 = 7, draft2019 = 2019, draft2020 = 2020

    init(schemaURI: String?) {
        let uri = schemaURI ?? ""
        if uri.contains("draft-03") || uri.contains("draft-04") {
            self = .draft4
        } else if uri.contains("draft-06") {
            self = .draft6
        } else if uri.contains("draft-07") {
            self = .draft7
        } else if uri.contains("2019-09") {
            self = .draft2019
        } else {
            self = .draft2020
        }
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether this draft defines `keyword` (only asked about keywords the compiler refuses;
    /// `dependencies` counts as known in every draft, as schemas without `$schema` still use it).
    func knows(_ keyword: String) -> Bool {
        switch keyword {
        case "contains", "propertyNames": return self >= .draft6
        case "if", "then", "else": return self >= .draft7
        case "dependentRequired", "dependentSchemas", "unevaluatedProperties", "unevaluatedItems", "$recursiveRef":
            return self >= .draft2019
        case "$dynamicRef": return self >= .draft2020
        default: return true
        }
    }
}
