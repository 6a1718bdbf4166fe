import Testing
@testable import Kernels

/// Join timing counts the loops that ran while it was on, and only those.
@Suite struct WorkerPoolJoinTimingTests {
    @Test func countsTimedJoinsOnlyWhileOn() {
        let pool = WorkerPool(numThreads: 2)
        let out = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2)  // [worker]
        defer { out.deallocate() }
        out.initialize(repeating: 0)
        pool.parallelFor(2) { range, worker in out[worker] += range.count }
        #expect(pool.numTimedJoins == 0)
        #expect(pool.joinWaitNanoseconds == 0)
        pool.setJoinTiming(true)
        for _ in 0..<3 { pool.parallelFor(2) { range, worker in out[worker] += range.count } }
        #expect(pool.numTimedJoins == 3)
        pool.setJoinTiming(false)
        let waited = pool.joinWaitNanoseconds
        pool.parallelFor(2) { range, worker in out[worker] += range.count }
        #expect(pool.numTimedJoins == 3)
        #expect(pool.joinWaitNanoseconds == waited)
        #expect(out[0] == 5 && out[1] == 5)
    }

    /// A one-thread pool runs loops inline: nothing to join.
    @Test func singleThreadPoolHasNoJoins() {
        let pool = WorkerPool(numThreads: 1)
        pool.setJoinTiming(true)
        var total = 0
        pool.parallelFor(10) { range, _ in total += range.count }
        #expect(total == 10)
        #expect(pool.numTimedJoins == 0)
        #expect(pool.joinWaitNanoseconds == 0)
    }
}
