import ArgumentParser
import Foundation
import Swiftlet

struct BenchMemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Streaming-read bandwidth of the cores the engine uses: the memory roofline of decode, which streams every weight once per step.")

    @Option(name: .long, help: "Buffer size, e.g. 1GiB (far larger than the caches).")
    var size = "1GiB"

    @Option(name: .long, help: "Worker threads (default: every core).")
    var threads: Int?

    @Option(name: .long, help: "Timed passes after one warm-up pass; the best is reported.")
    var iterations = 5

    @Option(name: .long, help: "Write the figures as JSON to this file.")
    var outputJson: String?

    func run() throws {
        try reportingErrors {
            let bytes = try ByteSize.parse(size)
            let count = bytes / MemoryLayout<Float>.stride
            guard count >= 1, iterations >= 1 else { throw ValidationError("--size and --iterations must be positive") }
            let pool = WorkerPool(numThreads: max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount))
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
            defer { buffer.deallocate() }
            buffer.initialize(repeating: 1, count: count)  // touch every page before timing
            var best = Double.infinity
            var sum: Float = 0
            for pass in 0...iterations {
                let start = ContinuousClock.now
                sum = Kernels.streamSum(buffer, count: count, pool: pool)
                let seconds = (ContinuousClock.now - start).secondsValue
                if pass > 0 { best = min(best, seconds) }
            }
            let gbPerSecond = Double(count * MemoryLayout<Float>.stride) / best / 1e9
            print("buffer:      \(count * MemoryLayout<Float>.stride) bytes, \(pool.numThreads) threads, kernels \(KernelISA.current.rawValue)")
            print(String(format: "stream read: %.2f GB/s (best of %d, %.4f s per pass; checksum %.0f)", gbPerSecond, iterations, best, sum))
            if let outputJson {
                let figures: [String: Any] = ["bytes": count * MemoryLayout<Float>.stride, "threads": pool.numThreads,
                                              "gb_per_s": gbPerSecond, "seconds": best, "kernel_isa": KernelISA.current.rawValue]
                try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys, .prettyPrinted])
                    .write(to: URL(fileURLWithPath: outputJson))
            }
        }
    }
}
