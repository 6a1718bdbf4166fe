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
            guard bytes >= MemoryLayout<Float>.stride, iterations >= 1 else {
                throw ValidationError("--size and --iterations must be positive")
            }
            let pool = WorkerPool(numThreads: max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount))
            let read = MachinePeakRates.streamRead(pool: pool, bytes: bytes, passes: iterations)
            print("buffer:      \(read.bytes) bytes, \(pool.numThreads) threads, kernels \(KernelISA.current.rawValue)")
            print(String(format: "stream read: %.2f GB/s (best of %d, %.4f s per pass; checksum %.0f)",
                         read.gbPerSecond, iterations, read.bestSeconds, read.checksum))
            try writeBenchFigures(Figures(bytes: read.bytes, threads: pool.numThreads, gbPerS: read.gbPerSecond,
                                          seconds: read.bestSeconds, kernelIsa: KernelISA.current.rawValue), to: outputJson)
        }
    }

    /// What `--output-json` writes.
    struct Figures: Encodable {
        var bytes: Int
        var threads: Int
        var gbPerS: Double
        var seconds: Double
        var kernelIsa: String
    }
}
