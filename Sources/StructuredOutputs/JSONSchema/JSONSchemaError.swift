/// Why a JSON Schema could not be compiled to a grammar. Every case names where in the schema the
/// problem is, as a JSON pointer (RFC 6901; "" is the whole schema), so a 400 can say it.
public enum JSONSchemaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A keyword that constrains instances but that the compiler does not carry out (`not`,
    /// `if`/`then`/`else`, `uniqueItems`, a remote `$ref`, ...). `pointer` locates the keyword.
    case unsupported(keyword: String, pointer: String)
    /// A keyword whose value is not what JSON Schema allows (`"minLength": "3"`, `"type": 7`).
    case invalidSchema(message: String, pointer: String)
    /// A `pattern` (or `patternProperties` key) the regex parser rejected.
    case invalidPattern(pattern: String, message: String, pointer: String)
    /// A `$ref` that points at nothing in this document.
    case unresolvedReference(reference: String, pointer: String)
    /// A schema (or a required part of one) that no JSON value satisfies, such as a required
    /// property whose schema is `false` or an integer range with no integer in it.
    case unsatisfiable(reason: String, pointer: String)
    /// The schema or its grammar grew past one of `JSONSchemaOptions.Limits`.
    case limitExceeded(limit: String, maximum: Int, pointer: String)

    public var description: String {
        switch self {
        case .unsupported(let keyword, let pointer):
            return "JSON Schema keyword '\(keyword)' at '\(pointer)' is not supported"
        case .invalidSchema(let message, let pointer):
            return "invalid JSON Schema at '\(pointer)': \(message)"
        case .invalidPattern(let pattern, let message, let pointer):
            return "invalid pattern \(pattern.debugDescription) at '\(pointer)': \(message)"
        case .unresolvedReference(let reference, let pointer):
            return "$ref \(reference.debugDescription) at '\(pointer)' does not resolve in this schema"
        case .unsatisfiable(let reason, let pointer):
            return "the JSON Schema at '\(pointer)' allows no value: \(reason)"
        case .limitExceeded(let limit, let maximum, let pointer):
            return "the JSON Schema exceeds the limit \(limit) (\(maximum)) at '\(pointer)'"
        }
    }
}
