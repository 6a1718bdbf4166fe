import KVCache

/// The resolved limits the scheduler works under (all sizes decided; see `EngineConfig.resolve`).
public struct SchedulerConfig: Sendable, Equatable {
    /// Longest sequence (prompt + output) in tokens.
    public var maxModelLen: Int
    /// Most requests running at once.
    public var maxNumSeqs: Int
    /// The token budget of one step (all requests together).
    public var maxNumBatchedTokens: Int
    /// Tokens per KV block.
    public var blockSize: Int
    /// KV blocks in the pool (of the full-attention layers when `slidingWindow` is set).
    public var numBlocks: Int
    /// With a sliding-window model (Gemma 3): its window, and the blocks of the second pool, which
    /// its sliding-window layers use and the scheduler frees as they fall out of every window
    /// (vLLM's hybrid KV cache). nil: one pool for every layer.
    public var slidingWindow: Int?
    public var numSlidingBlocks: Int?
    public var enablePrefixCaching: Bool
    /// Which free KV block is handed out next (`--kv-block-order`).
    public var freeBlockOrder: FreeBlockOrder = .reuseFreed
    public var schedulingPolicy: SchedulingPolicy
    /// Whether requests may ask for prompt logprobs (the model then keeps a logits row per batch token).
    public var enablePromptLogprobs: Bool
    /// Largest `logprobs` / `prompt_logprobs` a request may ask for.
    public var maxLogprobs: Int
    /// Wanted seconds per step (`StepTimeBudget`): the engine core lowers each step's token
    /// budget to what its measured steps say fits. nil: always `maxNumBatchedTokens`.
    public var targetStepTime: Double?
    /// Speculative decoding: drafts proposed after each step and verified in the next; nil: none.
    public var speculativeConfig: SpeculativeConfig?

    public init(maxModelLen: Int, maxNumSeqs: Int = 256, maxNumBatchedTokens: Int = 512, blockSize: Int = 16,
                numBlocks: Int, enablePrefixCaching: Bool = true, schedulingPolicy: SchedulingPolicy = .fcfs,
                enablePromptLogprobs: Bool = false, maxLogprobs: Int = 20, targetStepTime: Double? = nil,
                slidingWindow: Int? = nil, numSlidingBlocks: Int? = nil) {
        self.maxModelLen = maxModelLen
        self.maxNumSeqs = maxNumSeqs
        self.maxNumBatchedTokens = maxNumBatchedTokens
        self.blockSize = blockSize
        self.numBlocks = numBlocks
        self.enablePrefixCaching = enablePrefixCaching
        self.schedulingPolicy = schedulingPolicy
        self.enablePromptLogprobs = enablePromptLogprobs
        self.maxLogprobs = maxLogprobs
        self.targetStepTime = targetStepTime
        self.slidingWindow = slidingWindow
        self.numSlidingBlocks = numSlidingBlocks
    }

    /// How many requests of `maxModelLen` tokens the KV pool holds at once.
    public var maxConcurrency: Double { Double(numBlocks * blockSize) / Double(max(maxModelLen, 1)) }

    /// Logits rows one step may need: a sampled row per request, and with speculative decoding one
    /// per draft token too (at most one per batch token).
    public var maxNumSampledRows: Int {
        let perRequest = 1 + (speculativeConfig?.numSpeculativeTokens ?? 0)
        return min(maxNumBatchedTokens, min(maxNumSeqs, maxNumBatchedTokens) * perRequest)
    }

    /// Blocks one request of `maxModelLen` tokens needs.
    public var maxBlocksPerRequest: Int { (maxModelLen + blockSize - 1) / blockSize }
}
