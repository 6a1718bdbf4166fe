/// How one request is sampled and when it stops; the names and defaults are vLLM's
/// (`vllm/sampling_params.py`). The remaining vLLM fields arrive with the sampling issue.
public struct SamplingParams: Sendable, Equatable {
    /// Completions to generate for the prompt (parallel sampling); they share the prompt's KV blocks.
    public var n: Int = 1
    /// 0 means greedy; higher flattens the distribution.
    public var temperature: Double = 1.0
    /// Nucleus sampling: keep the smallest set of tokens whose probability reaches `topP`, in (0, 1].
    public var topP: Double = 1.0
    /// Keep the `topK` most likely tokens; 0 or -1 turns it off.
    public var topK: Int = 0
    /// Seed of this request's own random generator; nil draws one.
    public var seed: UInt64?
    /// Most tokens to generate.
    public var maxTokens: Int = 16
    /// Keep going past the end-of-sequence token.
    public var ignoreEOS: Bool = false
    /// Extra token ids that stop the request (included in the output, as vLLM does).
    public var stopTokenIDs: [Int] = []
    /// Top-K logprobs of each output token (plus the chosen one); nil for none.
    public var logprobs: Int?
    /// Top-K logprobs of each prompt token (plus the actual one); nil for none.
    public var promptLogprobs: Int?

    public init(n: Int = 1, temperature: Double = 1.0, topP: Double = 1.0, topK: Int = 0, seed: UInt64? = nil,
                maxTokens: Int = 16, ignoreEOS: Bool = false, stopTokenIDs: [Int] = [],
                logprobs: Int? = nil, promptLogprobs: Int? = nil) {
        self.n = n
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.seed = seed
        self.maxTokens = maxTokens
        self.ignoreEOS = ignoreEOS
        self.stopTokenIDs = stopTokenIDs
        self.logprobs = logprobs
        self.promptLogprobs = promptLogprobs
    }

    /// Below this temperature sampling is greedy (vLLM's epsilon).
    public static let greedyEpsilon = 1e-5

    public var isGreedy: Bool { temperature < Self.greedyEpsilon }

    /// Checks every field against its range; the error names the field.
    public func validate(vocabSize: Int, maxLogprobs: Int = 20) throws(SamplingParamsError) {
        guard n >= 1 else {
            throw .outOfRange(field: "n", value: "\(n)", expected: "at least 1")
        }
        guard temperature.isFinite, temperature >= 0 else {
            throw .outOfRange(field: "temperature", value: "\(temperature)", expected: "a number >= 0")
        }
        guard topP.isFinite, topP > 0, topP <= 1 else {
            throw .outOfRange(field: "top_p", value: "\(topP)", expected: "in (0, 1]")
        }
        guard topK >= -1 else {
            throw .outOfRange(field: "top_k", value: "\(topK)", expected: "-1, 0 (off) or a positive count")
        }
        guard maxTokens >= 1 else {
            throw .outOfRange(field: "max_tokens", value: "\(maxTokens)", expected: "at least 1")
        }
        for id in stopTokenIDs where id < 0 || id >= vocabSize {
            throw .outOfRange(field: "stop_token_ids", value: "\(id)", expected: "a token id below \(vocabSize)")
        }
        for (field, value) in [("logprobs", logprobs), ("prompt_logprobs", promptLogprobs)] {
            if let value, value < 0 || value > maxLogprobs {
                throw .outOfRange(field: field, value: "\(value)", expected: "0...\(maxLogprobs) (--max-logprobs)")
            }
        }
    }
}

/// A sampling parameter outside its range.
public enum SamplingParamsError: Error, CustomStringConvertible, Equatable {
    case outOfRange(field: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .outOfRange(let field, let value, let expected):
            return "\(field) must be \(expected), got \(value)"
        }
    }
}
