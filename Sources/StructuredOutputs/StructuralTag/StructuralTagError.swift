/// Why a structural tag cannot be read or compiled. `path` is a JSON pointer into the structural
/// tag's JSON form (`/format/tags/0/content`), also for tags built in Swift.
public enum StructuralTagError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The JSON is not a structural tag: a field is missing or has the wrong kind of value.
    case invalid(message: String, path: String)
    /// A format `type`, field or value this compiler does not support (token formats, `dispatch`,
    /// `grammar`, non-JSON `style`...), or a field no format has.
    case unsupported(field: String, message: String, path: String)
    /// A `json_schema` (or a legacy structure's `schema`) the JSON Schema compiler refuses.
    case schema(JSONSchemaError, path: String)
    /// A `regex` pattern that does not parse.
    case regex(RegexSyntaxError, path: String)
    /// The free text automaton for these stop strings is too large.
    case tooLarge(path: String)

    public var path: String {
        switch self {
        case .invalid(_, let path), .unsupported(_, _, let path), .schema(_, let path), .regex(_, let path), .tooLarge(let path):
            return path
        }
    }

    public var description: String {
        let at = path.isEmpty ? "" : " at \(path)"
        switch self {
        case .invalid(let message, _): return "invalid structural tag\(at): \(message)"
        case .unsupported(let field, let message, _): return "unsupported structural tag field '\(field)'\(at): \(message)"
        case .schema(let error, _): return "structural tag JSON schema\(at): \(error)"
        case .regex(let error, _): return "structural tag regex\(at): \(error)"
        case .tooLarge: return "structural tag\(at): the free text around these stop strings needs too large an automaton"
        }
    }
}
