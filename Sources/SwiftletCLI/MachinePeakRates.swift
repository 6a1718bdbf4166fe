import Foundation
import Swiftlet

/// The roofs of one thread count, measured on a worker pool: streaming-read bandwidth (the
/// decode roof for weights), peak f32 FMA rate and peak int8 dot-product rate (the arithmetic
/// roofs). Every probe runs on all workers of the pool at once; the best of `passes` counts.
struct MachinePeakRates {
    /// Threads of the pool measured.
    let numThreads: Int
    /// Streaming read of a buffer far larger than the caches, GB/s (1e9 bytes).
    let streamGBPerSecond: Double
    /// f32 multiply-adds, GFLOP/s (2 FLOPs per FMA).
    let fmaGFLOPPerSecond: Double
    /// int8 multiply-adds, GOP/s (2 ops per multiply-add; vpdpbusd does 4 per int32 lane).
    let dotInt8GOPPerSecond: Double

    /// Seconds one timed pass of an arithmetic probe aims for.
    static let targetPassSeconds = 0.1

    /// Measures every roof on `pool` with a stream buffer of `streamBytes`.
    static func measure(pool: WorkerPool, streamBytes: Int, passes: Int) -> MachinePeakRates {
        MachinePeakRates(numThreads: pool.numThreads,
                         streamGBPerSecond: streamRead(pool: pool, bytes: streamBytes, passes: passes).gbPerSecond,
                         fmaGFLOPPerSecond: fmaRate(pool: pool, passes: passes) / 1e9,
                         dotInt8GOPPerSecond: dotInt8Rate(pool: pool, passes: passes) / 1e9)
    }

    /// One streaming-read measurement: the bytes read per pass, the best pass and the sum read.
    struct StreamRead {
        let bytes: Int
        let bestSeconds: Double
        /// The sum of the buffer's floats (all 1), so the read cannot be optimised away.
        let checksum: Float
        var gbPerSecond: Double { Double(bytes) / bestSeconds / 1e9 }
    }

    /// Best streaming read of a float buffer of about `bytes` over `passes` (after a warm-up pass).
    static func streamRead(pool: WorkerPool, bytes: Int, passes: Int) -> StreamRead {
        let count = max(1, bytes / MemoryLayout<Float>.stride)
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)  // [count]
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 1, count: count)  // touch every page before timing
        var checksum: Float = 0
        let best = bestSeconds(passes: passes) { checksum = Kernels.streamSum(buffer, count: count, pool: pool) }
        return StreamRead(bytes: count * MemoryLayout<Float>.stride, bestSeconds: best, checksum: checksum)
    }

    /// Best aggregate f32 FLOP/s of every worker running the FMA probe at once.
    static func fmaRate(pool: WorkerPool, passes: Int) -> Double {
        let flopsPerIteration = Double(2 * Kernels.peakFMAShape().numLanes)
        return rate(pool: pool, passes: passes, opsPerIteration: flopsPerIteration) { iterations in
            // m slightly below 1 and c > 0: the lanes converge to c / (1 - m), never overflow.
            _ = Kernels.peakFMA(iterations: iterations, start: 1, multiplier: 0.999_999, addend: 1e-6)
        }
    }

    /// Best aggregate int8 OP/s of every worker running the dot-product probe at once.
    static func dotInt8Rate(pool: WorkerPool, passes: Int) -> Double {
        let opsPerIteration = Double(8 * Kernels.peakDotInt8Shape().numLanes)
        return rate(pool: pool, passes: passes, opsPerIteration: opsPerIteration) { iterations in
            _ = Kernels.peakDotInt8(iterations: iterations, a: 1, b: 1)  // int32 lanes wrap after 5e8 iterations
        }
    }

    /// Calibrates the iterations per worker to about `targetPassSeconds`, then returns the best
    /// rate over `passes`: numThreads * iterations * opsPerIteration / seconds.
    private static func rate(pool: WorkerPool, passes: Int, opsPerIteration: Double,
                             probe: @escaping (Int) -> Void) -> Double {
        func runAll(_ iterations: Int) {
            pool.parallelFor(pool.numThreads) { range, _ in
                for _ in range { probe(iterations) }
            }
        }
        var iterations = 1 << 14
        while true {
            let start = ContinuousClock.now
            runAll(iterations)
            let seconds = (ContinuousClock.now - start).secondsValue
            if seconds >= targetPassSeconds / 4 || iterations >= 1 << 28 {
                iterations = max(1, min(1 << 28, Int(Double(iterations) * targetPassSeconds / max(seconds, 1e-9))))
                break
            }
            iterations *= 4
        }
        let best = bestSeconds(passes: passes) { runAll(iterations) }
        return Double(pool.numThreads) * Double(iterations) * opsPerIteration / best
    }

    /// Shortest wall time of `passes` runs of `body` after one warm-up run.
    private static func bestSeconds(passes: Int, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for pass in 0...max(1, passes) {
            let start = ContinuousClock.now
            body()
            let seconds = (ContinuousClock.now - start).secondsValue
            if pass > 0 { best = min(best, seconds) }
        }
        return best
    }
}
