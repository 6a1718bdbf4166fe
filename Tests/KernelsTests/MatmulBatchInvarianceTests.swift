import Testing
@_spi(Testing) import Kernels

/// Batch invariance of matmul: a token's outputs are bit-identical whether it is multiplied
/// alone (numTokens 1, the decode path) or at any position of a batch of any size, for every
/// weight type, every instruction set this machine runs, and 1 or 2 threads. The serving
/// engine relies on it (greedy outputs alone vs. in a batch vs. chunked prefill).
struct MatmulBatchInvarianceTests {
    /// Columns per type: long enough for the AVX-512 column chunks (over 1024) and, for the
    /// float types, a tail that is not a multiple of the vector width.
    static func cols(_ type: WeightType) -> Int {
        switch type.blockSize {
        case 256: 1280
        case 32: 1056
        default: 1047
        }
    }

    @Test("Row t of a batch equals the row computed alone, every type and ISA, 1 and 2 threads",
          arguments: WeightType.allCases)
    func batchEqualsAlone(type: WeightType) {
        Self.checkBatchEqualsAlone(type: type, cols: Self.cols(type))
    }

    @Test("F16 / BF16 rows without a column tail: a batch equals each token alone",
          arguments: [WeightType.f16, .bf16])
    func halfRowsWithoutATail(type: WeightType) {
        Self.checkBatchEqualsAlone(type: type, cols: 1088)
    }

    static func checkBatchEqualsAlone(type: WeightType, cols: Int) {
        let rows = 37  // 37: two full tiles of 16 plus a ragged one
        let tokenCounts = [1, 2, 3, 4, 5, 8, 9, 17, 64]  // fused kernels: up to 8 tokens (AVX-512), in groups of 4
        var rng = SeededRandom(seed: 0xB17 + UInt64(type.typeSize))
        let bytes = randomWeightBytes(type, rows: rows, cols: cols, rng: &rng)
        let x = rng.floats(64 * cols)
        bytes.withUnsafeBytes { raw in
            let w = WeightMatrix(type: type, rows: rows, cols: cols, data: raw.baseAddress!)
            for isa in testedISAs {
                // Each token of x alone (numTokens 1, one thread): the decode result.
                var alone = [Float](repeating: .nan, count: 64 * rows)
                x.withUnsafeBufferPointer { xp in
                    alone.withUnsafeMutableBufferPointer { yp in
                        for t in 0..<64 {
                            Kernels.matmul(w, x: xp.baseAddress! + t * cols, numTokens: 1,
                                           y: yp.baseAddress! + t * rows, pool: MatmulTests.pool1, isa: isa)
                        }
                    }
                }
                for pool in [MatmulTests.pool1, MatmulTests.pool2] {
                    for numTokens in tokenCounts {
                        // Tokens starting at an offset, so token t sits at different batch positions.
                        let first = (64 - numTokens) / 2
                        var batch = [Float](repeating: .nan, count: numTokens * rows)
                        x.withUnsafeBufferPointer { xp in
                            Kernels.matmul(w, x: xp.baseAddress! + first * cols, numTokens: numTokens,
                                           y: &batch, pool: pool, isa: isa)
                        }
                        var mismatches = 0
                        for i in 0..<(numTokens * rows)
                        where batch[i].bitPattern != alone[first * rows + i].bitPattern { mismatches += 1 }
                        #expect(mismatches == 0,
                                "\(type) \(isa) threads \(pool.numThreads) tokens \(numTokens): \(mismatches) outputs differ from alone")
                    }
                }
            }
        }
    }

    /// Long rows make the activation blocks of the batched path short (about 1.5 MB of tokens
    /// each: 96 tokens at 4096 columns), so 200 tokens take three blocks; each token's outputs
    /// must still have the bits it has alone.
    @Test("A batch spanning several activation blocks equals each token alone", arguments: [WeightType.q8_0, .f16])
    func severalTokenBlocks(type: WeightType) {
        let rows = 20, cols = 4096, numTokens = 200
        var rng = SeededRandom(seed: 0xB10C + UInt64(type.typeSize))
        let bytes = randomWeightBytes(type, rows: rows, cols: cols, rng: &rng)
        let x = rng.floats(numTokens * cols)
        bytes.withUnsafeBytes { raw in
            let w = WeightMatrix(type: type, rows: rows, cols: cols, data: raw.baseAddress!)
            for isa in testedISAs {
                var batch = [Float](repeating: .nan, count: numTokens * rows)
                Kernels.matmul(w, x: x, numTokens: numTokens, y: &batch, pool: MatmulTests.pool2, isa: isa)
                var mismatches = 0
                for t in [0, 95, 96, 97, 191, 192, 199] {
                    var one = [Float](repeating: .nan, count: rows)
                    x.withUnsafeBufferPointer { xp in
                        Kernels.matmul(w, x: xp.baseAddress! + t * cols, numTokens: 1, y: &one, pool: MatmulTests.pool1, isa: isa)
                    }
                    for r in 0..<rows where one[r].bitPattern != batch[t * rows + r].bitPattern { mismatches += 1 }
                }
                #expect(mismatches == 0, "\(type) \(isa): \(mismatches) outputs differ from alone")
            }
        }
    }

    @Test("Decode with 2 threads equals decode with 1 thread on a long output", arguments: [WeightType.q4_1, .q8_0])
    func decodeThreads(type: WeightType) {
        let rows = 1000, cols = 576  // SmolLM2's hidden size; many row tiles to split
        var rng = SeededRandom(seed: 0xDEC0 + UInt64(type.typeSize))
        let bytes = randomWeightBytes(type, rows: rows, cols: cols, rng: &rng)
        let x = rng.floats(cols)
        bytes.withUnsafeBytes { raw in
            let w = WeightMatrix(type: type, rows: rows, cols: cols, data: raw.baseAddress!)
            for isa in testedISAs {
                var one = [Float](repeating: 0, count: rows), two = [Float](repeating: 1, count: rows)
                Kernels.matmul(w, x: x, numTokens: 1, y: &one, pool: MatmulTests.pool1, isa: isa)
                Kernels.matmul(w, x: x, numTokens: 1, y: &two, pool: MatmulTests.pool2, isa: isa)
                #expect(one.map(\.bitPattern) == two.map(\.bitPattern), "\(type) \(isa)")
            }
        }
    }
}
