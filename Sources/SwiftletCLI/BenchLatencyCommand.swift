import ArgumentParser
import Foundation
import Swiftlet

struct BenchLatencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "Latency of one batch (like `vllm bench latency`): prefill and decode rates, peak memory, the decode roofline; --profile splits decode steps by op.",
        discussion: """
            --batch-size requests of --input-len tokens run together through the continuous-batching \
            engine (as `serve`, `generate` and `LLM` run it); prefill is the time until every request \
            has its first token, and decode figures come from the steps where all of them decode.
            """)

    @OptionGroup var load: ModelLoadOptions

    @Option(name: .long, help: "Prompt tokens (random ids from a fixed seed).")
    var inputLen = 512

    @Option(name: .long, help: "Generated tokens (greedy, EOS ignored).")
    var outputLen = 128

    @Option(name: .long, help: "Requests decoded together (identical lengths, random prompts).")
    var batchSize = 1

    @Flag(name: .long, help: "Time each op kind of the decode steps (matmuls, attention, norms, ..., sampling, scheduling, pool waits).")
    var profile = false

    @Flag(name: .long, inversion: .prefixedNo, help: "Measure the stream-read bandwidth and peak rates of the same threads and report the decode roofline.")
    var roofline = true

    @Option(name: .long, help: "Timed runs after one warm-up run; the median is reported.")
    var numIters = 3

    @Option(name: .long, help: "Write the figures as JSON to this file.")
    var outputJson: String?

    func run() throws {
        try reportingErrors {
            guard inputLen >= 1, outputLen >= 1, numIters >= 1, batchSize >= 1 else {
                throw ValidationError("--input-len, --output-len, --batch-size and --num-iters must be at least 1")
            }
            try runEngine()
        }
    }

    /// `batchSize` requests through the engine.
    private func runEngine() throws {
        var config = EngineConfig(maxModelLen: load.maxModelLen ?? inputLen + outputLen, maxNumSeqs: batchSize,
                                  maxNumBatchedTokens: load.maxNumBatchedTokens, numThreads: load.threads)
        try load.apply(to: &config)
        let core = try EngineCore.load(path: load.model, config: config)
        if let summary = core.startupSummary { printError(summary) }
        guard let runner = core.executor as? ModelRunner else {
            throw ValidationError("the engine does not run the model in process")
        }
        let bench = BenchProfileRunner(core: core, runner: runner, batchSize: batchSize, inputLen: inputLen, outputLen: outputLen)
        let profiler = profile ? ForwardProfiler(pool: runner.pool) : nil
        var runs: [BenchProfileRunner.Run] = []
        for iteration in 0...numIters {
            runner.model.profiler = iteration > 0 ? profiler : nil  // the warm-up run is not profiled
            let run = try bench.run(iteration: iteration, profiler: iteration > 0 ? profiler : nil)
            if iteration > 0 { runs.append(run) }
        }
        runner.model.profiler = nil
        let stepSeconds = runs.flatMap(\.decodeStepSeconds)
        let meanStep = stepSeconds.isEmpty ? 0 : stepSeconds.reduce(0, +) / Double(stepSeconds.count)
        // nil without decode steps (--output-len 1): no decode figure, as no token was decoded.
        let decodeRate: Double? = meanStep > 0 ? Double(batchSize) / meanStep : nil
        let prefillRate = median(runs.map { Double(batchSize * inputLen) / $0.prefillSeconds })
        let latencies = runs.map(\.latency)
        let peak = peakResidentBytes()
        var figures = Figures(
            model: load.model, inputLen: inputLen, outputLen: outputLen, threads: runner.pool.numThreads, batchSize: batchSize,
            numIters: numIters, prefillTokensPerS: prefillRate, decodeTokensPerS: decodeRate,
            decodeStepMs: decodeRate == nil ? nil : 1000 * meanStep,
            numDecodeSteps: stepSeconds.count, avgLatencyS: latencies.reduce(0, +) / Double(latencies.count),
            latenciesS: latencies, peakRssBytes: peak, kernelIsa: KernelISA.current.rawValue)
        print("model:          \(load.model) (\(runner.pool.numThreads) threads, kernels \(KernelISA.current.rawValue))")
        print("batch:          \(batchSize) x (\(inputLen) prompt + \(outputLen) output tokens), \(numIters) timed runs (engine)")
        print(String(format: "prefill:        %.1f tokens/s (until every request had its first token, median)", prefillRate))
        if let decodeRate {
            print(String(format: "decode:         %.1f tokens/s (%.3f ms per step of %d, mean of %d full steps)",
                         decodeRate, 1000 * meanStep, batchSize, stepSeconds.count))
        }
        print(String(format: "latency:        %.3f s per batch", latencies.reduce(0, +) / Double(latencies.count)))
        print(String(format: "peak memory:    %.1f MiB resident", Double(peak) / 1_048_576))
        if let profiler {
            let table = BenchProfileTable(profiler: profiler, batchSize: batchSize, measuredStepSeconds: meanStep)
            table.lines.forEach { print($0) }
            figures.profile = table.figures
        }
        if roofline, let decodeRate {
            var report = rooflineReport(weights: runner.model.weights, pool: runner.pool, tokensPerSecond: decodeRate)
            let kvTokens = runs.flatMap(\.decodeStepKVTokens)
            if !kvTokens.isEmpty {
                let meanTokens = Double(kvTokens.reduce(0, +)) / Double(kvTokens.count)
                report.kvBytesPerStep = meanTokens * Double(ModelRunner.kvBytesPerToken(runner.model.config, dtype: runner.cache.dtype))
            }
            report.lines.forEach { print($0) }
            figures.roofline = report.figures
        }
        try writeBenchFigures(figures, to: outputJson)
    }

    /// What `--output-json` writes.
    struct Figures: Encodable {
        var model: String
        var inputLen: Int
        var outputLen: Int
        var threads: Int
        var batchSize: Int
        var path = "engine"
        var numIters: Int
        var prefillTokensPerS: Double
        var decodeTokensPerS: Double?
        var decodeStepMs: Double?
        var numDecodeSteps: Int
        var avgLatencyS: Double
        var latenciesS: [Double]
        var peakRssBytes: Int
        var kernelIsa: String
        var profile: BenchProfileTable.Figures?
        var roofline: RooflineReport.Figures?
    }

    /// Measures the roofs on `pool` (256 MiB stream buffer, best of 3) and relates the decode rate to them.
    private func rooflineReport(weights: ModelWeights, pool: WorkerPool, tokensPerSecond: Double) -> RooflineReport {
        let roofs = MachinePeakRates.measure(pool: pool, streamBytes: 256 << 20, passes: 3)
        return RooflineReport(traffic: WeightTraffic(weights: weights), batchSize: batchSize,
                              decodeTokensPerSecond: tokensPerSecond, roofs: roofs)
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// The process's peak resident set size in bytes (getrusage; Linux reports KiB, macOS bytes).
func peakResidentBytes() -> Int {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Int(usage.ru_maxrss)
    #endif
}
