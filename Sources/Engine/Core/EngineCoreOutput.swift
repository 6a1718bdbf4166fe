/// What one step produced for one request (vLLM `EngineCoreOutput`).
public struct EngineCoreOutput: Sendable, Equatable {
    public var requestID: String
    /// Tokens sampled this step (one, or none for an output that only carries prompt logprobs).
    public var newTokenIDs: [Int]
    /// Logprobs of `newTokenIDs`, when the request asked for them.
    public var newLogprobs: [TokenLogprobs]?
    /// Every prompt position's logprobs (index 0 is nil), sent once with the first token.
    public var promptLogprobs: [TokenLogprobs?]?
    /// Set on the request's last output.
    public var finishReason: FinishReason?
    /// The token that stopped the request, if one did.
    public var stopReason: Int?
    public var numPromptTokens: Int
    /// Prompt tokens served from the prefix cache at the first scheduling.
    public var numCachedTokens: Int
    /// When the scheduler first ran the request (`EngineMetrics.monotonicSeconds()`), set on the
    /// output with its first token only; for the queue-time metric.
    public var firstScheduledTime: Double?
    /// On a prefill kept for a decode instance (`do_remote_decode`): the blocks holding its KV.
    public var kvTransferHandle: KVTransferHandle?

    public init(requestID: String, newTokenIDs: [Int], newLogprobs: [TokenLogprobs]? = nil,
                promptLogprobs: [TokenLogprobs?]? = nil, finishReason: FinishReason? = nil, stopReason: Int? = nil,
                numPromptTokens: Int, numCachedTokens: Int) {
        self.requestID = requestID
        self.newTokenIDs = newTokenIDs
        self.newLogprobs = newLogprobs
        self.promptLogprobs = promptLogprobs
        self.finishReason = finishReason
        self.stopReason = stopReason
        self.numPromptTokens = numPromptTokens
        self.numCachedTokens = numCachedTokens
    }

    public var isFinished: Bool { finishReason != nil }

    /// Equal when everything but the wall-clock `firstScheduledTime` is, so that runs compare.
    public static func == (lhs: EngineCoreOutput, rhs: EngineCoreOutput) -> Bool {
        lhs.requestID == rhs.requestID && lhs.newTokenIDs == rhs.newTokenIDs && lhs.newLogprobs == rhs.newLogprobs
            && lhs.promptLogprobs == rhs.promptLogprobs && lhs.finishReason == rhs.finishReason
            && lhs.stopReason == rhs.stopReason && lhs.numPromptTokens == rhs.numPromptTokens
            && lhs.numCachedTokens == rhs.numCachedTokens
    }
}
