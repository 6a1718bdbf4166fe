import Foundation

extension EngineMetrics {
    /// The Prometheus text exposition (format 0.0.4; content type
    /// `text/plain; version=0.0.4; charset=utf-8`) of every metric, in vLLM's order and spelling:
    /// counters carry the `_total` suffix the Python client adds, values print as `1.0`, `+Inf`.
    public func render() -> String {
        lock.lock()
        defer { lock.unlock() }
        let model = [("model_name", modelName)]
        var out = ""
        func gauge(_ name: String, _ help: String, _ value: Double) {
            out += PrometheusText.header(name: name, help: help, type: "gauge")
            out += "\(name)\(PrometheusText.labelSet(model)) \(PrometheusText.format(value))\n"
        }
        func counter(_ name: String, _ help: String, _ series: [([(String, String)], Int)]) {
            out += PrometheusText.header(name: name, help: help, type: "counter")
            for (labels, value) in series {
                out += "\(name)\(PrometheusText.labelSet(model + labels)) \(PrometheusText.format(Double(value)))\n"
            }
        }
        func histogram(_ name: String, _ help: String, _ histogram: MetricHistogram) {
            out += PrometheusText.header(name: name, help: help, type: "histogram")
            out += histogram.render(name: name, labels: model)
        }
        if !cacheConfigLabels.isEmpty {
            // Info gauges as vLLM's: value 1 (the cache config) and the render time (LoRA, none loaded).
            out += PrometheusText.header(name: "vllm:cache_config_info", help: "Information of the LLMEngine CacheConfig", type: "gauge")
            out += "vllm:cache_config_info\(PrometheusText.labelSet(cacheConfigLabels)) 1.0\n"
            out += PrometheusText.header(name: "vllm:lora_requests_info", help: "Running stats on lora requests.", type: "gauge")
            let lora = [("max_lora", "0"), ("running_lora_adapters", ""), ("waiting_lora_adapters", "")]
            out += "vllm:lora_requests_info\(PrometheusText.labelSet(lora)) \(PrometheusText.format(Date().timeIntervalSince1970))\n"
        }
        gauge("vllm:num_requests_running", "Number of requests in model execution batches.", Double(numRunning))
        gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", Double(numWaiting))
        gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", kvCacheUsage)
        counter("vllm:prefix_cache_queries_total", "Prefix cache queries, in terms of number of queried tokens.",
                [([], counters.prefixCacheQueries)])
        counter("vllm:prefix_cache_hits_total", "Prefix cache hits, in terms of number of cached tokens.",
                [([], counters.prefixCacheHits)])
        counter("vllm:num_preemptions_total", "Cumulative number of preemption from the engine.",
                [([], counters.numPreemptions)])
        counter("vllm:prompt_tokens_total", "Number of prefill tokens processed.", [([], counters.numPromptTokens)])
        counter("vllm:generation_tokens_total", "Number of generation tokens processed.",
                [([], counters.numGenerationTokens)])
        let sources = counters.promptTokenSources
        counter("vllm:prompt_tokens_by_source_total", "Number of prompt tokens by source.",
                [([("source", "local_compute")], sources.localCompute), ([("source", "local_cache_hit")], sources.localCacheHit),
                 ([("source", "external_kv_transfer")], sources.externalKVTransfer)])
        counter("vllm:prompt_tokens_cached_total", "Number of cached prompt tokens (local + external).",
                [([], sources.localCacheHit + sources.externalKVTransfer)])
        if counters.specPositions > 0 {
            counter("vllm:spec_decode_num_drafts_total", "Number of spec decoding drafts.", [([], counters.specDrafts)])
            counter("vllm:spec_decode_num_draft_tokens_total", "Number of draft tokens.", [([], counters.specDraftTokens)])
            counter("vllm:spec_decode_num_accepted_tokens_total", "Number of accepted tokens.", [([], counters.specAcceptedTokens)])
            counter("vllm:spec_decode_num_accepted_tokens_per_pos_total", "Accepted tokens per draft position.",
                    counters.specAcceptedPerPosition.enumerated().map { ([("position", String($0.offset))], $0.element) })
        }
        let reasons: [FinishReason] = [.stop, .length, .abort]
        counter("vllm:request_success_total", "Count of successfully processed requests.",
                reasons.map { ([("finished_reason", $0.rawValue)], requestSuccess[$0, default: 0]) })
        histogram("vllm:request_prompt_tokens", "Number of prefill tokens processed.", promptTokens)
        histogram("vllm:request_generation_tokens", "Number of generation tokens processed.", generationTokens)
        histogram("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", timeToFirstToken)
        histogram("vllm:time_per_output_token_seconds",
                  "Histogram of time per output token in seconds.DEPRECATED: Use vllm:inter_token_latency_seconds instead.",
                  interTokenLatency)
        histogram("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", interTokenLatency)
        histogram("vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", e2eLatency)
        histogram("vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.", queueTime)
        // Swiftlet's own (no vLLM twin): how much of the KV pool was ever written, which on a CPU
        // is what the cache holds resident, beside the most blocks in use at once.
        gauge("swiftlet:kv_cache_blocks_written", "KV-cache blocks ever written (resident on a CPU).", Double(kvBlocksWritten))
        gauge("swiftlet:kv_cache_peak_blocks_in_use", "Most KV-cache blocks in use at once.", Double(kvPeakBlocksInUse))
        return out
    }
}
