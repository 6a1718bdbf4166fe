import Testing
@testable import Engine

/// Prometheus exposition, counters, escaping and the stats log line of `EngineMetrics`.
struct EngineMetricsTests {
    static func stats(running: Int, waiting: Int, kv: Double, queries: Int, hits: Int, preemptions: Int,
                      prompt: Int, generation: Int) -> SchedulerStats {
        SchedulerStats(numRunning: running, numWaiting: waiting, kvCacheUsage: kv, prefixCacheQueries: queries,
                       prefixCacheHits: hits, numPreemptions: preemptions, numPromptTokens: prompt,
                       numGenerationTokens: generation)
    }

    /// Two scheduler snapshots and four requests (A stops, B hits its length, C is aborted while
    /// waiting, D is still in flight); times are binary fractions so the sums are exact.
    static func scriptedEvents() -> EngineMetrics {
        let metrics = EngineMetrics(modelName: "smol", maxModelLen: 20)
        metrics.update(stats: stats(running: 2, waiting: 1, kv: 0.25, queries: 32, hits: 16, preemptions: 1,
                                    prompt: 27, generation: 2))
        metrics.requestArrived(id: "A", at: 0)
        metrics.requestScheduled(id: "A", at: 0.25)
        metrics.tokensGenerated(id: "A", count: 1, at: 0.5)
        metrics.tokensGenerated(id: "A", count: 1, at: 0.5625)
        metrics.requestScheduled(id: "A", at: 0.6)  // after a preemption: the queue time stays 0.25
        metrics.tokensGenerated(id: "A", count: 1, at: 0.75)
        metrics.requestFinished(id: "A", reason: .stop, promptTokens: 7, generationTokens: 3, at: 0.75)
        metrics.requestArrived(id: "B", at: 1)
        metrics.requestScheduled(id: "B", at: 1)
        metrics.requestArrived(id: "C", at: 2)
        metrics.requestFinished(id: "C", reason: .abort, promptTokens: 4, generationTokens: 0, at: 2.125)
        metrics.tokensGenerated(id: "B", count: 0, at: 2.5)  // no tokens: ignored
        metrics.tokensGenerated(id: "B", count: 1, at: 3)
        metrics.requestFinished(id: "B", reason: .length, promptTokens: 20, generationTokens: 1, at: 3.5)
        metrics.requestArrived(id: "D", at: 4)
        metrics.tokensGenerated(id: "unknown", count: 1, at: 4)  // ignored
        metrics.requestFinished(id: "unknown", reason: .stop, promptTokens: 1, generationTokens: 1, at: 4)
        metrics.update(stats: stats(running: 1, waiting: 0, kv: 0.5, queries: 48, hits: 16, preemptions: 1,
                                    prompt: 31, generation: 4))
        return metrics
    }

