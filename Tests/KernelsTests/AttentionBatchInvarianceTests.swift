import Foundation
import Testing
@_spi(Testing) import Kernels

/// Batch invariance of paged attention and the per-token kernels: a token's output is
/// bit-identical whether it runs alone, with the rest of its prefill chunk, or among tokens of
/// other sequences, on every instruction set and with 1 or 2 threads.
struct AttentionBatchInvarianceTests {
    struct Layout {
        var numHeads: Int, numKVHeads: Int, headDim: Int, blockSize: Int, slidingWindow: Int
    }

    /// Output rows of `tokens` (sequence, position) in one pagedAttention call.
    static func attend(_ l: Layout, tokens: [(Int32, Int32)], q: [Float], kCache: [Float], vCache: [Float],
                       tables: [Int32], maxBlocksPerSeq: Int, pool: WorkerPool, isa: KernelISA) -> [Float] {
        let rowFloats = l.numHeads * l.headDim
        // q row of token (s, p) is taken from q at s * 64 + p, so a token's query never depends on the batch.
        var batchQ: [Float] = []
        for (s, p) in tokens {
            let at = (Int(s) * 64 + Int(p)) * rowFloats
            batchQ.append(contentsOf: q[at..<at + rowFloats])
        }
        var out = [Float](repeating: .nan, count: tokens.count * rowFloats)
        Kernels.pagedAttention(q: batchQ, numTokens: tokens.count, numHeads: l.numHeads, numKVHeads: l.numKVHeads,
                               headDim: l.headDim, kCache: kCache, vCache: vCache, blockSize: l.blockSize,
                               blockTables: tables, maxBlocksPerSeq: maxBlocksPerSeq, tokenSeq: tokens.map(\.0),
                               tokenPos: tokens.map(\.1), scale: 0.125, slidingWindow: l.slidingWindow, out: &out,
                               pool: pool, isa: isa)
        return out
    }

    func check(_ l: Layout, seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let seqLengths = [40, 23, 9]
        let maxBlocksPerSeq = (40 + l.blockSize - 1) / l.blockSize
        let numBlocks = maxBlocksPerSeq * seqLengths.count
        var ids = Array(0..<numBlocks)  // scattered block ids
        for i in stride(from: numBlocks - 1, to: 0, by: -1) { ids.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let tables = ids.map { Int32($0) }
        let cacheCount = numBlocks * l.blockSize * l.numKVHeads * l.headDim
        let kCache = rng.floats(cacheCount, scale: 2), vCache = rng.floats(cacheCount)
        let q = rng.floats(3 * 64 * l.numHeads * l.headDim, scale: 2)
        let rowFloats = l.numHeads * l.headDim
        // Sequence 0's tokens at positions 27..<40 (a prefill chunk), in three batch shapes.
        let target: [(Int32, Int32)] = (27..<40).map { (0, Int32($0)) }
        let chunked = target
        let others: [(Int32, Int32)] = (0..<9).map { (Int32(2), Int32($0)) }
        var mixed: [(Int32, Int32)] = [(1, 20)]
        mixed.append(contentsOf: target[0..<3])
        mixed.append(contentsOf: others)
        mixed.append(contentsOf: target[3...])
        mixed.append((1, 22))
        var split: [(Int32, Int32)] = [(2, 8)]  // the first part of the chunk among others
        split.append(contentsOf: target[0..<6])
        split.append((1, 21))
        for isa in testedISAs {
            for pool in [MatmulTests.pool1, MatmulTests.pool2] {
                var alone: [[Float]] = []
                for token in target {
                    alone.append(Self.attend(l, tokens: [token], q: q, kCache: kCache, vCache: vCache, tables: tables,
                                             maxBlocksPerSeq: maxBlocksPerSeq, pool: MatmulTests.pool1, isa: isa))
                }
                for (name, batch) in [("chunked", chunked), ("mixed", mixed), ("split", split)] {
                    let out = Self.attend(l, tokens: batch, q: q, kCache: kCache, vCache: vCache, tables: tables,
                                          maxBlocksPerSeq: maxBlocksPerSeq, pool: pool, isa: isa)
                    for (i, token) in batch.enumerated() where token.0 == 0 {
                        let row = Array(out[i * rowFloats..<(i + 1) * rowFloats])
                        let expected = alone[Int(token.1) - 27]
                        #expect(row.map(\.bitPattern) == expected.map(\.bitPattern),
                                "\(isa) threads \(pool.numThreads) \(name) position \(token.1) \(l)")
                    }
                }
            }
        }
    }

    @Test("Attention: a token alone equals the token in a batch (GQA, head dim 64)")
    func gqa() { check(Layout(numHeads: 6, numKVHeads: 2, headDim: 64, blockSize: 16, slidingWindow: 0), seed: 21) }

    @Test("Attention: sliding window, small blocks")
    func window() { check(Layout(numHeads: 4, numKVHeads: 2, headDim: 32, blockSize: 4, slidingWindow: 13), seed: 22) }

    @Test("Attention: head dims off the vector widths (generic paths)", arguments: [40, 36])
    func oddHeadDim(headDim: Int) {
        check(Layout(numHeads: 3, numKVHeads: 1, headDim: headDim, blockSize: 8, slidingWindow: 0),
              seed: 23 + UInt64(headDim))
    }

