/// Cumulative prefix-cache counters (vLLM's prefix_cache_queries / prefix_cache_hits semantics).
public struct PrefixCacheStats: Sendable, Equatable {
    /// Prompt tokens looked up (a request's full token count per lookup).
    public var numQueries: Int
    /// Tokens found in the cache (after the numTokens - 1 cap, whole blocks).
    public var numHits: Int
    /// Lookups made (one per new request while prefix caching is on).
    public var numRequests: Int

    /// Counters with the given values (all zero by default).
    public init(numQueries: Int = 0, numHits: Int = 0, numRequests: Int = 0) {
        self.numQueries = numQueries
        self.numHits = numHits
        self.numRequests = numRequests
    }

    /// Hits over queries (0 when nothing was queried).
    public var hitRate: Double {
        numQueries == 0 ? 0 : Double(numHits) / Double(numQueries)
    }
}
