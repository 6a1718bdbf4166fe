/// The exposition Python's prometheus_client 0.26.0 writes for `EngineMetricsTests.scriptedEvents`
/// (vLLM's metric definitions, label model_name, PROMETHEUS_DISABLE_CREATED_SERIES set),
/// generated once by a small script feeding the same events and pasted here verbatim.
enum EngineMetricsReference {
    static let scriptedRender = #"""
# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{model_name="smol"} 1.0
# HELP vllm:num_requests_waiting Number of requests waiting to be processed.
# TYPE vllm:num_requests_waiting gauge
vllm:num_requests_waiting{model_name="smol"} 0.0
# HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
# TYPE vllm:kv_cache_usage_perc gauge
vllm:kv_cache_usage_perc{model_name="smol"} 0.5
# HELP vllm:prefix_cache_queries_total Prefix cache queries, in terms of number of queried tokens.
# TYPE vllm:prefix_cache_queries_total counter
vllm:prefix_cache_queries_total{model_name="smol"} 48.0
# HELP vllm:prefix_cache_hits_total Prefix cache hits, in terms of number of cached tokens.
# TYPE vllm:prefix_cache_hits_total counter
vllm:prefix_cache_hits_total{model_name="smol"} 16.0
# HELP vllm:num_preemptions_total Cumulative number of preemption from the engine.
# TYPE vllm:num_preemptions_total counter
vllm:num_preemptions_total{model_name="smol"} 1.0
# HELP vllm:prompt_tokens_total Number of prefill tokens processed.
# TYPE vllm:prompt_tokens_total counter
vllm:prompt_tokens_total{model_name="smol"} 31.0
# HELP vllm:generation_tokens_total Number of generation tokens processed.
# TYPE vllm:generation_tokens_total counter
vllm:generation_tokens_total{model_name="smol"} 4.0
# HELP vllm:prompt_tokens_by_source_total Number of prompt tokens by source.
# TYPE vllm:prompt_tokens_by_source_total counter
vllm:prompt_tokens_by_source_total{model_name="smol",source="local_compute"} 0.0
vllm:prompt_tokens_by_source_total{model_name="smol",source="local_cache_hit"} 0.0
vllm:prompt_tokens_by_source_total{model_name="smol",source="external_kv_transfer"} 0.0
# HELP vllm:prompt_tokens_cached_total Number of cached prompt tokens (local + external).
# TYPE vllm:prompt_tokens_cached_total counter
vllm:prompt_tokens_cached_total{model_name="smol"} 0.0
# HELP vllm:request_success_total Count of successfully processed requests.
# TYPE vllm:request_success_total counter
vllm:request_success_total{finished_reason="stop",model_name="smol"} 1.0
vllm:request_success_total{finished_reason="length",model_name="smol"} 1.0
vllm:request_success_total{finished_reason="abort",model_name="smol"} 1.0
# HELP vllm:request_prompt_tokens Number of prefill tokens processed.
# TYPE vllm:request_prompt_tokens histogram
vllm:request_prompt_tokens_bucket{le="1.0",model_name="smol"} 0.0
vllm:request_prompt_tokens_bucket{le="2.0",model_name="smol"} 0.0
vllm:request_prompt_tokens_bucket{le="5.0",model_name="smol"} 1.0
vllm:request_prompt_tokens_bucket{le="10.0",model_name="smol"} 2.0
vllm:request_prompt_tokens_bucket{le="20.0",model_name="smol"} 3.0
vllm:request_prompt_tokens_bucket{le="+Inf",model_name="smol"} 3.0
vllm:request_prompt_tokens_count{model_name="smol"} 3.0
vllm:request_prompt_tokens_sum{model_name="smol"} 31.0
# HELP vllm:request_generation_tokens Number of generation tokens processed.
# TYPE vllm:request_generation_tokens histogram
vllm:request_generation_tokens_bucket{le="1.0",model_name="smol"} 2.0
vllm:request_generation_tokens_bucket{le="2.0",model_name="smol"} 2.0
vllm:request_generation_tokens_bucket{le="5.0",model_name="smol"} 3.0
vllm:request_generation_tokens_bucket{le="10.0",model_name="smol"} 3.0
vllm:request_generation_tokens_bucket{le="20.0",model_name="smol"} 3.0
vllm:request_generation_tokens_bucket{le="+Inf",model_name="smol"} 3.0
vllm:request_generation_tokens_count{model_name="smol"} 3.0
vllm:request_generation_tokens_sum{model_name="smol"} 4.0
# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.
# TYPE vllm:time_to_first_token_seconds histogram
vllm:time_to_first_token_seconds_bucket{le="0.001",model_name="smol"} 0.0
vllm:time_to_first_token_seconds_bucket{le="0.005",model_name="smol"} 0.0
vllm:time_to_first_token_seconds_bucket{le="0.01",model_name="smol"} 0.0
vllm:time_to_first_token_seconds_bucket{le="0.02",model_name="smol"} 0.0
vllm:time_to_first_token_seconds_bucket{le="0.04",model_name="smol"} 0.0
vllm:time_to_first_token_seconds_bucket{le="0.06",model_name="smol"} 0.0
vllm:time_to_first_token_seconds_bucket{le="0.08",model_name="smol"} 0.0
vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="smol"} 0.0
vllm:time_to_first_token_seconds_bucket{le="0.25",model_name="smol"} 0.0
vllm:time_to_first_token_seconds_bucket{le="0.5",model_name="smol"} 1.0
vllm:time_to_first_token_seconds_bucket{le="0.75",model_name="smol"} 1.0
vllm:time_to_first_token_seconds_bucket{le="1.0",model_name="smol"} 1.0
vllm:time_to_first_token_seconds_bucket{le="2.5",model_name="smol"} 2.0
vllm:time_to_first_token_seconds_bucket{le="5.0",model_name="smol"} 2.0
vllm:time_to_first_token_seconds_bucket{le="7.5",model_name="smol"} 2.0
vllm:time_to_first_token_seconds_bucket{le="10.0",model_name="smol"} 2.0
vllm:time_to_first_token_seconds_bucket{le="20.0",model_name="smol"} 2.0
vllm:time_to_first_token_seconds_bucket{le="40.0",model_name="smol"} 2.0
vllm:time_to_first_token_seconds_bucket{le="80.0",model_name="smol"} 2.0
vllm:time_to_first_token_seconds_bucket{le="160.0",model_name="smol"} 2.0
vllm:time_to_first_token_seconds_bucket{le="640.0",model_name="smol"} 2.0
vllm:time_to_first_token_seconds_bucket{le="2560.0",model_name="smol"} 2.0
vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="smol"} 2.0
vllm:time_to_first_token_seconds_count{model_name="smol"} 2.0
vllm:time_to_first_token_seconds_sum{model_name="smol"} 2.5
# HELP vllm:time_per_output_token_seconds Histogram of time per output token in seconds.DEPRECATED: Use vllm:inter_token_latency_seconds instead.
# TYPE vllm:time_per_output_token_seconds histogram
vllm:time_per_output_token_seconds_bucket{le="0.01",model_name="smol"} 0.0
vllm:time_per_output_token_seconds_bucket{le="0.025",model_name="smol"} 0.0
vllm:time_per_output_token_seconds_bucket{le="0.05",model_name="smol"} 0.0
vllm:time_per_output_token_seconds_bucket{le="0.075",model_name="smol"} 1.0
vllm:time_per_output_token_seconds_bucket{le="0.1",model_name="smol"} 1.0
vllm:time_per_output_token_seconds_bucket{le="0.15",model_name="smol"} 1.0
vllm:time_per_output_token_seconds_bucket{le="0.2",model_name="smol"} 2.0
vllm:time_per_output_token_seconds_bucket{le="0.3",model_name="smol"} 2.0
vllm:time_per_output_token_seconds_bucket{le="0.4",model_name="smol"} 2.0
vllm:time_per_output_token_seconds_bucket{le="0.5",model_name="smol"} 2.0
vllm:time_per_output_token_seconds_bucket{le="0.75",model_name="smol"} 2.0
vllm:time_per_output_token_seconds_bucket{le="1.0",model_name="smol"} 2.0
vllm:time_per_output_token_seconds_bucket{le="2.5",model_name="smol"} 2.0
vllm:time_per_output_token_seconds_bucket{le="5.0",model_name="smol"} 2.0
vllm:time_per_output_token_seconds_bucket{le="7.5",model_name="smol"} 2.0
vllm:time_per_output_token_seconds_bucket{le="10.0",model_name="smol"} 2.0
vllm:time_per_output_token_seconds_bucket{le="20.0",model_name="smol"} 2.0
vllm:time_per_output_token_seconds_bucket{le="40.0",model_name="smol"} 2.0
vllm:time_per_output_token_seconds_bucket{le="80.0",model_name="smol"} 2.0
vllm:time_per_output_token_seconds_bucket{le="+Inf",model_name="smol"} 2.0
vllm:time_per_output_token_seconds_count{model_name="smol"} 2.0
vllm:time_per_output_token_seconds_sum{model_name="smol"} 0.25
# HELP vllm:inter_token_latency_seconds Histogram of inter-token latency in seconds.
# TYPE vllm:inter_token_latency_seconds histogram
vllm:inter_token_latency_seconds_bucket{le="0.01",model_name="smol"} 0.0
vllm:inter_token_latency_seconds_bucket{le="0.025",model_name="smol"} 0.0
vllm:inter_token_latency_seconds_bucket{le="0.05",model_name="smol"} 0.0
vllm:inter_token_latency_seconds_bucket{le="0.075",model_name="smol"} 1.0
vllm:inter_token_latency_seconds_bucket{le="0.1",model_name="smol"} 1.0
vllm:inter_token_latency_seconds_bucket{le="0.15",model_name="smol"} 1.0
vllm:inter_token_latency_seconds_bucket{le="0.2",model_name="smol"} 2.0
vllm:inter_token_latency_seconds_bucket{le="0.3",model_name="smol"} 2.0
vllm:inter_token_latency_seconds_bucket{le="0.4",model_name="smol"} 2.0
vllm:inter_token_latency_seconds_bucket{le="0.5",model_name="smol"} 2.0
vllm:inter_token_latency_seconds_bucket{le="0.75",model_name="smol"} 2.0
vllm:inter_token_latency_seconds_bucket{le="1.0",model_name="smol"} 2.0
vllm:inter_token_latency_seconds_bucket{le="2.5",model_name="smol"} 2.0
vllm:inter_token_latency_seconds_bucket{le="5.0",model_name="smol"} 2.0
vllm:inter_token_latency_seconds_bucket{le="7.5",model_name="smol"} 2.0
vllm:inter_token_latency_seconds_bucket{le="10.0",model_name="smol"} 2.0
vllm:inter_token_latency_seconds_bucket{le="20.0",model_name="smol"} 2.0
vllm:inter_token_latency_seconds_bucket{le="40.0",model_name="smol"} 2.0
vllm:inter_token_latency_seconds_bucket{le="80.0",model_name="smol"} 2.0
vllm:inter_token_latency_seconds_bucket{le="+Inf",model_name="smol"} 2.0
vllm:inter_token_latency_seconds_count{model_name="smol"} 2.0
vllm:inter_token_latency_seconds_sum{model_name="smol"} 0.25
# HELP vllm:e2e_request_latency_seconds Histogram of e2e request latency in seconds.
# TYPE vllm:e2e_request_latency_seconds histogram
vllm:e2e_request_latency_seconds_bucket{le="0.3",model_name="smol"} 1.0
vllm:e2e_request_latency_seconds_bucket{le="0.5",model_name="smol"} 1.0
vllm:e2e_request_latency_seconds_bucket{le="0.8",model_name="smol"} 2.0
vllm:e2e_request_latency_seconds_bucket{le="1.0",model_name="smol"} 2.0
vllm:e2e_request_latency_seconds_bucket{le="1.5",model_name="smol"} 2.0
vllm:e2e_request_latency_seconds_bucket{le="2.0",model_name="smol"} 2.0
vllm:e2e_request_latency_seconds_bucket{le="2.5",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="5.0",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="10.0",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="15.0",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="20.0",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="30.0",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="40.0",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="50.0",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="60.0",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="120.0",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="240.0",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="480.0",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="960.0",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="1920.0",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="7680.0",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_bucket{le="+Inf",model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_count{model_name="smol"} 3.0
vllm:e2e_request_latency_seconds_sum{model_name="smol"} 3.375
# HELP vllm:request_queue_time_seconds Histogram of time spent in WAITING phase for request.
# TYPE vllm:request_queue_time_seconds histogram
vllm:request_queue_time_seconds_bucket{le="0.3",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="0.5",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="0.8",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="1.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="1.5",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="2.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="2.5",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="5.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="10.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="15.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="20.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="30.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="40.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="50.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="60.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="120.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="240.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="480.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="960.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="1920.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="7680.0",model_name="smol"} 2.0
vllm:request_queue_time_seconds_bucket{le="+Inf",model_name="smol"} 2.0
vllm:request_queue_time_seconds_count{model_name="smol"} 2.0
vllm:request_queue_time_seconds_sum{model_name="smol"} 0.25
"""#
}
