import Kernels
import ModelFormats

/// vLLM's `--quantization fp8` / `int8` on an unquantized Hugging Face checkpoint: every
/// projection (q, k, v, o, gate, up, down of each layer) quantized once at load, per output
/// channel, exactly as llm-compressor's FP8_DYNAMIC and W8A8 schemes quantize them (scale =
/// max|row| / 448 or / 127.5, values rounded to nearest even), and run with the same dynamic
/// per-token activations. Embeddings, norms and the LM head stay as stored.
public enum OnlineQuantization: String, Sendable, CaseIterable {
    case fp8
    case int8

    /// How the quantized projections' inputs are rounded at run time.
    var activations: ActivationQuantization { self == .fp8 ? .fp8PerToken : .int8PerToken }

    /// The repacked projections of `checkpoint` (config `config`, unquantized).
    func repack(_ checkpoint: SafeTensorsCheckpoint, config: ModelConfig) throws -> RepackedWeights {
        let out = RepackedWeights(checkpoint: checkpoint)
        let roles: [TensorRole] = [.q, .k, .v, .o, .gate, .up, .down]
        for layer in 0..<config.numLayers {
            for role in roles {
                let name = role.hfName(layer: layer, gemma: config.architecture == .gemma3)
                guard let shape = out.shape(of: name), shape.count == 2, shape[1] % 32 == 0 else { continue }
                let (values, _) = try out.floats(name)
                try add(name, rows: shape[0], cols: shape[1], values: values, into: out)
            }
        }
        return out
    }

    private func add(_ name: String, rows: Int, cols: Int, values: [Float], into out: RepackedWeights) throws {
        var scales = [Float](repeating: 0, count: rows)
        var codes = [UInt8](repeating: 0, count: rows * cols)
        var scaled = [Float](repeating: 0, count: cols)
        let (limit, low, high): (Float, Float, Float) = self == .fp8 ? (448, -448, 448) : (127.5, -128, 127)
        for r in 0..<rows {
            let row = values[r * cols..<(r + 1) * cols]
            guard row.allSatisfy({ $0.isFinite }) else {
                throw ModelLoadingError.unsupportedTensor(file: out.path, tensor: name, reason: "row \(r) holds a value that is not finite")
            }
            var scale = row.reduce(Float(0)) { max($0, abs($1)) } / limit
            if scale == 0 { scale = Float.ulpOfOne }  // compressed-tensors' choice for an all-zero row
            scales[r] = scale
            for c in 0..<cols { scaled[c] = min(max(row[row.startIndex + c] / scale, low), high) }
            switch self {
            case .fp8:
                codes.withUnsafeMutableBytes { Kernels.storeKV(scaled, count: cols, dtype: .fp8E4M3, into: $0.baseAddress! + r * cols) }
            case .int8:
                for c in 0..<cols { codes[r * cols + c] = UInt8(bitPattern: Int8(scaled[c].rounded(.toNearestOrEven))) }
            }
        }
        out.add(name, typeName: "\(rawValue) (--quantization)", type: self == .fp8 ? .f8_e4m3_b32 : .i8_b32, rows: rows, cols: cols) { r, b, at in
            RepackedWeights.writeScaledBytes(at, scale: scales[r]) { codes[r * cols + 32 * b + $0] }
        }
    }
}