    /// The AVX-512 kernel handles the query heads of a KV head up to three at a time; each head's
    /// output must have the bits it has when computed as a group of one (a one-head call on the
    /// same cache), for group sizes that split as 3, 2, 3 + 2 and 3 + 3 + 1, at head dim 64 and
    /// at head dims past 8 vectors (160, 192), whose running outputs do not fit in registers.
    @Test("Attention: query heads sharing a KV head give each head's bits computed alone",
          arguments: zip([2, 3, 5, 7, 2, 5, 3], [64, 64, 64, 64, 160, 192, 192]))
    func headGrouping(group: Int, headDim: Int) {
        let blockSize = 16, numBlocks = 4
        var rng = SeededRandom(seed: 25 + UInt64(group * headDim))
        let kCache = rng.floats(numBlocks * blockSize * headDim, scale: 2), vCache = rng.floats(numBlocks * blockSize * headDim)
        let tables: [Int32] = [2, 0, 3, 1]
        let seqs: [Int32] = [0, 0, 0], positions: [Int32] = [40, 41, 63]  // a tile of 3 tokens, partial chunks
        let q = rng.floats(seqs.count * group * headDim, scale: 2)
        for isa in testedISAs {
            var grouped = [Float](repeating: .nan, count: q.count)
            Kernels.pagedAttention(q: q, numTokens: seqs.count, numHeads: group, numKVHeads: 1, headDim: headDim,
                                   kCache: kCache, vCache: vCache, blockSize: blockSize, blockTables: tables,
                                   maxBlocksPerSeq: numBlocks, tokenSeq: seqs, tokenPos: positions, scale: 0.125,
                                   slidingWindow: 0, out: &grouped, pool: MatmulTests.pool2, isa: isa)
            for t in 0..<seqs.count {
                for h in 0..<group {
                    let at = (t * group + h) * headDim
                    var one = [Float](repeating: .nan, count: headDim)
                    Kernels.pagedAttention(q: Array(q[at..<at + headDim]), numTokens: 1, numHeads: 1, numKVHeads: 1,
                                           headDim: headDim, kCache: kCache, vCache: vCache, blockSize: blockSize,
                                           blockTables: tables, maxBlocksPerSeq: numBlocks, tokenSeq: [seqs[t]],
                                           tokenPos: [positions[t]], scale: 0.125, slidingWindow: 0, out: &one,
                                           pool: MatmulTests.pool1, isa: isa)
                    #expect(one.map(\.bitPattern) == grouped[at..<at + headDim].map(\.bitPattern),
                            "\(isa) group \(group) head dim \(headDim) token \(t) head \(h)")
                }
            }
        }
    }

    @Test("rmsNorm, rope and siluMul of a token do not depend on the other tokens")
    func perTokenKernels() {
        // dim 1001: each token's slice of the flat siluMul input starts at a different vector lane
        let dim = 1001, numTokens = 7, numHeads = 3, headDim = 146
        var rng = SeededRandom(seed: 24)
        let x = rng.floats(numTokens * dim, scale: 3), weight = rng.floats(dim), up = rng.floats(numTokens * dim)
        let heads = rng.floats(numTokens * numHeads * headDim, scale: 2)
        let invFreq = (0..<(headDim / 2)).map { Float(exp(-Double(2 * $0) / Double(headDim) * log(10000.0))) }
        let positions: [Int32] = [3, 90, 17, 5, 400, 6, 7]
        for isa in testedISAs {
            var normBatch = [Float](repeating: 0, count: x.count), siluBatch = normBatch
            Kernels.rmsNorm(x: x, weight: weight, eps: 1e-6, numTokens: numTokens, dim: dim, out: &normBatch, isa: isa)
            Kernels.siluMul(gate: x, up: up, count: x.count, out: &siluBatch, isa: isa)
            for pairing in [Kernels.RopePairing.adjacent, .halves] {
                var ropeBatch = heads
                Kernels.rope(&ropeBatch, numTokens: numTokens, numHeads: numHeads, headDim: headDim,
                             positions: positions, invFreq: invFreq, pairing: pairing, isa: isa)
                for t in 0..<numTokens {
                    let range = t * numHeads * headDim..<(t + 1) * numHeads * headDim
                    var rope = Array(heads[range])
                    Kernels.rope(&rope, numTokens: 1, numHeads: numHeads, headDim: headDim, positions: [positions[t]],
                                 invFreq: invFreq, pairing: pairing, isa: isa)
                    #expect(rope.map(\.bitPattern) == ropeBatch[range].map(\.bitPattern), "rope \(pairing) \(isa) token \(t)")
                }
            }
            for t in 0..<numTokens {
                let range = t * dim..<(t + 1) * dim
                let xt = Array(x[range]), upt = Array(up[range])
                var norm = [Float](repeating: 0, count: dim), silu = norm
                Kernels.rmsNorm(x: xt, weight: weight, eps: 1e-6, numTokens: 1, dim: dim, out: &norm, isa: isa)
                Kernels.siluMul(gate: xt, up: upt, count: dim, out: &silu, isa: isa)
                #expect(norm.map(\.bitPattern) == normBatch[range].map(\.bitPattern), "rmsNorm \(isa) token \(t)")
                #expect(silu.map(\.bitPattern) == siluBatch[range].map(\.bitPattern), "siluMul \(isa) token \(t)")
            }
        }
    }
}
