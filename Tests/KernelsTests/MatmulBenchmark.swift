import Foundation
import Testing
@_spi(Testing) import Kernels

/// Matmul throughput on SmolLM2-135M shapes (SWIFTLET_BENCH=1; SWIFTLET_BENCH_TYPE=q8_0 etc. picks
/// the weight type). Run: swift build -c release --build-tests -Xswiftc -enable-testing, then
/// SWIFTLET_BENCH=1 swift test -c release --skip-build --no-parallel --filter MatmulBenchmark.
/// Prints GFLOP/s (2 rows cols numTokens per call) and GB/s of weight bytes streamed.
struct MatmulBenchmark {
    @Test("Matmul GFLOP/s and weight GB/s, Q4_1 or SWIFTLET_BENCH_TYPE (SWIFTLET_BENCH=1)", .enabled(if: benchmarksEnabled))
    func smolLM2Shapes() {
        let env = ProcessInfo.processInfo.environment
        let type = env["SWIFTLET_BENCH_TYPE"].flatMap(WeightType.init(rawValue:)) ?? .q4_1
        let shapes = [(576, 576), (1536, 576), (576, 1536), (49152, 576)]
        let tokenCounts = [1, 16, 64, 512]
        var rng = SeededRandom(seed: 5)
        let maxCols = 1536
        let x = rng.floats(512 * maxCols)
        var y = [Float](repeating: 0, count: 512 * 49152)
        print("matmul \(type) on \(KernelISA.current)")
        for numThreads in [1, 2] {
            let pool = WorkerPool(numThreads: numThreads)
            for (rows, cols) in shapes {
                let bytes = randomWeightBytes(type, rows: rows, cols: cols, rng: &rng)
                bytes.withUnsafeBytes { raw in
                    let w = WeightMatrix(type: type, rows: rows, cols: cols, data: raw.baseAddress!)
                    for numTokens in tokenCounts {
                        let flops = 2.0 * Double(rows * cols * numTokens)
                        var reps = 0
                        var best = Double.infinity
                        let budget = DispatchTime.now().uptimeNanoseconds + 300_000_000
                        repeat {
                            let start = DispatchTime.now().uptimeNanoseconds
                            Kernels.matmul(w, x: x, numTokens: numTokens, y: &y, pool: pool)
                            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
                            reps += 1
                        } while reps < 3 || (DispatchTime.now().uptimeNanoseconds < budget && reps < 2000)
                        let line = String(format: "threads %d %5dx%-4d tokens %3d: %8.1f us  %7.1f GFLOP/s  %6.1f GB/s",
                                          numThreads, rows, cols, numTokens, best * 1e6, flops / best * 1e-9,
                                          Double(bytes.count) / best * 1e-9)
                        print(line)
                    }
                }
            }
        }
        #expect(y.contains { $0 != 0 })
    }
}
