import ModelFormats

/// One layer's FP8 KV cache scales from a checkpoint: the cache holds key / key-scale and
/// value / value-scale rounded to FP8, and attention scales them back (vLLM's k_scale, v_scale).
public struct KVCacheScales: Sendable, Equatable {
    public let key: Float
    public let value: Float

    public init(key: Float, value: Float) {
        self.key = key
        self.value = value
    }

    /// `model.layers.N.self_attn.k_scale` and `v_scale` of `checkpoint` (one positive, finite
    /// value each); throws naming a missing or unusable one.
    init(_ checkpoint: SafeTensorsCheckpoint, layer: Int) throws {
        let path = checkpoint.directory.path
        func scale(_ name: String) throws -> Float {
            let full = "model.layers.\(layer).self_attn.\(name)"
            guard let (file, info) = checkpoint.tensor(named: full) else { throw ModelLoadingError.missingTensor(file: path, tensor: full) }
            guard let values = try? file.toFloat(info), values.count == 1, let value = values.first, value.isFinite, value > 0 else {
                throw ModelLoadingError.unsupportedTensor(file: path, tensor: full, reason: "a KV cache scale must be one positive finite value")
            }
            return value
        }
        key = try scale("k_scale")
        value = try scale("v_scale")
    }
}
