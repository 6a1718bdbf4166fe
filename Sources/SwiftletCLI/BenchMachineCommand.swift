import ArgumentParser
import Foundation
import Swiftlet

struct BenchMachineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "machine",
        abstract: "The machine's roofs per thread count: streaming-read GB/s, peak f32 FMA GFLOP/s, peak int8 dot GOP/s.")

    @Option(name: .long, help: "Stream buffer size, e.g. 512MiB (far larger than the caches).")
    var size = "512MiB"

    @Option(name: .long, help: "Most worker threads; every count from 1 up to it is measured (default: every core).")
    var threads: Int?

    @Option(name: .long, help: "Timed passes per probe after one warm-up pass; the best is reported.")
    var passes = 3

    @Option(name: .long, help: "Write the figures as JSON to this file.")
    var outputJson: String?

    func run() throws {
        try reportingErrors {
            let bytes = try ByteSize.parse(size)
            let maxThreads = threads ?? ProcessInfo.processInfo.activeProcessorCount
            guard bytes >= MemoryLayout<Float>.stride, passes >= 1, maxThreads >= 1 else {
                throw ValidationError("--size, --passes and --threads must be positive")
            }
            let fma = Kernels.peakFMAShape(), dot = Kernels.peakDotInt8Shape()
            let dotKind = Kernels.peakDotInt8UsesVNNI() ? "vpdpbusd (AVX-512 VNNI)"
                : KernelISA.current.clamped == .scalar ? "portable loops" : "vpmaddubsw+vpmaddwd (AVX2)"
            print("kernels \(KernelISA.current.rawValue); FMA probe \(fma.accumulators)x\(fma.lanes) f32 lanes; "
                  + "int8 probe \(dot.accumulators)x\(dot.lanes) int32 lanes, \(dotKind)")
            print("threads  stream read GB/s  f32 FMA GFLOP/s  int8 dot GOP/s")
            var rows: [Figures.Row] = []
            for count in 1...maxThreads {
                let pool = WorkerPool(numThreads: count)
                let rates = MachinePeakRates.measure(pool: pool, streamBytes: bytes, passes: passes)
                print(String(format: "%7d  %16.2f  %15.1f  %14.1f", rates.numThreads, rates.streamGBPerSecond,
                             rates.fmaGFLOPPerSecond, rates.dotInt8GOPPerSecond))
                rows.append(Figures.Row(threads: rates.numThreads, streamGbPerS: rates.streamGBPerSecond,
                                        fmaGflopPerS: rates.fmaGFLOPPerSecond, int8DotGopPerS: rates.dotInt8GOPPerSecond))
            }
            try writeBenchFigures(Figures(kernelIsa: KernelISA.current.rawValue, streamBytes: bytes,
                                          avx512Vnni: Kernels.hasAVX512VNNI, rows: rows), to: outputJson)
        }
    }

    /// What `--output-json` writes.
    struct Figures: Encodable {
        struct Row: Encodable {
            var threads: Int
            var streamGbPerS: Double
            var fmaGflopPerS: Double
            var int8DotGopPerS: Double
        }
        var kernelIsa: String
        var streamBytes: Int
        var avx512Vnni: Bool
        var rows: [Row]
    }
}
