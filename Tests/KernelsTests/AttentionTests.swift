import Foundation
import Testing
@_spi(Testing) import Kernels

/// Paged attention over several sequences of different lengths with scattered block ids,
/// GQA, and a batch that mixes prefill, chunked-prefill and decode tokens.
struct AttentionTests {
    struct Case {
        var numHeads: Int, numKVHeads: Int, headDim: Int, blockSize: Int
        var slidingWindow = 0
    }

    func run(_ c: Case, seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let seqLengths = [5, 17, 33]
        let maxBlocksPerSeq = (33 + c.blockSize - 1) / c.blockSize
        let numBlocks = maxBlocksPerSeq * seqLengths.count + 3
        // Block ids: a fixed permutation of all blocks, so each sequence's blocks are scattered.
        var ids = Array(0..<numBlocks)
        for i in stride(from: numBlocks - 1, to: 0, by: -1) { ids.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        var tables = [Int32](repeating: -1, count: seqLengths.count * maxBlocksPerSeq)
        var next = 0
        for (s, length) in seqLengths.enumerated() {
            for b in 0..<((length + c.blockSize - 1) / c.blockSize) {
                tables[s * maxBlocksPerSeq + b] = Int32(ids[next]); next += 1
            }
        }
        // Tokens: all of sequence 0 (prefill), the last of sequence 1 (decode), positions 20..<33 of 2.
        var tokenSeq: [Int32] = [], tokenPos: [Int32] = []
        for p in 0..<5 { tokenSeq.append(0); tokenPos.append(Int32(p)) }
        tokenSeq.append(1); tokenPos.append(16)
        for p in 20..<33 { tokenSeq.append(2); tokenPos.append(Int32(p)) }
        let numTokens = tokenSeq.count
        let cacheCount = numBlocks * c.blockSize * c.numKVHeads * c.headDim
        let kCache = rng.floats(cacheCount, scale: 2), vCache = rng.floats(cacheCount)
        let q = rng.floats(numTokens * c.numHeads * c.headDim, scale: 2)
        let scale = Float(1 / Double(c.headDim).squareRoot())
        var expected = [Float](repeating: 0, count: q.count)
        Kernels.pagedAttentionReference(q: q, numTokens: numTokens, numHeads: c.numHeads, numKVHeads: c.numKVHeads,
                                        headDim: c.headDim, kCache: kCache, vCache: vCache, blockSize: c.blockSize,
                                        blockTables: tables, maxBlocksPerSeq: maxBlocksPerSeq, tokenSeq: tokenSeq,
                                        tokenPos: tokenPos, scale: scale, slidingWindow: c.slidingWindow,
                                        out: &expected)
        // Each score is a Float dot product: |ds| <= headDim u sum|q k| scale <= headDim^2 u 4 scale
        // (|q|, |k| <= 2). Softmax weights then err relatively by <= 2 max|ds| + exp's 2 ulp and
        // the running sum's (keys + 4) u; the output is a convex combination of |v| <= 1.
        let maxKeys = 33.0, d = Double(c.headDim)
        let bound = 2 * d * d * floatUnitRoundoff * 4 * Double(scale) + (maxKeys + 16) * floatUnitRoundoff
        for isa in testedISAs {
            var outputs: [[Float]] = []
            for pool in [MatmulTests.pool1, MatmulTests.pool2] {
                var got = [Float](repeating: .nan, count: q.count)
                Kernels.pagedAttention(q: q, numTokens: numTokens, numHeads: c.numHeads, numKVHeads: c.numKVHeads,
                                       headDim: c.headDim, kCache: kCache, vCache: vCache, blockSize: c.blockSize,
                                       blockTables: tables, maxBlocksPerSeq: maxBlocksPerSeq, tokenSeq: tokenSeq,
                                       tokenPos: tokenPos, scale: scale, slidingWindow: c.slidingWindow, out: &got,
                                       pool: pool, isa: isa)
                let worst = zip(got, expected).map { abs(Double($0) - Double($1)) }.max() ?? .nan
                #expect(worst <= bound, "\(isa) threads \(pool.numThreads) \(c): \(worst) > \(bound)")
                outputs.append(got)
            }
            // Work splits differ between 1 and 2 threads (and so do token tiles); bits must not.
            #expect(outputs[0].map(\.bitPattern) == outputs[1].map(\.bitPattern), "\(isa) \(c): 1 vs 2 threads")
        }
    }

    @Test("GQA, 6 query heads on 2 KV heads, head dim 64, block size 16")
    func gqa() { run(Case(numHeads: 6, numKVHeads: 2, headDim: 64, blockSize: 16), seed: 1) }

    @Test("Multi-head, head dim 32, block size 4 (many blocks per sequence)")
    func multiHead() { run(Case(numHeads: 3, numKVHeads: 3, headDim: 32, blockSize: 4), seed: 2) }

    @Test("Single KV head (MQA), head dim 256, block size 8")
    func multiQuery() { run(Case(numHeads: 4, numKVHeads: 1, headDim: 256, blockSize: 8), seed: 3) }

    @Test("Block size 32: key chunks of 16 inside a cache block")
    func largeBlocks() { run(Case(numHeads: 2, numKVHeads: 1, headDim: 64, blockSize: 32), seed: 4) }

    @Test("Sliding window", arguments: [(5, 4), (13, 16), (20, 32), (40, 16)])
    func slidingWindow(window: Int, blockSize: Int) {
        // windows shorter than, straddling and longer than the sequences (33 keys at most)
        run(Case(numHeads: 6, numKVHeads: 2, headDim: 64, blockSize: blockSize, slidingWindow: window),
            seed: UInt64(window * 100 + blockSize))
    }

    @Test("A token at position 0 returns its own value row exactly")
    func firstPosition() {
        let headDim = 8
        let k: [Float] = (0..<headDim).map { Float($0) }, v: [Float] = (0..<headDim).map { Float($0) * 0.25 - 1 }
        var out = [Float](repeating: .nan, count: headDim)
        for isa in testedISAs {
            Kernels.pagedAttention(q: k, numTokens: 1, numHeads: 1, numKVHeads: 1, headDim: headDim, kCache: k,
                                   vCache: v, blockSize: 1, blockTables: [0], maxBlocksPerSeq: 1, tokenSeq: [0],
                                   tokenPos: [0], scale: 0.5, out: &out, pool: MatmulTests.pool2, isa: isa)
            #expect(out == v, "\(isa)")
        }
    }
}
