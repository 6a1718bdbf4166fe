/// Errors from building a tokenizer or decoding ids.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// A tokenizer.json (or tokenizer_config.json) field is missing or has the wrong shape.
    case malformedJSON(field: String, reason: String)
    /// A model, normalizer, pre-tokenizer or processor type this library does not implement.
    case unsupported(field: String, value: String)
    /// The vocabulary arrays are inconsistent (lengths, ids out of range, bad merges).
    case invalidVocabulary(String)
    /// A token id outside the vocabulary was given to decode.
    case invalidTokenID(Int)
    /// A file could not be read.
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .malformedJSON(let field, let reason):
            return "tokenizer JSON: field '\(field)': \(reason)"
        case .unsupported(let field, let value):
            return "tokenizer: field '\(field)' has unsupported value '\(value)'"
        case .invalidVocabulary(let reason):
            return "tokenizer vocabulary: \(reason)"
        case .invalidTokenID(let id):
            return "token id \(id) is outside the vocabulary"
        case .unreadableFile(let path, let reason):
            return "cannot read tokenizer file \(path): \(reason)"
        }
    }
}
