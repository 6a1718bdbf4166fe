/// Why a request could not run.
public enum GenerationError: Error, CustomStringConvertible, Equatable {
    case emptyPrompt
    case promptTooLong(numTokens: Int, maxModelLen: Int)
    case invalidTokenID(Int, vocabSize: Int)
    case invalidParams(String)

    public var description: String {
        switch self {
        case .emptyPrompt:
            return "the prompt is empty: give at least one token"
        case .promptTooLong(let numTokens, let maxModelLen):
            return "the prompt has \(numTokens) tokens, but the model's context (max-model-len) is \(maxModelLen) tokens and at least one must be left to generate"
        case .invalidTokenID(let id, let vocabSize):
            return "prompt token id \(id) is outside the vocabulary (0..<\(vocabSize))"
        case .invalidParams(let message):
            return message
        }
    }
}
