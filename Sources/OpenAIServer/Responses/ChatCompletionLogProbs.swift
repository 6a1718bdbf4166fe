/// The chat API's `logprobs`: one entry per output token with its top alternatives.
struct ChatCompletionLogProbs: Encodable, Sendable {
    var content: [ChatCompletionLogProbsContent]
}

struct ChatCompletionLogProbsContent: Encodable, Sendable {
    var token: String
    var logprob: Double
    var bytes: [Int]
    var topLogprobs: [ChatCompletionLogProb]

    enum CodingKeys: String, CodingKey {
        case token, logprob, bytes, topLogprobs = "top_logprobs"
    }
}

struct ChatCompletionLogProb: Encodable, Sendable {
    var token: String
    var logprob: Double
    var bytes: [Int]
}

extension Double {
    /// vLLM's floor for logprobs in responses: JSON has no -Infinity (a token masked out by the
    /// sampler has logprob -inf).
    static let minimumResponseLogprob = -9999.0

    init(responseLogprob value: Float) {
        self = Swift.max(Double(value), .minimumResponseLogprob)
    }
}
