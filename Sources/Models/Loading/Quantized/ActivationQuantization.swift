/// Run-time quantization of a projection's input, as a quantized checkpoint's layers were made
/// to see it (compressed-tensors `input_activations`, dynamic per token).
public enum ActivationQuantization: String, Sendable {
    /// Each token's row rounded through FP8 E4M3 with scale max|x| / 448 (FP8_DYNAMIC).
    case fp8PerToken = "fp8-per-token"
    /// Each token's row rounded to INT8 with scale max|x| / 127.5 (W8A8).
    case int8PerToken = "int8-per-token"
    /// Every row rounded through FP8 E4M3 with the layer's calibrated `input_scale` (FP8 static).
    case fp8Static = "fp8-static"
}
