import Foundation

/// The printed table and the JSON of a serving benchmark, in vLLM's layout and key names.
struct BenchServeReport {
    /// The computed figures.
    var metrics: BenchServeMetrics
    /// Per-request results, in prompt order.
    var results: [BenchServeRequestResult]
    /// Run settings echoed into the JSON (`model_id`, `num_prompts`, ...).
    var settings: BenchServeSettings
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

}

extension BenchServeReport: Encodable {
    /// vLLM's result JSON: the settings, summary figures, `mean_ttft_ms`-style statistics and
    /// per-request arrays (`request_rate` is "inf" for an unpaced run, `max_concurrency` null when unset).
    func encode(to encoder: any Encoder) throws {
        try settings.encode(to: encoder)
        var container = encoder.container(keyedBy: FigureKey.self)
        func put<T: Encodable>(_ key: String, _ value: T) throws { try container.encode(value, forKey: FigureKey(key)) }
        try put("duration", metrics.duration)
        try put("completed", metrics.completed)
        try put("failed", metrics.failed)
        try put("total_input_tokens", metrics.totalInputTokens)
        try put("total_output_tokens", metrics.totalOutputTokens)
        try put("request_throughput", metrics.requestThroughput)
        try put("output_throughput", metrics.outputThroughput)
        try put("total_token_throughput", metrics.totalTokenThroughput)
        try put("max_concurrency", maxConcurrency)
        if requestRate.isFinite { try put("request_rate", requestRate) } else { try put("request_rate", "inf") }
        for (key, stats) in [("ttft", metrics.ttft), ("tpot", metrics.tpot), ("itl", metrics.itl), ("e2el", metrics.e2el)] {
            try put("mean_\(key)_ms", stats.mean)
            try put("median_\(key)_ms", stats.median)
            try put("std_\(key)_ms", stats.std)
            try put("p99_\(key)_ms", stats.p99)
        }
        try put("input_lens", results.map(\.promptLen))
        try put("output_lens", results.map(\.outputTokens))
        try put("ttfts", results.map(\.ttft))
        try put("itls", results.map(\.itls))
        try put("generated_texts", results.map(\.generatedText))
        try put("errors", results.map { $0.error ?? "" })
    }
}

/// The run settings `bench serve` echoes into its JSON, with vLLM's key names.
struct BenchServeSettings: Encodable {
    var date = ""
    var backend = "openai"
    var baseUrl = ""
    var endpoint = ""
    var modelId = ""
    var tokenizerId = ""
    var numPrompts = 0
    var inputLen = 0
    var outputLen = 0
    var sharedPrefixLen = 0
    var seed: UInt64 = 0
    var temperature = 0.0
}
