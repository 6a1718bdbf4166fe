import ArgumentParser
import Foundation
import Swiftlet

struct BenchLatencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "One request: prefill tokens/s for --input-len prompt tokens, decode tokens/s for --output-len tokens, peak memory.")

    @OptionGroup var load: ModelLoadOptions

    @Option(name: .long, help: "Prompt tokens (random ids from a fixed seed).")
    var inputLen = 512

    @Option(name: .long, help: "Generated tokens (greedy, EOS ignored).")
    var outputLen = 128

    @Option(name: .long, help: "Timed runs after one warm-up run; the median is reported.")
    var numIters = 3

    @Option(name: .long, help: "Write the figures as JSON to this file.")
    var outputJson: String?

    func run() throws {
        try reportingErrors {
            guard inputLen >= 1, outputLen >= 1, numIters >= 1 else {
                throw ValidationError("--input-len, --output-len and --num-iters must be at least 1")
            }
            var options = load
            if options.maxModelLen == nil { options.maxModelLen = inputLen + outputLen }
            let generator = try options.makeGenerator()
            var random = RandomGenerator(seed: 0)
            let vocabSize = generator.model.config.vocabSize
            // Ordinary tokens only: ids past the first 256 avoid the special and byte tokens.
            let prompt = (0..<inputLen).map { _ in 256 + Int(random.next() % UInt64(vocabSize - 256)) }
            let params = SamplingParams(temperature: 0, maxTokens: outputLen, ignoreEOS: true)
            var prefillRates: [Double] = [], decodeRates: [Double] = [], latencies: [Double] = []
            for iteration in 0...numIters {
                let start = ContinuousClock.now
                let output = try generator.generate(prompt: prompt, params: params)
                let total = (ContinuousClock.now - start).secondsValue
                guard iteration > 0 else { continue }
                prefillRates.append(Double(inputLen) / output.timeToFirstToken)
                if outputLen > 1 { decodeRates.append(Double(output.outputTokenIDs.count - 1) / output.decodeSeconds) }
                latencies.append(total)
            }
            let peak = peakResidentBytes()
            let figures: [String: Any] = [
                "model": load.model, "input_len": inputLen, "output_len": outputLen, "threads": generator.pool.numThreads,
                "num_iters": numIters, "prefill_tokens_per_s": median(prefillRates),
                "decode_tokens_per_s": decodeRates.isEmpty ? NSNull() : median(decodeRates) as Any,
                "avg_latency_s": latencies.reduce(0, +) / Double(latencies.count), "latencies_s": latencies,
                "peak_rss_bytes": peak, "kernel_isa": KernelISA.current.rawValue,
            ]
            print("model:          \(load.model) (\(generator.pool.numThreads) threads, kernels \(KernelISA.current.rawValue))")
            print("request:        \(inputLen) prompt tokens, \(outputLen) output tokens, median of \(numIters)")
            print(String(format: "prefill:        %.1f tokens/s", median(prefillRates)))
            if !decodeRates.isEmpty { print(String(format: "decode:         %.1f tokens/s", median(decodeRates))) }
            print(String(format: "latency:        %.3f s per request", latencies.reduce(0, +) / Double(latencies.count)))
            print(String(format: "peak memory:    %.1f MiB resident", Double(peak) / 1_048_576))
            if let outputJson {
                let data = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys, .prettyPrinted])
                try data.write(to: URL(fileURLWithPath: outputJson))
            }
        }
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
