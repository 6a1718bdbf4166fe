import Foundation
import Testing
@testable import SwiftletCLI

/// Percentiles and the vLLM-style aggregate figures on hand-computed inputs.
@Suite struct BenchServeMetricsTests {
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }

    @Test func percentilesInterpolateLikeNumPy() {
        let sorted: [Double] = [1, 2, 3, 4]
        #expect(BenchServeStatistics.percentile(sorted: sorted, 50) == 2.5)
        #expect(close(BenchServeStatistics.percentile(sorted: sorted, 99), 3.97))
        #expect(BenchServeStatistics.percentile(sorted: sorted, 0) == 1)
        #expect(BenchServeStatistics.percentile(sorted: sorted, 100) == 4)
        #expect(BenchServeStatistics.percentile(sorted: [7], 99) == 7)
        #expect(BenchServeStatistics.percentile(sorted: [], 50) == 0)
        let stats = BenchServeStatistics([4, 1, 3, 2])
        #expect(stats.mean == 2.5)
        #expect(stats.median == 2.5)
        #expect(close(stats.std, 1.25.squareRoot()))
        #expect(close(stats.p99, 3.97))
    }

    @Test func metricsCountOnlySuccessfulRequests() {
        let a = BenchServeRequestResult(success: true, promptLen: 10, outputTokens: 5, ttft: 0.1,
                                        itls: [0.1, 0.1, 0.1, 0.1], latency: 0.5)
        let b = BenchServeRequestResult(success: true, promptLen: 12, outputTokens: 3, ttft: 0.2,
                                        itls: [0.2, 0.1], latency: 0.5)
        let c = BenchServeRequestResult(success: false, error: "HTTP 500: x", promptLen: 10, outputTokens: 0)
        let single = BenchServeRequestResult(success: true, promptLen: 6, outputTokens: 1, ttft: 0.3, latency: 0.3)
        let metrics = BenchServeMetrics(results: [a, b, c, single], duration: 2)
        #expect(metrics.completed == 3)
        #expect(metrics.failed == 1)
        #expect(metrics.totalInputTokens == 28)
        #expect(metrics.totalOutputTokens == 9)
        #expect(metrics.requestThroughput == 1.5)
        #expect(metrics.outputThroughput == 4.5)
        #expect(metrics.totalTokenThroughput == 18.5)
        // TTFT 100, 200, 300 ms.
        #expect(close(metrics.ttft.mean, 200))
        #expect(close(metrics.ttft.median, 200))
        #expect(close(metrics.ttft.p99, 298))
        // TPOT: (0.5 − 0.1) / 4 = 100 ms and (0.5 − 0.2) / 2 = 150 ms; the 1-token request has none.
        #expect(close(metrics.tpot.mean, 125))
        #expect(close(metrics.tpot.p99, 149.5))
        // ITL pooled: 100 ×5 and 200.
        #expect(close(metrics.itl.mean, 700.0 / 6))
        #expect(close(metrics.itl.median, 100))
        #expect(close(metrics.itl.p99, 195))
        #expect(close(metrics.e2el.mean, 1300.0 / 3))
    }

    @Test func reportUsesVLLMKeys() throws {
        let a = BenchServeRequestResult(success: true, promptLen: 4, outputTokens: 2, ttft: 0.1, itls: [0.1],
                                        latency: 0.2, generatedText: "ab")
        let report = BenchServeReport(metrics: BenchServeMetrics(results: [a], duration: 1), results: [a],
                                      settings: BenchServeSettings(modelId: "m"), maxConcurrency: 4, requestRate: .infinity)
        let json = try #require(try JSONSerialization.jsonObject(with: benchFiguresJSON(report)) as? [String: Any])
        #expect(json["completed"] as? Int == 1)
        #expect(json["total_output_tokens"] as? Int == 2)
        #expect(json["output_throughput"] as? Double == 2)
        #expect(json["request_throughput"] as? Double == 1)
        #expect(json["max_concurrency"] as? Int == 4)
        #expect(json["request_rate"] as? String == "inf")
        #expect(json["model_id"] as? String == "m")
        #expect(json["generated_texts"] as? [String] == ["ab"])
        for key in ["mean_ttft_ms", "median_ttft_ms", "std_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "p99_itl_ms", "median_e2el_ms"] {
            #expect(json[key] is Double, "missing \(key)")
        }
        let text = report.text
        #expect(text.contains("Successful requests:                     1"))
        #expect(text.contains("Maximum request concurrency:             4"))
        #expect(text.contains("Output token throughput (tok/s):         2.00"))
        #expect(text.contains("Mean TPOT (ms):                          100.00"))
    }
}
