import Foundation

/// The printed table and the JSON of a serving benchmark, in vLLM's layout and key names.
struct BenchServeReport {
    /// The computed figures.
    var metrics: BenchServeMetrics
    /// Per-request results, in prompt order.
    var results: [BenchServeRequestResult]
    /// Run settings echoed into the JSON (`model_id`, `num_prompts`, ...).
    var settings: [String: Any]
    /// The `--max-concurrency` value, if any.
    var maxConcurrency: Int?
    /// The `--request-rate` value.
    var requestRate: Double

    /// The first failure's message, if any request failed.
    var firstError: String? { results.first { !$0.success }?.error }

    /// vLLM's result table.
    var text: String {
        var lines: [String] = []
        func header(_ title: String, fill: Character) {
            let padding = max(0, 50 - title.count)
            lines.append(String(repeating: fill, count: padding / 2) + title + String(repeating: fill, count: padding - padding / 2))
        }
        func row(_ label: String, _ value: String) {
            lines.append(label.padding(toLength: max(40, label.count), withPad: " ", startingAt: 0) + " " + value)
        }
        func row(_ label: String, _ value: Double) { row(label, String(format: "%.2f", value)) }
        header(" Serving Benchmark Result ", fill: "=")
        row("Successful requests:", String(metrics.completed))
        row("Failed requests:", String(metrics.failed))
        if let maxConcurrency { row("Maximum request concurrency:", String(maxConcurrency)) }
        if requestRate.isFinite { row("Request rate configured (RPS):", requestRate) }
        row("Benchmark duration (s):", metrics.duration)
        row("Total input tokens:", String(metrics.totalInputTokens))
        row("Total generated tokens:", String(metrics.totalOutputTokens))
        row("Request throughput (req/s):", metrics.requestThroughput)
        row("Output token throughput (tok/s):", metrics.outputThroughput)
        row("Total Token throughput (tok/s):", metrics.totalTokenThroughput)
        for (title, name, stats) in sections {
            header(title, fill: "-")
            row("Mean \(name) (ms):", stats.mean)
            row("Median \(name) (ms):", stats.median)
            row("P99 \(name) (ms):", stats.p99)
        }
        header("", fill: "=")
        return lines.joined(separator: "\n")
    }

    private var sections: [(String, String, BenchServeStatistics)] {
        [("Time to First Token", "TTFT", metrics.ttft),
         ("Time per Output Token (excl. 1st token)", "TPOT", metrics.tpot),
         ("Inter-token Latency", "ITL", metrics.itl),
         ("End-to-end Latency", "E2EL", metrics.e2el)]
    }

    /// vLLM's result JSON: summary figures, `mean_ttft_ms`-style statistics and per-request arrays.
    var json: [String: Any] {
        var object = settings
        object["duration"] = metrics.duration
        object["completed"] = metrics.completed
        object["failed"] = metrics.failed
        object["total_input_tokens"] = metrics.totalInputTokens
        object["total_output_tokens"] = metrics.totalOutputTokens
        object["request_throughput"] = metrics.requestThroughput
        object["output_throughput"] = metrics.outputThroughput
        object["total_token_throughput"] = metrics.totalTokenThroughput
        object["max_concurrency"] = maxConcurrency.map { $0 as Any } ?? NSNull()
        object["request_rate"] = requestRate.isFinite ? requestRate as Any : "inf"
        for (key, stats) in [("ttft", metrics.ttft), ("tpot", metrics.tpot), ("itl", metrics.itl), ("e2el", metrics.e2el)] {
            object["mean_\(key)_ms"] = stats.mean
            object["median_\(key)_ms"] = stats.median
            object["std_\(key)_ms"] = stats.std
            object["p99_\(key)_ms"] = stats.p99
        }
        object["input_lens"] = results.map(\.promptLen)
        object["output_lens"] = results.map(\.outputTokens)
        object["ttfts"] = results.map(\.ttft)
        object["itls"] = results.map(\.itls)
        object["generated_texts"] = results.map(\.generatedText)
        object["errors"] = results.map { $0.error ?? "" }
        return object
    }
}
