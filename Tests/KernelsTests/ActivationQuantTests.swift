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
