import Testing
@testable import Engine

/// vLLM's spec_decode counters in the Prometheus text and the acceptance in the stats log line;
/// absent when speculative decoding is off.
struct SpecDecodeMetricsTests {
    static func stats(_ spec: SpecDecodingStats) -> SchedulerStats {
        var stats = EngineMetricsTests.stats(running: 1, waiting: 0, kv: 0, queries: 0, hits: 0, preemptions: 0, prompt: 0, generation: 0)
        stats.specDecoding = spec
        return stats
    }

    @Test func countersAndLogLine() {
        var spec = SpecDecodingStats(numSpeculativeTokens: 3)
        spec.record(numDrafts: 3, numAccepted: 2)
        spec.record(numDrafts: 3, numAccepted: 0)
        spec.record(numDrafts: 2, numAccepted: 2)
        let metrics = EngineMetrics(modelName: "m")
        metrics.update(stats: Self.stats(spec))
        let text = metrics.render()
        for line in ["vllm:spec_decode_num_drafts_total{model_name=\"m\"} 3.0",
                     "vllm:spec_decode_num_draft_tokens_total{model_name=\"m\"} 8.0",
                     "vllm:spec_decode_num_accepted_tokens_total{model_name=\"m\"} 4.0",
                     "vllm:spec_decode_num_accepted_tokens_per_pos_total{model_name=\"m\",position=\"0\"} 2.0",
                     "vllm:spec_decode_num_accepted_tokens_per_pos_total{model_name=\"m\",position=\"1\"} 2.0",
                     "vllm:spec_decode_num_accepted_tokens_per_pos_total{model_name=\"m\",position=\"2\"} 0.0"] {
            #expect(text.contains(line + "\n"), "\(line)")
        }
        let line = EngineMetrics.logLine(previous: Self.stats(SpecDecodingStats(numSpeculativeTokens: 3)), now: Self.stats(spec), interval: 1)
        #expect(line.hasSuffix(", Draft acceptance rate: 50.0%, Mean acceptance length: 2.33, Drafted: 8 tokens, Accepted: 4 tokens"), "\(line)")
        #expect(spec.acceptanceRate == 0.5)

        let off = EngineMetrics(modelName: "m")
        off.update(stats: Self.stats(SpecDecodingStats()))
        #expect(!off.render().contains("spec_decode"))
        #expect(!EngineMetrics.logLine(previous: Self.stats(SpecDecodingStats()), now: Self.stats(SpecDecodingStats()), interval: 1).contains("Draft"))
    }
}
