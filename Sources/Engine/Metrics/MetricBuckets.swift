/// vLLM's histogram bucket bounds (vllm/v1/metrics/loggers.py), so dashboards built for vLLM work.
enum MetricBuckets {
    /// `vllm:time_to_first_token_seconds`.
    static let timeToFirstToken: [Double] = [
        0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5,
        0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0,
    ]
    /// `vllm:inter_token_latency_seconds` and `vllm:time_per_output_token_seconds`.
    static let interTokenLatency: [Double] = [
        0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75,
        1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
    ]
    /// `vllm:e2e_request_latency_seconds` and `vllm:request_queue_time_seconds`.
    static let requestLatency: [Double] = [
        0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0,
        40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0,
    ]

    /// 1, 2, 5, 10, 20, 50, ... up to and including `maxValue` (vLLM's `build_1_2_5_buckets`),
    /// for the per-request token-count histograms.
    static func oneTwoFive(upTo maxValue: Int) -> [Double] {
        var bounds: [Double] = []
        var scale = 1
        while true {
            for mantissa in [1, 2, 5] {
                let (value, overflow) = mantissa.multipliedReportingOverflow(by: scale)
                if overflow || value > maxValue { return bounds }
                bounds.append(Double(value))
            }
            let (next, overflow) = scale.multipliedReportingOverflow(by: 10)
            if overflow { return bounds }
            scale = next
        }
    }
}
