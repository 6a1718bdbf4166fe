import Testing
@testable import Engine

/// `record(_:at:)` from streamed outputs and concurrent use.
struct EngineMetricsRecordingTests {
    static func line(_ metrics: EngineMetrics, _ prefix: String) -> String? {
        metrics.render().split(separator: "\n").first { $0.hasPrefix(prefix) }.map(String.init)
    }

    @Test func streamedOutputsRecordTokensAndFinish() {
        let metrics = EngineMetrics(modelName: "m")
        metrics.requestArrived(id: "r", at: 10)
        var output = RequestOutput(requestID: "r", promptTokenIDs: [1, 2, 3], n: 2)
        output.outputs[0].deltaTokenIDs = [7]
        output.outputs[0].tokenIDs = [7]
        output.outputs[1].deltaTokenIDs = [8]
        output.outputs[1].tokenIDs = [8]
        metrics.record(output, at: 10.5)
        output.outputs[0].deltaTokenIDs = [9]
        output.outputs[0].tokenIDs = [7, 9]
        output.outputs[0].finishReason = .length
        output.outputs[1].deltaTokenIDs = []
        output.outputs[1].finishReason = .stop
        metrics.record(output, at: 10.75)
        #expect(metrics.numTrackedRequests == 0)
        #expect(Self.line(metrics, "vllm:time_to_first_token_seconds_sum") == #"vllm:time_to_first_token_seconds_sum{model_name="m"} 0.5"#)
        #expect(Self.line(metrics, "vllm:inter_token_latency_seconds_sum") == #"vllm:inter_token_latency_seconds_sum{model_name="m"} 0.25"#)
        #expect(Self.line(metrics, "vllm:e2e_request_latency_seconds_sum") == #"vllm:e2e_request_latency_seconds_sum{model_name="m"} 0.75"#)
        #expect(Self.line(metrics, #"vllm:request_success_total{finished_reason="length""#)
            == #"vllm:request_success_total{finished_reason="length",model_name="m"} 1.0"#)
        #expect(Self.line(metrics, "vllm:request_generation_tokens_sum") == #"vllm:request_generation_tokens_sum{model_name="m"} 3.0"#)
        #expect(Self.line(metrics, "vllm:request_prompt_tokens_sum") == #"vllm:request_prompt_tokens_sum{model_name="m"} 3.0"#)
        #expect(Self.line(metrics, "vllm:request_queue_time_seconds_count") == #"vllm:request_queue_time_seconds_count{model_name="m"} 0.0"#)
    }

    @Test func concurrentRequestsAreAllCounted() async {
        let metrics = EngineMetrics(modelName: "m")
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let id = "req-\(index)"
                    metrics.requestArrived(id: id, at: 0)
                    metrics.requestScheduled(id: id, at: 0)
                    metrics.tokensGenerated(id: id, count: 1, at: 1)
                    metrics.tokensGenerated(id: id, count: 1, at: 1.5)
                    metrics.requestFinished(id: id, reason: .stop, promptTokens: 4, generationTokens: 2, at: 2)
                }
            }
        }
        #expect(metrics.numTrackedRequests == 0)
        #expect(Self.line(metrics, #"vllm:request_success_total{finished_reason="stop""#)
            == #"vllm:request_success_total{finished_reason="stop",model_name="m"} 200.0"#)
        #expect(Self.line(metrics, "vllm:inter_token_latency_seconds_sum") == #"vllm:inter_token_latency_seconds_sum{model_name="m"} 100.0"#)
        #expect(Self.line(metrics, "vllm:e2e_request_latency_seconds_sum") == #"vllm:e2e_request_latency_seconds_sum{model_name="m"} 400.0"#)
    }
}
