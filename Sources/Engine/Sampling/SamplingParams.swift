/// How one request is sampled and when it stops; the names, meanings and defaults are vLLM's
/// (`vllm/sampling_params.py`). `validate(vocabSize:maxLogprobs:)` checks every field.
///
/// `maxTokens` stays a plain `Int` (default 16, as vLLM's `SamplingParams`); vLLM's `None`
/// ("up to the context length") is left to the frontend, which knows the model length.
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

    /// Subtracted once from the logit of every token already in the output, in [-2, 2].
    public var presencePenalty: Double = 0
    /// Subtracted per occurrence from the logit of every token in the output, in [-2, 2].
    public var frequencyPenalty: Double = 0
    /// Multiplicative penalty on tokens of the prompt and output (> 1 discourages repeats), > 0.
    /// A positive logit is divided by it, a negative one multiplied (HF / vLLM).
    public var repetitionPenalty: Double = 1.0
    /// Keep only tokens whose probability is at least `minP` times the top one's, in [0, 1].
    public var minP: Double = 0
    /// Strings that stop generation when they appear in the output text (non-empty).
    public var stop: [String] = []
    /// Keep the matched stop string in the output text.
    public var includeStopStrInOutput: Bool = false
    /// Least output tokens before EOS or a stop token id may be sampled, in 0...maxTokens.
    public var minTokens: Int = 0
    /// Added to the logit of each token id before sampling; values are clamped to [-100, 100].
    public var logitBias: [Int: Double] = [:]
    /// When set, only these token ids can be sampled (non-empty).
    public var allowedTokenIDs: [Int]?
    /// Words never to generate; the frontend turns them into `badWordsTokenIDs`.
    public var badWords: [String] = []
    /// Token-id sequences never to generate: the last token of a sequence is banned whenever the
    /// output so far ends with the sequence's other tokens. Filled from `badWords` by
    /// `resolvingBadWords(encode:)`, or set directly.
    public var badWordsTokenIDs: [[Int]] = []
    /// Leave special tokens out of the detokenized text.
    public var skipSpecialTokens: Bool = true
    /// Put spaces between special tokens in the detokenized text.
    public var spacesBetweenSpecialTokens: Bool = true
    /// Keep only the last this many prompt tokens; -1 means the model's context length; nil keeps all.
    public var truncatePromptTokens: Int?
    /// What the output must match (JSON Schema, regex, choice, grammar), or nil for free text.
    public var structuredOutputs: StructuredOutputsParams?
    /// The model's reasoning tags as token ids, set by a server with a reasoning parser: while the
    /// request is reasoning, `structuredOutputs` neither masks nor takes tokens, and it applies from
    /// the token after the end tag (at once when the prompt already closed the reasoning). vLLM's
    /// `--reasoning-parser` with structured outputs. Without `structuredOutputs` it changes nothing.
    public var reasoningDelimiters: ReasoningDelimiters?

    public init(n: Int = 1, temperature: Double = 1.0, topP: Double = 1.0, topK: Int = 0, seed: UInt64? = nil,
                maxTokens: Int = 16, ignoreEOS: Bool = false, stopTokenIDs: [Int] = [],
                logprobs: Int? = nil, promptLogprobs: Int? = nil,
                presencePenalty: Double = 0, frequencyPenalty: Double = 0, repetitionPenalty: Double = 1.0,
                minP: Double = 0, stop: [String] = [], includeStopStrInOutput: Bool = false, minTokens: Int = 0,
                logitBias: [Int: Double] = [:], allowedTokenIDs: [Int]? = nil, badWords: [String] = [],
                badWordsTokenIDs: [[Int]] = [], skipSpecialTokens: Bool = true,
                spacesBetweenSpecialTokens: Bool = true, truncatePromptTokens: Int? = nil) {
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
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.repetitionPenalty = repetitionPenalty
        self.minP = minP
        self.stop = stop
        self.includeStopStrInOutput = includeStopStrInOutput
        self.minTokens = minTokens
        self.logitBias = logitBias
        self.allowedTokenIDs = allowedTokenIDs
        self.badWords = badWords
        self.badWordsTokenIDs = badWordsTokenIDs
        self.skipSpecialTokens = skipSpecialTokens
        self.spacesBetweenSpecialTokens = spacesBetweenSpecialTokens
        self.truncatePromptTokens = truncatePromptTokens
    }

    /// Below this temperature sampling is greedy (vLLM's epsilon).
    public static let greedyEpsilon = 1e-5
    /// Logit bias values are clamped to ±this (OpenAI's range).
    public static let maxLogitBias = 100.0

    public var isGreedy: Bool { temperature < Self.greedyEpsilon }

    /// True when a presence, frequency or repetition penalty changes the logits.
    public var hasPenalties: Bool { presencePenalty != 0 || frequencyPenalty != 0 || repetitionPenalty != 1 }
}
