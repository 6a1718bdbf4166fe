import Testing
@_spi(Testing) import Kernels

/// Matmul of every weight type on every instruction set against the Double reference.
struct MatmulTests {
    static let pool1 = WorkerPool(numThreads: 1)
    static let pool2 = WorkerPool(numThreads: 2)

    /// Runs fast and reference matmuls on random weights and checks each output against the
    /// worst-case bound of a Float dot product in any summation order: with exact (identical)
    /// dequantized weights, |fast - exact| <= n u sum_c |w_c x_c| (n = cols terms, u = 2^-24),
    /// plus the reference's own final rounding, u |exact|.
    func check(_ type: WeightType, rows: Int, cols: Int, numTokens: Int, seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let bytes = randomWeightBytes(type, rows: rows, cols: cols, rng: &rng)
        let x = rng.floats(numTokens * cols)
        bytes.withUnsafeBytes { raw in
            let w = WeightMatrix(type: type, rows: rows, cols: cols, data: raw.baseAddress!)
            var dense = [Float](repeating: 0, count: rows * cols)
            for r in 0..<rows {
                dense.withUnsafeMutableBufferPointer { Kernels.dequantizeRowReference(w, row: r, into: $0.baseAddress! + r * cols) }
            }
            var expected = [Float](repeating: 0, count: numTokens * rows)
            Kernels.matmulReference(w, x: x, numTokens: numTokens, y: &expected)
            for isa in testedISAs {
                var got = [Float](repeating: .nan, count: numTokens * rows)
                Kernels.matmul(w, x: x, numTokens: numTokens, y: &got, pool: Self.pool2, isa: isa)
                var worst = 0.0
                for t in 0..<numTokens {
                    for r in 0..<rows {
                        var magnitude = 0.0
                        for c in 0..<cols { magnitude += abs(Double(dense[r * cols + c]) * Double(x[t * cols + c])) }
                        let e = Double(expected[t * rows + r])
                        let bound = Double(cols) * floatUnitRoundoff * magnitude + floatUnitRoundoff * abs(e) + 1e-30
                        worst = max(worst, abs(Double(got[t * rows + r]) - e) / bound)
                    }
                }
                #expect(worst <= 1, "\(type) \(isa) \(rows)x\(cols) tokens \(numTokens): error/bound \(worst)")
            }
        }
    }

    @Test("Matmul matches the reference for every type and ISA", arguments: WeightType.allCases)
    func everyType(type: WeightType) {
        let cols = type.blockSize == 256 ? 512 : 96
        for (i, numTokens) in [1, 2, 3, 17].enumerated() {
            check(type, rows: 13, cols: cols, numTokens: numTokens, seed: 0x3A7 + UInt64(i) * 31 + UInt64(type.typeSize))
        }
    }

    @Test("Float weights with columns that are not a multiple of the vector width")
    func oddColumns() {
        for cols in [1, 7, 19, 33, 1047] {  // 1047: long rows go through column chunks
            check(.f32, rows: 5, cols: cols, numTokens: 3, seed: UInt64(cols))
            check(.f16, rows: 5, cols: cols, numTokens: 3, seed: UInt64(cols) + 100)
        }
    }

    @Test("Long rows (column chunks) and token blocks", arguments: [WeightType.q4_1, .q6_K])
    func longRows(type: WeightType) {
        // 1536 columns: three column chunks; 47 tokens: several token groups of 6 plus a remainder
        check(type, rows: 21, cols: 1536, numTokens: 47, seed: 0x10A6 + UInt64(type.typeSize))
    }

    @Test("Matmul is bit-identical with 1 and 2 threads", arguments: [WeightType.q4_1, .q8_0, .q4_K, .q6_K, .q5_K, .f32])
    func deterministicAcrossThreads(type: WeightType) {
        var rng = SeededRandom(seed: 77)
        let rows = 67, cols = 256, numTokens = 5
        let bytes = randomWeightBytes(type, rows: rows, cols: cols, rng: &rng)
        let x = rng.floats(numTokens * cols)
        bytes.withUnsafeBytes { raw in
            let w = WeightMatrix(type: type, rows: rows, cols: cols, data: raw.baseAddress!)
            for isa in testedISAs {
                var one = [Float](repeating: 0, count: numTokens * rows)
                var two = [Float](repeating: 1, count: numTokens * rows)
                Kernels.matmul(w, x: x, numTokens: numTokens, y: &one, pool: Self.pool1, isa: isa)
                Kernels.matmul(w, x: x, numTokens: numTokens, y: &two, pool: Self.pool2, isa: isa)
                #expect(one.map(\.bitPattern) == two.map(\.bitPattern), "\(type) \(isa)")
                // Decode (one token, the fused path) is thread-count independent too.
                var single1 = [Float](repeating: 0, count: rows), single2 = [Float](repeating: 1, count: rows)
                Kernels.matmul(w, x: x, numTokens: 1, y: &single1, pool: Self.pool1, isa: isa)
                Kernels.matmul(w, x: x, numTokens: 1, y: &single2, pool: Self.pool2, isa: isa)
                #expect(single1.map(\.bitPattern) == single2.map(\.bitPattern), "\(type) \(isa) single token")
                // Decode uses the batched path's values and order: a token alone gives the same bits
                // as inside a batch (MatmulBatchInvarianceTests checks every type and batch size).
                #expect(single1.map(\.bitPattern) == one[0..<rows].map(\.bitPattern), "\(type) \(isa) batch vs single")
            }
        }
    }
}
