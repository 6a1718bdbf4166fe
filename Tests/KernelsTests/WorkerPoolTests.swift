import Foundation
import Testing
import Kernels

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

    @Test("Fork/join overhead (SWIFTLET_BENCH=1)", .enabled(if: benchmarksEnabled))
    func overhead() {
        for numThreads in [1, 2] {
            let pool = WorkerPool(numThreads: numThreads)
            let sink = UnsafeMutablePointer<Int>.allocate(capacity: 64)
            sink.initialize(repeating: 0, count: 64)
            let calls = 200_000
            for _ in 0..<1000 { pool.parallelFor(2) { _, w in sink[w * 16] += 1 } }
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<calls { pool.parallelFor(2) { _, w in sink[w * 16] += 1 } }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
            print("WorkerPool numThreads=\(numThreads): \(String(format: "%.0f", elapsed / Double(calls))) ns per parallelFor")
            #expect(sink[0] > 0)
            sink.deallocate()
        }
    }
}
