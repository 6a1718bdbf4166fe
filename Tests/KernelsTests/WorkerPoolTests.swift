import Foundation
import Testing
@_spi(Testing) import Kernels

/// The pool's chunking is fixed by (count, numThreads) and covers every index once.
struct WorkerPoolTests {
    @Test("parallelFor chunks are contiguous, deterministic and cover 0..<count", arguments: [1, 2, 3])
    func chunking(numThreads: Int) {
        let pool = WorkerPool(numThreads: numThreads)
        #expect(pool.numThreads == numThreads)
        for count in [0, 1, 2, 5, 1000] {
            let seen = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
            seen.initialize(repeating: 0)
            let ranges = UnsafeMutableBufferPointer<Range<Int>>.allocate(capacity: numThreads)
            ranges.initialize(repeating: 0..<0)
            for _ in 0..<50 {
                pool.parallelFor(count) { range, worker in
                    ranges[worker] = range
                    for i in range { seen[i] += 1 }
                }
            }
            #expect(seen.prefix(count).allSatisfy { $0 == 50 }, "count \(count)")
            for w in 0..<numThreads where count * (w + 1) / numThreads > count * w / numThreads {
                #expect(ranges[w] == count * w / numThreads..<count * (w + 1) / numThreads)
            }
            seen.deallocate()
            ranges.deallocate()
        }
    }

    @Test("forEachPiece hands out every piece exactly once", arguments: [1, 2, 3])
    func pieces(numThreads: Int) {
        let pool = WorkerPool(numThreads: numThreads)
        for (count, grain) in [(0, 1), (1, 1), (7, 1), (100, 3), (1000, 0)] {
            let seen = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
            seen.initialize(repeating: 0)
            for _ in 0..<20 {
                pool.forEachPiece(count, grain: grain, scratchFloats: 16) { range, scratch in
                    scratch[0] = 1  // each worker's scratch is its own
                    for i in range { seen[i] += 1 }
                }
            }
            #expect(seen.prefix(count).allSatisfy { $0 == 20 }, "count \(count) grain \(grain)")
            seen.deallocate()
        }
    }

    @Test("Fork/join overhead (SWIFTLET_BENCH=1)", .enabled(if: benchmarksEnabled))
    func overhead() {
        // Empty bodies: the caller may run both chunks itself (pure synchronization cost).
        // 4 us bodies: time per loop minus the body time shows the cost with both threads working.
        let sink = UnsafeMutablePointer<Double>.allocate(capacity: 64)
        sink.initialize(repeating: 1, count: 64)
        defer { sink.deallocate() }
        func work(_ worker: Int, _ iterations: Int) {
            var v = sink[worker * 8]
            for _ in 0..<iterations { v = v * 0.999_999 + 1e-9 }
            sink[worker * 8] = v
        }
        // iterations for about 4 us of work (measured alone)
        var iterations = 1000
        let probeStart = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<1000 { work(0, iterations) }
        let perIteration = Double(DispatchTime.now().uptimeNanoseconds - probeStart) / 1e6
        iterations = max(1, Int(4000 / max(perIteration, 1e-3)))
        for numThreads in [1, 2] {
            let pool = WorkerPool(numThreads: numThreads)
            for (label, n) in [("empty", 0), ("4 us", iterations)] {
                let calls = n == 0 ? 200_000 : 20_000
                for _ in 0..<1000 { pool.parallelFor(2) { _, w in work(w, n) } }
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<calls { pool.parallelFor(2) { _, w in work(w, n) } }
                let perCall = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(calls)
                print("WorkerPool numThreads=\(numThreads) \(label) bodies: \(String(format: "%.0f", perCall)) ns per parallelFor(2)")
            }
        }
        #expect(sink[0] > 0)
    }
}
