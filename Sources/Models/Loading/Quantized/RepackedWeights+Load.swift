import ModelFormats

extension RepackedWeights {
    /// The matrices of `checkpoint`, quantized as its `quantization_config` says, repacked by the
    /// format's reader; throws naming a scheme the engine does not read, or a checkpoint whose
    /// config says quantized but whose weights are float (refused rather than run as float).
    static func load(_ checkpoint: SafeTensorsCheckpoint, quantization: QuantizationConfig) throws -> RepackedWeights {
        let reason: String?, repack: () throws -> RepackedWeights
        switch quantization {
        case .compressedTensors(let c):
            reason = CompressedTensorsWeights.unsupportedReason(c)
            repack = { try CompressedTensorsWeights.repack(checkpoint, config: c) }
        case .gptq(let c):
            reason = GPTQWeights.unsupportedReason(c)
            repack = { try GPTQWeights.repack(checkpoint, config: c) }
        case .awq(let c):
            reason = AWQWeights.unsupportedReason(c)
            repack = { try AWQWeights.repack(checkpoint, config: c) }
        case .fp8(let c):
            reason = FP8CheckpointWeights.unsupportedReason(c)
            repack = { try FP8CheckpointWeights.repack(checkpoint, config: c) }
        }
        let path = checkpoint.directory.path
        if let reason {
            throw ModelLoadingError.unsupportedQuantization(file: path, scheme: quantization.summary + "; not read: \(reason)")
        }
        let repacked = try repack()
        if repacked.count == 0 {
            throw ModelLoadingError.unsupportedQuantization(file: path, scheme: quantization.summary + "; no quantized tensors in the checkpoint")
        }
        return repacked
    }
}
