import Testing
@_spi(Testing) import Kernels

/// The grouped matmul (q, k, v or gate, up in one parallel loop) gives every output the bits
/// of the single-matrix matmul, whichever matrix and piece of the shared loop computed it.
struct MatmulGroupTests {
    @Test("Two and three matrices in one loop equal separate matmuls, bit for bit",
          arguments: [WeightType.q4_1, .q8_0, .f16, .q6_K])
    func groupEqualsSeparate(type: WeightType) {
        let cols = type.blockSize == 256 ? 512 : 576
        let rowCounts = [40, 13, 77]  // ragged tiles: 40 = 2 x 16 + 8, 13 < 16, 77 = 4 x 16 + 13
        var rng = SeededRandom(seed: 0x6A0 + UInt64(type.typeSize))
        let bytes = rowCounts.map { randomWeightBytes(type, rows: $0, cols: cols, rng: &rng) }
        let x = rng.floats(5 * cols)
        bytes[0].withUnsafeBytes { b0 in
            bytes[1].withUnsafeBytes { b1 in
                bytes[2].withUnsafeBytes { b2 in
                    let w = [b0, b1, b2].enumerated().map { i, raw in
                        WeightMatrix(type: type, rows: rowCounts[i], cols: cols, data: raw.baseAddress!)
                    }
                    for isa in testedISAs {
                        for pool in [MatmulTests.pool1, MatmulTests.pool2] {
                            for numTokens in [1, 2, 5] {
                                let separate = w.map { m in
                                    var y = [Float](repeating: .nan, count: numTokens * m.rows)
                                    Kernels.matmul(m, x: x, numTokens: numTokens, y: &y, pool: pool, isa: isa)
                                    return y
                                }
                                var y0 = [Float](repeating: .nan, count: numTokens * w[0].rows)
                                var y1 = [Float](repeating: .nan, count: numTokens * w[1].rows)
                                var y2 = [Float](repeating: .nan, count: numTokens * w[2].rows)
                                Kernels.matmul(w[0], w[1], w[2], x: x, numTokens: numTokens, y0: &y0, y1: &y1,
                                               y2: &y2, pool: pool, isa: isa)
                                let label = "\(type) \(isa) threads \(pool.numThreads) tokens \(numTokens)"
                                #expect(y0.map(\.bitPattern) == separate[0].map(\.bitPattern), "\(label) w0 of 3")
                                #expect(y1.map(\.bitPattern) == separate[1].map(\.bitPattern), "\(label) w1 of 3")
                                #expect(y2.map(\.bitPattern) == separate[2].map(\.bitPattern), "\(label) w2 of 3")
                                // Two matrices (gate and up): the third buffer is left alone.
                                var z0 = [Float](repeating: .nan, count: numTokens * w[2].rows)
                                var z1 = [Float](repeating: .nan, count: numTokens * w[0].rows)
                                var untouched = [Float](repeating: 7, count: numTokens * w[1].rows)
                                Kernels.matmul(w[2], w[0], nil, x: x, numTokens: numTokens, y0: &z0, y1: &z1,
                                               y2: &untouched, pool: pool, isa: isa)
                                #expect(z0.map(\.bitPattern) == separate[2].map(\.bitPattern), "\(label) w0 of 2")
                                #expect(z1.map(\.bitPattern) == separate[0].map(\.bitPattern), "\(label) w1 of 2")
                                #expect(untouched.allSatisfy { $0 == 7 }, "\(label) no third matrix")
                            }
                        }
                    }
                }
            }
        }
    }
}
