import CKernels

/// Dynamic per-token activation quantization (compressed-tensors' `input_activations` with
/// `dynamic: true`, strategy "token"): the projection inputs rounded to the checkpoint's grid
/// and scaled back, with Swift twins from the formats' definitions.
extension Kernels {
    /// Dynamic per-token FP8 activations (compressed-tensors' FP8_DYNAMIC inputs): each of `rows`
    /// rows of `cols` values rounded to E4M3 after dividing by max|x| / 448, then scaled back.
    /// `out` may be `x`.
    public static func fp8QuantizeDequantizeRows(_ x: UnsafePointer<Float>, rows: Int, cols: Int,
                                                 out: UnsafeMutablePointer<Float>) {
        guard rows > 0, cols > 0 else { return }
        sw_fp8_quantize_dequantize_rows(x, Int64(rows), Int64(cols), out)
    }

    /// Scalar twin of `fp8QuantizeDequantizeRows` from the format's definition (`fp8Code`); with
    /// `scale`, of the static variant.
    public static func fp8QuantizeDequantizeRowsReference(_ x: [Float], rows: Int, cols: Int, scale: Float? = nil) -> [Float] {
        perTokenReference(x, rows: rows, cols: cols, divisor: 448, range: -448...448, fixedScale: scale) {
            fp8Value(fp8Code($0, .fp8E4M3), .fp8E4M3)
        }
    }

    /// Static FP8 activations (compressed-tensors' FP8 scheme): every row rounded through E4M3
    /// with the checkpoint's one `scale` (its `input_scale`). `out` may be `x`.
    public static func fp8QuantizeDequantizeRows(_ x: UnsafePointer<Float>, rows: Int, cols: Int, scale: Float,
                                                 out: UnsafeMutablePointer<Float>) {
        guard rows > 0, cols > 0 else { return }
        sw_fp8_quantize_dequantize_rows_scaled(x, Int64(rows), Int64(cols), scale, out)
    }

    /// Dynamic per-token INT8 activations (compressed-tensors' W8A8 inputs): each of `rows` rows
    /// divided by max|x| / 127.5, clamped to [-128, 127], rounded to the nearest integer (ties to
    /// even) and scaled back. `out` may be `x`.
    public static func int8QuantizeDequantizeRows(_ x: UnsafePointer<Float>, rows: Int, cols: Int,
                                                  out: UnsafeMutablePointer<Float>) {
        guard rows > 0, cols > 0 else { return }
        sw_int8_quantize_dequantize_rows(x, Int64(rows), Int64(cols), out)
    }

    /// `int8QuantizeDequantizeRows`'s codes as the packed kernels read activations
    /// (`packedActivationByteCount(cols:)` bytes per token, cols a multiple of 32): int16 codes,
    /// the token's scale for every 32-column block, the blocks' exact sums. `matmul` of packed
    /// i8_b32 weights on them (`packedInput:`) sums integers exactly.
    public static func int8QuantizeForPacked(_ x: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutableRawPointer) {
        guard rows > 0, cols > 0 else { return }
        sw_int8_quantize_for_packed(x, Int64(rows), Int64(cols), out)
    }

    /// Scalar twin of `int8QuantizeDequantizeRows`.
    public static func int8QuantizeDequantizeRowsReference(_ x: [Float], rows: Int, cols: Int) -> [Float] {
        perTokenReference(x, rows: rows, cols: cols, divisor: 127.5, range: -128...127) { $0.rounded(.toNearestOrEven) }
    }

    /// compressed-tensors' quantize-dequantize of each row: scale = max|x| / divisor (float32
    /// epsilon when 0) or the fixed one, value = round(clamp(x / scale)) * scale.
    private static func perTokenReference(_ x: [Float], rows: Int, cols: Int, divisor: Float, range: ClosedRange<Float>,
                                          fixedScale: Float? = nil, round: (Float) -> Float) -> [Float] {
        var out = [Float](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            var scale = fixedScale ?? x[r * cols..<(r + 1) * cols].reduce(Float(0)) { max($0, abs($1)) } / divisor
            if scale == 0 { scale = Float.ulpOfOne }
            for c in 0..<cols {
                out[r * cols + c] = round(min(max(x[r * cols + c] / scale, range.lowerBound), range.upperBound)) * scale
            }
        }
        return out
    }
}
