/// Why a model directory or file could not be turned into a config, tokenizer and template.
public enum ModelLoadError: Error, CustomStringConvertible {
    case notFound(path: String)
    case unrecognized(path: String)
    case missingFile(directory: String, name: String)
    case malformedJSON(path: String, reason: String)
    case decoding(path: String, DecodingError)
    case badField(path: String, field: String, reason: String)
    case unsupportedTokenizer(path: String, model: String, supported: [String])
    case noChatTemplate(path: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file or directory"
        case .unrecognized(let path):
            return "\(path): not a GGUF file or a Hugging Face model directory (expected a .gguf file, or a folder with config.json)"
        case .missingFile(let directory, let name):
            return "\(directory): \(name) is missing"
        case .malformedJSON(let path, let reason):
            return "\(path): malformed JSON: \(reason)"
        case .noChatTemplate(let path):
            return "\(path): the model has no chat template; give one with --chat-template FILE"
        case .decoding(let path, let error):
            return "\(path): \(Self.describe(error))"
        case .badField(let path, let field, let reason):
            return "\(path): field \(field): \(reason)"
        case .unsupportedTokenizer(let path, let model, let supported):
            return "\(path): tokenizer model '\(model)' is not supported (supported: \(supported.joined(separator: ", ")))"
        }
    }

    /// A DecodingError as "field a.b: reason", the form a user can act on.
    static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "top level" : "field " + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(field(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(field(context.codingPath)): expected \(type), found null"
        case .keyNotFound(let key, let context):
            return "\(field(context.codingPath + [key])): missing"
        case .dataCorrupted(let context):
            return "\(field(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
