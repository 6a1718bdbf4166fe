/// Why a model or generation config (config.json, generation_config.json or GGUF metadata)
/// cannot be used, naming the file and the field.
public enum ModelConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case io(file: String, reason: String)
    /// The file is not well-formed JSON (or not a JSON object).
    case invalidJSON(file: String, reason: String)
    /// A required field is absent (or null).
    case missingField(file: String, field: String)
    /// A field has the wrong JSON / GGUF type.
    case wrongType(file: String, field: String, expected: String)
    /// A field's value is out of range (zero heads, negative size...).
    case invalidValue(file: String, field: String, value: String, reason: String)
    /// `field` must be a multiple of `divisorField`.
    case notDivisible(file: String, field: String, value: Int, divisorField: String, divisor: Int)
    /// The architecture / model type is not one this engine runs.
    case unknownArchitecture(file: String, name: String, supported: [String])
    /// The rope scaling type is not implemented.
    case unsupportedRopeScaling(file: String, type: String, supported: [String])

    public var description: String {
        switch self {
        case .io(let file, let reason):
            return "\(file): \(reason)"
        case .invalidJSON(let file, let reason):
            return "\(file): invalid JSON: \(reason)"
        case .missingField(let file, let field):
            return "\(file): required field '\(field)' is missing"
        case .wrongType(let file, let field, let expected):
            return "\(file): field '\(field)' must be \(expected)"
        case .invalidValue(let file, let field, let value, let reason):
            return "\(file): field '\(field)' = \(value) is invalid: \(reason)"
        case .notDivisible(let file, let field, let value, let divisorField, let divisor):
            return "\(file): '\(field)' (\(value)) must be a multiple of '\(divisorField)' (\(divisor))"
        case .unknownArchitecture(let file, let name, let supported):
            return "\(file): unsupported architecture '\(name)' (supported: \(supported.joined(separator: ", ")))"
        case .unsupportedRopeScaling(let file, let type, let supported):
            return "\(file): unsupported rope scaling type '\(type)' (supported: \(supported.joined(separator: ", ")))"
        }
    }

    /// Maps a JSONDecoder failure to the field it names.
    static func from(_ error: Error, file: String) -> ModelConfigError {
        if let error = error as? ModelConfigError { return error }
        guard let error = error as? DecodingError else {
            return .invalidJSON(file: file, reason: "\(error)")
        }
        func path(_ context: DecodingError.Context, _ last: CodingKey? = nil) -> String {
            let keys = context.codingPath + (last.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .missingField(file: file, field: path(context, key))
        case .valueNotFound(_, let context):
            return .missingField(file: file, field: path(context))
        case .typeMismatch(let type, let context):
            return .wrongType(file: file, field: path(context), expected: Self.typeName(type))
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .invalidJSON(file: file, reason: context.debugDescription)
            }
            return .wrongType(file: file, field: path(context), expected: "a value that fits: \(context.debugDescription)")
        @unknown default:
            return .invalidJSON(file: file, reason: "\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is [Int].Type: return "an integer or a list of integers"
        default: return "of type \(type)"
        }
    }
}
