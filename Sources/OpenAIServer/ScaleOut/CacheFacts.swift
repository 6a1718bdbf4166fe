import Engine

/// What a router needs to know about the engine's KV cache: the block size its prefix hashes are
/// cut by and how many blocks there are.
public struct CacheFacts: Sendable, Equatable {
    public var blockSize: Int
    public var numBlocks: Int
    public var enablePrefixCaching: Bool
    public var slidingWindow: Int?
    /// `--kv-cache-dtype` as given.
    public var dtype: String

    init(config: SchedulerConfig, dtype: String) {
        blockSize = config.blockSize
        numBlocks = config.numBlocks
        enablePrefixCaching = config.enablePrefixCaching
        slidingWindow = config.slidingWindow
        self.dtype = dtype
    }

    /// `vllm:cache_config_info`'s labels, values spelled as Python prints them (vLLM's `str(value)`).
    var metricLabels: [(String, String)] {
        [("block_size", String(blockSize)), ("cache_dtype", dtype),
         ("enable_prefix_caching", enablePrefixCaching ? "True" : "False"),
         ("num_cpu_blocks", "None"), ("num_gpu_blocks", String(numBlocks)),
         ("prefix_caching_hash_algo", "sha256_cbor"), ("sliding_window", slidingWindow.map(String.init) ?? "None")]
    }
}
