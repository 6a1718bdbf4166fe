/// Why a request stopped, as vLLM reports it.
public enum FinishReason: String, Sendable, Codable {
    /// An end-of-sequence token, a stop token id or a stop string.
    case stop
    /// `max_tokens` or the model's context length.
    case length
    /// Cancelled before it finished.
    case abort
}

/// The result of one request.
public struct GenerationOutput: Sendable {
    public var promptTokenIDs: [Int]
    public var outputTokenIDs: [Int] = []
    /// The decoded output (special tokens skipped).
    public var text: String = ""
    public var finishReason: FinishReason = .length
    /// The token id that stopped the request, when one did.
    public var stopReason: Int?
    /// Per output token, when `logprobs` was asked for.
    public var logprobs: [TokenLogprobs]?
    /// Per prompt token (the first is nil: nothing precedes it), when `prompt_logprobs` was asked for.
    public var promptLogprobs: [TokenLogprobs?]?
    /// Seconds from the start to the first output token (prefill and first sample).
    public var timeToFirstToken: Double = 0
    /// Seconds spent after the first token.
    public var decodeSeconds: Double = 0

    public init(promptTokenIDs: [Int]) {
        self.promptTokenIDs = promptTokenIDs
    }
}

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
