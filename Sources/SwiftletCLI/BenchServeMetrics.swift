/// The figures of one serving benchmark run, computed like vLLM's `calculate_metrics`:
/// token totals and latencies over successful requests only; times in milliseconds.
struct BenchServeMetrics {
    /// Successful requests.
    var completed = 0
    /// Failed requests.
    var failed = 0
    /// Wall time from the first send to the last response, in seconds.
    var duration = 0.0
    /// Prompt tokens of successful requests.
    var totalInputTokens = 0
    /// Generated tokens of successful requests.
    var totalOutputTokens = 0
    /// Successful requests per second.
    var requestThroughput = 0.0
    /// Generated tokens per second.
    var outputThroughput = 0.0
    /// Prompt plus generated tokens per second.
    var totalTokenThroughput = 0.0
    /// Time to first token (ms).
    var ttft = BenchServeStatistics([])
    /// Time per output token after the first, per request: (e2e − TTFT) / (output − 1) (ms).
    var tpot = BenchServeStatistics([])
    /// Gaps between text chunks, pooled over requests (ms).
    var itl = BenchServeStatistics([])
    /// End-to-end request latency (ms).
    var e2el = BenchServeStatistics([])

    /// Metrics of `results` for a run that took `duration` seconds.
    init(results: [BenchServeRequestResult], duration: Double) {
        self.duration = duration
        var ttfts: [Double] = [], tpots: [Double] = [], itls: [Double] = [], latencies: [Double] = []
        for result in results {
            guard result.success else {
                failed += 1
                continue
            }
            completed += 1
            totalInputTokens += result.promptLen
            totalOutputTokens += result.outputTokens
            ttfts.append(result.ttft * 1000)
            latencies.append(result.latency * 1000)
            itls.append(contentsOf: result.itls.map { $0 * 1000 })
            if result.outputTokens > 1 {
                tpots.append((result.latency - result.ttft) / Double(result.outputTokens - 1) * 1000)
            }
        }
        if duration > 0 {
            requestThroughput = Double(completed) / duration
            outputThroughput = Double(totalOutputTokens) / duration
            totalTokenThroughput = Double(totalInputTokens + totalOutputTokens) / duration
        }
        ttft = BenchServeStatistics(ttfts)
        tpot = BenchServeStatistics(tpots)
        itl = BenchServeStatistics(itls)
        e2el = BenchServeStatistics(latencies)
    }
}
