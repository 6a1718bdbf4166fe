import Kernels
import ModelFormats

/// vLLM's own FP8 checkpoints (`quant_method: fp8`, as DeepSeek-V3 and Qwen3-FP8 ship them):
/// F8_E4M3 `X.weight` with `X.weight_scale_inv` per [128, 128] tile when `weight_block_size` is
/// given (F32 [ceil(rows / 128), ceil(cols / 128)]), or `X.weight_scale` per tensor. Value:
/// code * scale (the "inv" names the inverse of the quantization scale, which multiplies on the
/// way back). Repacked into `f8_e4m3_b32`; inputs stay unquantized, as transformers runs these
/// checkpoints on the CPU (weights dequantized).
enum FP8CheckpointWeights {
    /// Nil when the engine reads `config`'s scheme, else why not.
    static func unsupportedReason(_ config: FP8QuantizationConfig) -> String? {
        if let block = config.weightBlockSize {
            guard block.count == 2, block[0] > 0, block[1] > 0, block[1] % 32 == 0 else {
                return "weight_block_size \(block) (read: two sizes, the column one a multiple of 32)"
            }
        }
        return nil
    }

    /// Repacks every F8_E4M3 `X.weight` of `checkpoint`.
    static func repack(_ checkpoint: SafeTensorsCheckpoint, config: FP8QuantizationConfig) throws -> RepackedWeights {
        let out = RepackedWeights(checkpoint: checkpoint)
        for name in checkpoint.tensorNames where name.hasSuffix(".weight") {
            guard let (_, info) = checkpoint.tensor(named: name), info.dtype == .f8E4M3 else { continue }
            let scaleName = config.weightBlockSize == nil ? name + "_scale" : name + "_scale_inv"
            try out.addBytes(name, info: info, scaleName: scaleName, block: config.weightBlockSize)
        }
        return out
    }
}
