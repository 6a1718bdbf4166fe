/// One completion of a request (a request with `n > 1` has n of them), as vLLM's `CompletionOutput`.
public struct CompletionOutput: Sendable, Equatable {
    /// Which of the request's n completions this is.
    public var index: Int
    /// The text so far, never ending in half a UTF-8 character. While the completion runs it leaves
    /// out a tail that may still become a stop string; once finished it is cut before the matched
    /// stop string (or after it, with `includeStopStrInOutput`).
    public var text: String = ""
    public var tokenIDs: [Int] = []
    /// Text and token ids new since the previous output of this completion.
    public var deltaText: String = ""
    public var deltaTokenIDs: [Int] = []
    /// Per output token, when `logprobs` was asked for.
    public var logprobs: [TokenLogprobs]?
    public var finishReason: FinishReason?
    /// The stop token id or stop string that stopped it, when one did (nil for EOS).
    public var stopReason: StopReason?

    public init(index: Int) {
        self.index = index
    }

    public var isFinished: Bool { finishReason != nil }
}

/// The state of one request after a step, as vLLM's `RequestOutput`.
public struct RequestOutput: Sendable, Equatable {
    public var requestID: String
    public var promptTokenIDs: [Int]
    /// Per prompt token (the first is nil), when `prompt_logprobs` was asked for.
    public var promptLogprobs: [TokenLogprobs?]?
    public var outputs: [CompletionOutput]
    /// Prompt tokens whose KV came from the prefix cache.
    public var numCachedTokens: Int = 0
    /// A prefill kept for a decode instance (`do_remote_decode`): the blocks holding its KV.
    public var kvTransferHandle: KVTransferHandle?
    /// True once every completion has finished.
    public var finished: Bool { outputs.allSatisfy(\.isFinished) }

    public init(requestID: String, promptTokenIDs: [Int], n: Int) {
        self.requestID = requestID
        self.promptTokenIDs = promptTokenIDs
        outputs = (0..<n).map { CompletionOutput(index: $0) }
    }
}
