import Foundation

/// Prometheus metrics of one served model, with vLLM's names, types, help texts and buckets
/// (label `model_name`), rendered by `render()` for `GET /metrics`. Thread-safe: every call takes
/// one lock, so the engine loop and HTTP handlers may call it concurrently.
public final class EngineMetrics: @unchecked Sendable {
    /// The HTTP `Content-Type` of `render()`'s text.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Seconds on a monotonic clock, a time base for the `at:` arguments.
    public static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    /// The `model_name` label value of every series.
    public let modelName: String
    let lock = NSLock()
    // Everything below is guarded by `lock`.
    var numRunning = 0
    var numWaiting = 0
    var kvCacheUsage = 0.0
    var kvBlocksWritten = 0
    var kvPeakBlocksInUse = 0
    var counters = MonotonicCounters()
    var requestSuccess: [FinishReason: Int] = [:]
    var timeToFirstToken = MetricHistogram(bounds: MetricBuckets.timeToFirstToken)
    var interTokenLatency = MetricHistogram(bounds: MetricBuckets.interTokenLatency)
    var e2eLatency = MetricHistogram(bounds: MetricBuckets.requestLatency)
    var queueTime = MetricHistogram(bounds: MetricBuckets.requestLatency)
    var promptTokens: MetricHistogram
    var generationTokens: MetricHistogram
    var requests: [String: RequestTimings] = [:]
    /// Labels of `vllm:cache_config_info` (vLLM's cache config fields, Python-spelled values); none: not rendered.
    public let cacheConfigLabels: [(String, String)]

    /// - Parameters:
    ///   - modelName: the served model name (vLLM's `served_model_name`).
    ///   - maxModelLen: the largest bound of the 1-2-5 token-count buckets, as vLLM's
    ///     `build_1_2_5_buckets(max_model_len)`; pass the engine's resolved max-model-len.
    ///   - cacheConfigLabels: the labels of `vllm:cache_config_info`, which endpoint pickers read
    ///     (`block_size`, `num_gpu_blocks`, ...); empty leaves that gauge and `vllm:lora_requests_info` out.
    public init(modelName: String, maxModelLen: Int = 8192, cacheConfigLabels: [(String, String)] = []) {
        self.modelName = modelName
        self.cacheConfigLabels = cacheConfigLabels
        let tokenBounds = MetricBuckets.oneTwoFive(upTo: maxModelLen)
        promptTokens = MetricHistogram(bounds: tokenBounds)
        generationTokens = MetricHistogram(bounds: tokenBounds)
    }

    /// Sets the gauges from a scheduler snapshot and advances the counters by how much the
    /// snapshot's cumulative totals grew since the previous call (a total that went down, as after
    /// an engine restart, counts from zero), so the exposed counters never decrease.
    public func update(stats: SchedulerStats) {
        lock.lock()
        defer { lock.unlock() }
        numRunning = stats.numRunning
        numWaiting = stats.numWaiting
        kvCacheUsage = stats.kvCacheUsage
        kvBlocksWritten = stats.kvBlocksWritten
        kvPeakBlocksInUse = stats.kvPeakBlocksInUse
        counters.advance(with: stats)
    }

    /// A request entered the engine (its arrival time, in seconds on any monotonic clock).
    public func requestArrived(id: String, at time: Double) {
        lock.lock()
        defer { lock.unlock() }
        requests[id] = RequestTimings(arrival: time)
    }

    /// The scheduler first ran the request; later calls (after a preemption) are ignored, so the
    /// queue time is arrival to first scheduling, as vLLM's.
    public func requestScheduled(id: String, at time: Double) {
        lock.lock()
        defer { lock.unlock() }
        if requests[id]?.scheduled == nil { requests[id]?.scheduled = time }
    }

    /// A step gave the request `count` new tokens at `time`. The first such step records the time to
    /// first token (from arrival); each later step records one inter-token latency, the time since
    /// the previous step, as vLLM's iteration stats do (one observation per step, however many
    /// tokens it produced). Steps with `count` <= 0 and unknown ids are ignored.
    public func tokensGenerated(id: String, count: Int, at time: Double) {
        lock.lock()
        defer { lock.unlock() }
        guard count > 0, var timings = requests[id] else { return }
        if let last = timings.lastToken {
            interTokenLatency.observe(time - last)
        } else {
            timeToFirstToken.observe(time - timings.arrival)
        }
        timings.lastToken = time
        requests[id] = timings
    }

    /// The request finished: counts it in `vllm:request_success_total{finished_reason=...}` and
    /// records its end-to-end latency, queue time (when it was scheduled) and prompt and generation
    /// token counts. Unknown ids are ignored.
    public func requestFinished(id: String, reason: FinishReason, promptTokens numPromptTokens: Int,
                                generationTokens numGenerationTokens: Int, at time: Double) {
        lock.lock()
        defer { lock.unlock() }
        guard let timings = requests.removeValue(forKey: id) else { return }
        requestSuccess[reason, default: 0] += 1
        e2eLatency.observe(time - timings.arrival)
        if let scheduled = timings.scheduled { queueTime.observe(scheduled - timings.arrival) }
        promptTokens.observe(Double(numPromptTokens))
        generationTokens.observe(Double(numGenerationTokens))
    }

    /// Requests that arrived and have not finished (for tests and leak checks).
    public var numTrackedRequests: Int {
        lock.lock()
        defer { lock.unlock() }
        return requests.count
    }
}
