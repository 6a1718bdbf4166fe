import Foundation

extension EngineMetrics {
    /// vLLM's periodic stats log line over one interval between two scheduler snapshots:
    /// "Avg prompt throughput: 12.5 tokens/s, Avg generation throughput: 3.0 tokens/s, Running: 2 reqs,
    /// Waiting: 1 reqs, KV cache usage: 25.0%, Prefix cache hit rate: 50.0%". Throughputs are the
    /// growth of the cumulative token totals divided by `interval` seconds (0 when `interval` <= 0);
    /// the hit rate is hits over queries within the interval (0 with no queries).
    public static func logLine(previous: SchedulerStats, now: SchedulerStats, interval: Double) -> String {
        func rate(_ delta: Int) -> Double { interval > 0 ? Double(max(delta, 0)) / interval : 0 }
        let promptThroughput = rate(now.numPromptTokens &- previous.numPromptTokens)
        let generationThroughput = rate(now.numGenerationTokens &- previous.numGenerationTokens)
        let queries = now.prefixCacheQueries &- previous.prefixCacheQueries
        let hits = now.prefixCacheHits &- previous.prefixCacheHits
        let hitRate = queries > 0 ? Double(max(hits, 0)) / Double(queries) : 0
        var line = String(format: "Avg prompt throughput: %.1f tokens/s, Avg generation throughput: %.1f tokens/s, "
                          + "Running: %d reqs, Waiting: %d reqs, KV cache usage: %.1f%%, Prefix cache hit rate: %.1f%%",
                      promptThroughput, generationThroughput, now.numRunning, now.numWaiting,
                      now.kvCacheUsage * 100, hitRate * 100)
        let spec = now.specDecoding, before = previous.specDecoding
        if spec.numSpeculativeTokens > 0 {
            // acceptance over the interval, as vLLM's SpecDecoding metrics line
            let drafted = spec.numDraftTokens &- before.numDraftTokens, accepted = spec.numAcceptedTokens &- before.numAcceptedTokens
            let drafts = spec.numDrafts &- before.numDrafts
            line += String(format: ", Draft acceptance rate: %.1f%%, Mean acceptance length: %.2f, Drafted: %d tokens, Accepted: %d tokens",
                           drafted > 0 ? 100 * Double(accepted) / Double(drafted) : 0,
                           drafts > 0 ? 1 + Double(accepted) / Double(drafts) : 0, max(drafted, 0), max(accepted, 0))
        }
        return line
    }
}