    @Test func renderMatchesPythonClientLineByLine() {
        let metrics = Self.scriptedEvents()
        let rendered = metrics.render().split(separator: "\n", omittingEmptySubsequences: false)
        // vLLM's series as the Python client renders them, then Swiftlet's own two gauges.
        let own = """
            # HELP swiftlet:kv_cache_blocks_written KV-cache blocks ever written (resident on a CPU).
            # TYPE swiftlet:kv_cache_blocks_written gauge
            swiftlet:kv_cache_blocks_written{model_name="smol"} 0.0
            # HELP swiftlet:kv_cache_peak_blocks_in_use Most KV-cache blocks in use at once.
            # TYPE swiftlet:kv_cache_peak_blocks_in_use gauge
            swiftlet:kv_cache_peak_blocks_in_use{model_name="smol"} 0.0
            """
        let expected = (EngineMetricsReference.scriptedRender + "\n" + own + "\n").split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rendered.count == 191)
        #expect(rendered.count == expected.count)
        for (index, line) in zip(rendered, expected).enumerated() where line.0 != line.1 {
            Issue.record("line \(index + 1): got \(line.0), want \(line.1)")
        }
        #expect(metrics.numTrackedRequests == 1)
    }

    @Test func kvBlockGaugesFollowTheScheduler() {
        let metrics = EngineMetrics(modelName: "smol")
        var snapshot = Self.stats(running: 0, waiting: 0, kv: 0, queries: 0, hits: 0, preemptions: 0, prompt: 0, generation: 0)
        snapshot.kvBlocksWritten = 12
        snapshot.kvPeakBlocksInUse = 9
        metrics.update(stats: snapshot)
        let lines = Set(metrics.render().split(separator: "\n").map(String.init))
        #expect(lines.contains(#"swiftlet:kv_cache_blocks_written{model_name="smol"} 12.0"#))
        #expect(lines.contains(#"swiftlet:kv_cache_peak_blocks_in_use{model_name="smol"} 9.0"#))
    }

    @Test func renderPinsKeyLines() {
        let lines = Set(Self.scriptedEvents().render().split(separator: "\n").map(String.init))
        for line in [
            #"vllm:kv_cache_usage_perc{model_name="smol"} 0.5"#,
            #"vllm:prefix_cache_queries_total{model_name="smol"} 48.0"#,
            #"vllm:request_success_total{finished_reason="abort",model_name="smol"} 1.0"#,
            #"vllm:time_to_first_token_seconds_bucket{le="0.5",model_name="smol"} 1.0"#,
            #"vllm:time_to_first_token_seconds_bucket{le="2.5",model_name="smol"} 2.0"#,
            #"vllm:time_to_first_token_seconds_sum{model_name="smol"} 2.5"#,
            #"vllm:inter_token_latency_seconds_bucket{le="0.05",model_name="smol"} 0.0"#,
            #"vllm:inter_token_latency_seconds_bucket{le="0.075",model_name="smol"} 1.0"#,
            #"vllm:inter_token_latency_seconds_bucket{le="0.2",model_name="smol"} 2.0"#,
            #"vllm:inter_token_latency_seconds_sum{model_name="smol"} 0.25"#,
            #"vllm:time_per_output_token_seconds_count{model_name="smol"} 2.0"#,
            #"vllm:e2e_request_latency_seconds_bucket{le="0.3",model_name="smol"} 1.0"#,
            #"vllm:e2e_request_latency_seconds_bucket{le="+Inf",model_name="smol"} 3.0"#,
            #"vllm:e2e_request_latency_seconds_sum{model_name="smol"} 3.375"#,
            #"vllm:request_queue_time_seconds_count{model_name="smol"} 2.0"#,
            #"vllm:request_queue_time_seconds_sum{model_name="smol"} 0.25"#,
            #"vllm:request_generation_tokens_bucket{le="1.0",model_name="smol"} 2.0"#,
        ] {
            #expect(lines.contains(line), "missing \(line)")
        }
    }

    @Test func countersNeverDecrease() {
        let metrics = EngineMetrics(modelName: "m")
        func promptTotal() -> String? {
            metrics.render().split(separator: "\n").first { $0.hasPrefix("vllm:prompt_tokens_total{") }.map(String.init)
        }
        metrics.update(stats: Self.stats(running: 0, waiting: 0, kv: 0, queries: 0, hits: 0, preemptions: 0,
                                         prompt: 10, generation: 0))
        #expect(promptTotal() == #"vllm:prompt_tokens_total{model_name="m"} 10.0"#)
        metrics.update(stats: Self.stats(running: 0, waiting: 0, kv: 0, queries: 0, hits: 0, preemptions: 0,
                                         prompt: 10, generation: 0))
        #expect(promptTotal() == #"vllm:prompt_tokens_total{model_name="m"} 10.0"#)
        // A lower total (a restarted engine) counts from zero: 10 + 3.
        metrics.update(stats: Self.stats(running: 0, waiting: 0, kv: 0, queries: 0, hits: 0, preemptions: 0,
                                         prompt: 3, generation: 0))
        #expect(promptTotal() == #"vllm:prompt_tokens_total{model_name="m"} 13.0"#)
        metrics.update(stats: Self.stats(running: 0, waiting: 0, kv: 0, queries: 0, hits: 0, preemptions: 0,
                                         prompt: 8, generation: 0))
        #expect(promptTotal() == #"vllm:prompt_tokens_total{model_name="m"} 18.0"#)
    }

    @Test func labelValuesAreEscaped() {
        let metrics = EngineMetrics(modelName: "sm\\ol \"q4\"\nx")
        let line = metrics.render().split(separator: "\n").first { $0.hasPrefix("vllm:num_requests_running{") }
        // As prometheus_client writes it for the same name.
        #expect(line == #"vllm:num_requests_running{model_name="sm\\ol \"q4\"\nx"} 0.0"#)
        #expect(PrometheusText.escapeHelp("a\\b\nc \"d\"") == #"a\\b\nc "d""#)
    }

    @Test func valuesFormatLikeThePythonClient() {
        let cases: [(Double, String)] = [
            (1, "1.0"), (0.1, "0.1"), (2560, "2560.0"), (100_000, "100000.0"), (1_234_567, "1.234567e+06"),
            (12_345_678.5, "1.23456785e+07"), (1e16, "1e+16"), (1e-05, "1e-05"), (.infinity, "+Inf"),
            (-.infinity, "-Inf"), (.nan, "NaN"), (-2.5, "-2.5"),
        ]
        for (value, text) in cases {
            #expect(PrometheusText.format(value) == text)
        }
    }

    @Test func oneTwoFiveBucketsStopAtMaxModelLen() {
        #expect(MetricBuckets.oneTwoFive(upTo: 100) == [1, 2, 5, 10, 20, 50, 100])
        #expect(MetricBuckets.oneTwoFive(upTo: 8192) == [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000])
        #expect(MetricBuckets.oneTwoFive(upTo: 0) == [])
        #expect(MetricBuckets.oneTwoFive(upTo: Int.max).count == 57)
    }

    @Test func logLineMatchesVLLMWording() {
        let previous = Self.stats(running: 2, waiting: 1, kv: 0.25, queries: 32, hits: 16, preemptions: 1,
                                  prompt: 27, generation: 2)
        let now = Self.stats(running: 3, waiting: 1, kv: 0.40625, queries: 96, hits: 64, preemptions: 1,
                             prompt: 77, generation: 32)
        #expect(EngineMetrics.logLine(previous: previous, now: now, interval: 4)
            == "Avg prompt throughput: 12.5 tokens/s, Avg generation throughput: 7.5 tokens/s, Running: 3 reqs, "
            + "Waiting: 1 reqs, KV cache usage: 40.6%, Prefix cache hit rate: 75.0%")
        #expect(EngineMetrics.logLine(previous: now, now: now, interval: 0)
            == "Avg prompt throughput: 0.0 tokens/s, Avg generation throughput: 0.0 tokens/s, Running: 3 reqs, "
            + "Waiting: 1 reqs, KV cache usage: 40.6%, Prefix cache hit rate: 0.0%")
    }
}
