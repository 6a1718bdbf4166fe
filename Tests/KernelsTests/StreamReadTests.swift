import Testing
@testable import Kernels

@Suite struct StreamReadTests {
    /// The streaming read (this machine's instruction set) equals its scalar twin exactly (same
    /// pieces, same partial sums) at 1 and 2 threads, for sizes that end mid-piece and mid-lane.
    @Test(arguments: [0, 1, 17, 1_048_576, 2_500_003])
    func streamSumEqualsItsTwin(count: Int) {
        var values = [Float](repeating: 0, count: max(count, 1))
        var state: UInt64 = 12345
        for i in 0..<count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            values[i] = Float(state >> 40) / Float(1 << 24) - 0.5
        }
        values.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let expected = Kernels.streamSumReference(base, count: count)
            for threads in [1, 2] {
                let pool = WorkerPool(numThreads: threads)
                #expect(Kernels.streamSum(base, count: count, pool: pool) == expected)
            }
            if count == 17 {
                let plain = (0..<17).reduce(Float(0)) { $0 + values[$1] }
                #expect(abs(expected - plain) < 1e-5)
            }
        }
    }
}
