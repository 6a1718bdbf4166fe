import Foundation
import Testing
@_spi(Testing) import Kernels

/// Paged attention time for one SmolLM2-135M layer (9 query heads, 3 KV heads, head dim 64,
/// block size 16): a 512-token prefill and one decode token at position 511 (SWIFTLET_BENCH=1).
struct AttentionBenchmark {
    @Test("Attention prefill and decode time (SWIFTLET_BENCH=1)", .enabled(if: benchmarksEnabled))
    func smolLM2Layer() {
        let numHeads = 9, numKVHeads = 3, headDim = 64, blockSize = 16, length = 512
        let numBlocks = length / blockSize
        var rng = SeededRandom(seed: 9)
        let kCache = rng.floats(numBlocks * blockSize * numKVHeads * headDim)
        let vCache = rng.floats(kCache.count)
        let q = rng.floats(length * numHeads * headDim)
        let table: [Int32] = (0..<numBlocks).map { Int32(numBlocks - 1 - $0) }
        var out = [Float](repeating: 0, count: q.count)
        for numThreads in [1, 2] {
            let pool = WorkerPool(numThreads: numThreads)
            for (label, positions) in [("prefill 512", Array(0..<Int32(length))), ("decode at 511", [Int32(511)])] {
                let seqs = [Int32](repeating: 0, count: positions.count)
                var best = Double.infinity
                for _ in 0..<(positions.count == 1 ? 200 : 5) {
                    let start = DispatchTime.now().uptimeNanoseconds
                    Kernels.pagedAttention(q: q, numTokens: positions.count, numHeads: numHeads, numKVHeads: numKVHeads,
                                           headDim: headDim, kCache: kCache, vCache: vCache, blockSize: blockSize,
                                           blockTables: table, maxBlocksPerSeq: numBlocks, tokenSeq: seqs,
                                           tokenPos: positions, scale: 0.125, out: &out, pool: pool)
                    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-3)
                }
                print(String(format: "attention %@ threads %d %@: %.1f us", "\(KernelISA.current)", numThreads, label, best))
            }
        }
        #expect(out.contains { $0 != 0 })
    }
}
