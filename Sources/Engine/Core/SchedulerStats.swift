/// A snapshot of the scheduler for logs and metrics (vLLM `SchedulerStats`).
public struct SchedulerStats: Sendable, Equatable {
    public var numRunning: Int
    public var numWaiting: Int
    /// Fraction of KV blocks in use, 0...1.
    public var kvCacheUsage: Double
    /// Prompt tokens looked up in the prefix cache (cumulative).
    public var prefixCacheQueries: Int
    /// Prompt tokens served from the prefix cache (cumulative).
    public var prefixCacheHits: Int
    /// Preemptions so far (cumulative).
    public var numPreemptions: Int
    /// Prompt tokens of requests that produced their first token (cumulative).
    public var numPromptTokens: Int
    /// Output tokens produced (cumulative).
    public var numGenerationTokens: Int
    /// Speculative decoding's counters (cumulative; all zero when it is off).
    public var specDecoding = SpecDecodingStats()
    /// Where new requests' prompt tokens came from (cumulative; vLLM's prompt_tokens_by_source).
    public var promptTokenSources = PromptTokenSources()
    /// KV blocks ever handed out for new content (on a CPU, the blocks whose pages are resident).
    public var kvBlocksWritten = 0
    /// Most KV blocks in use at once so far.
    public var kvPeakBlocksInUse = 0

    public init(numRunning: Int, numWaiting: Int, kvCacheUsage: Double, prefixCacheQueries: Int, prefixCacheHits: Int,
                numPreemptions: Int, numPromptTokens: Int, numGenerationTokens: Int) {
        self.numRunning = numRunning
        self.numWaiting = numWaiting
        self.kvCacheUsage = kvCacheUsage
        self.prefixCacheQueries = prefixCacheQueries
        self.prefixCacheHits = prefixCacheHits
        self.numPreemptions = numPreemptions
        self.numPromptTokens = numPromptTokens
        self.numGenerationTokens = numGenerationTokens
    }
}

/// Prompt tokens of requests at their first scheduling, by where their KV came from (vLLM's
/// `vllm:prompt_tokens_by_source_total` sources).
public struct PromptTokenSources: Sendable, Equatable {
    /// Computed by this engine.
    public var localCompute = 0
    /// Found in the in-memory prefix cache.
    public var localCacheHit = 0
    /// Loaded: pulled from a prefill instance or read from the disk tier.
    public var externalKVTransfer = 0

    public init() {}
}
