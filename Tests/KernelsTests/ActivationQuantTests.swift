import Testing
@_spi(Testing) import Kernels

/// Dynamic per-token activation quantization of compressed-tensors checkpoints, against the
/// Swift twins written from the definitions.
struct ActivationQuantTests {
    /// 5 rows of 96 values in [-3, 3), row 2 all zero.
    static func rows(seed: UInt64) -> [Float] {
        var rng = SeededRandom(seed: seed)
        var x = rng.floats(5 * 96, scale: 3)
        for c in 0..<96 { x[2 * 96 + c] = 0 }
        return x
    }

    /// compressed-tensors' dynamic per-token FP8 activations: the kernel gives the reference's bits
    /// (scale max|x| / 448, round to E4M3, scale back), including an all-zero row (float32 eps).
    @Test("FP8 per-token activation rounding matches its reference")
    func fp8ActivationRounding() {
        let rows = 5, cols = 96
        var x = Self.rows(seed: 53)
        x[cols + 7] = 1e6  // one outlier: the row's other values fall to subnormal codes or zero
        var out = [Float](repeating: .nan, count: x.count)
        Kernels.fp8QuantizeDequantizeRows(x, rows: rows, cols: cols, out: &out)
        let expected = Kernels.fp8QuantizeDequantizeRowsReference(x, rows: rows, cols: cols)
        #expect(out.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(out[cols + 7] == 1e6 && out[2 * cols] == 0 && out[0] != x[0])
        // static: one given scale for every row; values past 448 x scale saturate
        Kernels.fp8QuantizeDequantizeRows(x, rows: rows, cols: cols, scale: 0.005, out: &out)
        let fixed = Kernels.fp8QuantizeDequantizeRowsReference(x, rows: rows, cols: cols, scale: 0.005)
        #expect(out.map(\.bitPattern) == fixed.map(\.bitPattern))
        #expect(out[cols + 7] == 448 * 0.005)
    }

    /// W8A8's dynamic per-token INT8 activations: the kernel gives the reference's bits, ties go
    /// to even, the largest magnitude lands on 127 or -128, and an all-zero row stays zero.
    @Test("INT8 per-token activation rounding matches its reference")
    func int8ActivationRounding() {
        let rows = 5, cols = 96
        var x = Self.rows(seed: 54)
        // row 3: max |x| = 127.5, so the scale is 1 and the values are their own codes
        for c in 0..<cols { x[3 * cols + c] = Float(c % 8) - 3.5 }
        x[3 * cols] = -127.5
        x[3 * cols + 1] = 2.5
        var out = [Float](repeating: .nan, count: x.count)
        Kernels.int8QuantizeDequantizeRows(x, rows: rows, cols: cols, out: &out)
        let expected = Kernels.int8QuantizeDequantizeRowsReference(x, rows: rows, cols: cols)
        #expect(out.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(out[2 * cols] == 0 && out[0] != x[0])
        #expect(Array(out[3 * cols..<3 * cols + 8]) == [-128, 2, -2, -0.0, 0, 2, 2, 4])
    }
}

/// W8A8 on packed i8_b32 weights: INT8 codes in the packed activation layout, summed exactly.
struct PackedInt8Tests {
    /// The packed activations hold exactly the codes and scale of `int8QuantizeDequantizeRows`
    /// (code * block scale is its output, bit for bit), with the blocks' exact sums; the matmul on
    /// them agrees with the Double reference on the rounded inputs within a Float dot's bound.
    @Test func packedInt8MatmulSumsTheRoundedInputsExactly() {
        let rows = 37, cols = 320, tokens = 5
        var rng = SeededRandom(seed: 77)
        let bytes = randomWeightBytes(.i8_b32, rows: rows, cols: cols, rng: &rng)
        var x = rng.floats(tokens * cols, scale: 4)
        x[3] = 0.5 * (x[3] > 0 ? 1 : -1) * x.prefix(cols).reduce(0) { max($0, abs($1)) } / 127.5  // a tie
        var rounded = [Float](repeating: 0, count: x.count)
        Kernels.int8QuantizeDequantizeRows(x, rows: tokens, cols: cols, out: &rounded)
        let tokenBytes = Kernels.packedActivationByteCount(cols: cols)
        let packed = UnsafeMutableRawPointer.allocate(byteCount: tokens * tokenBytes, alignment: 64)
        defer { packed.deallocate() }
        Kernels.int8QuantizeForPacked(x, rows: tokens, cols: cols, into: packed)
        for t in 0..<tokens {
            let base = packed + t * tokenBytes
            for b in 0..<(cols / 32) {
                let scale = base.load(fromByteOffset: 2 * cols + 4 * b, as: Float.self)
                var sum: Int32 = 0
                for k in 0..<32 {
                    let code = base.load(fromByteOffset: 2 * (32 * b + k), as: Int16.self)
                    sum += Int32(code)
                    #expect(Float(code) * scale == rounded[t * cols + 32 * b + k])
                }
                #expect(base.load(fromByteOffset: 2 * cols + 4 * (cols / 32) + 4 * b, as: Int32.self) == sum)
            }
        }
        bytes.withUnsafeBytes { raw in
            let w = WeightMatrix(type: .i8_b32, rows: rows, cols: cols, data: raw.baseAddress!).packedForMatmul()
            #expect(w.packed != nil)
            var expected = [Float](repeating: 0, count: tokens * rows)
            Kernels.matmulReference(w, x: rounded, numTokens: tokens, y: &expected)
            var got = [Float](repeating: .nan, count: tokens * rows)
            got.withUnsafeMutableBufferPointer { y in
                Kernels.matmul(w, w, nil, packedInput: packed, numTokens: tokens, y0: y.baseAddress!, y1: nil, y2: nil, pool: MatmulTests.pool2)
            }
            var dense = [Float](repeating: 0, count: cols)
            for r in 0..<rows {
                dense.withUnsafeMutableBufferPointer { Kernels.dequantizeRowReference(w, row: r, into: $0.baseAddress!) }
                for t in 0..<tokens {
                    let magnitude = (0..<cols).reduce(0.0) { $0 + abs(Double(dense[$1]) * Double(rounded[t * cols + $1])) }
                    let bound = Double(cols / 32 + 2) * floatUnitRoundoff * magnitude + 1e-30
                    #expect(abs(Double(got[t * rows + r]) - Double(expected[t * rows + r])) <= bound, "row \(r) token \(t)")
                }
            }
        }
    }
}
