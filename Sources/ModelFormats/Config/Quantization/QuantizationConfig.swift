/// A checkpoint's `quantization_config` (config.json), decoded by a registry keyed by the
/// file's own `quant_method`. Each case holds the fields the producing tool writes.
public enum QuantizationConfig: Sendable, Equatable {
    /// llm-compressor / compressed-tensors checkpoints (`float-quantized` FP8, `int-quantized`
    /// INT8, `pack-quantized` INT4, ...).
    case compressedTensors(CompressedTensorsConfig)
    /// vLLM's own FP8 format.
    case fp8(FP8QuantizationConfig)
    /// GPTQ (AutoGPTQ / GPTQModel).
    case gptq(GPTQQuantizationConfig)
    /// AWQ (AutoAWQ).
    case awq(AWQQuantizationConfig)

    /// The `quant_method` values read, each with its decoder.
    static let registry: [String: @Sendable (Decoder) throws -> QuantizationConfig] = [
        "compressed-tensors": { .compressedTensors(try CompressedTensorsConfig(from: $0)) },
        "fp8": { .fp8(try FP8QuantizationConfig(from: $0)) },
        "gptq": { .gptq(try GPTQQuantizationConfig(from: $0)) },
        "awq": { .awq(try AWQQuantizationConfig(from: $0)) },
    ]

    /// Supported `quant_method` values, sorted.
    public static var supportedMethods: [String] { registry.keys.sorted() }

    /// The file's `quant_method`.
    public var method: String {
        switch self {
        case .compressedTensors: "compressed-tensors"
        case .fp8: "fp8"
        case .gptq: "gptq"
        case .awq: "awq"
        }
    }

    /// One line naming the scheme: method, format and bit widths as the file gives them.
    public var summary: String {
        switch self {
        case .compressedTensors(let c):
            let schemes = c.configGroups.keys.sorted().compactMap { name -> String? in
                guard let group = c.configGroups[name] else { return nil }
                let weights = group.weights.map { "weights \($0.type) \($0.numBits)-bit \($0.strategy)" } ?? "weights unquantized"
                let inputs = group.inputActivations.map { ", activations \($0.type) \($0.numBits)-bit \($0.strategy)\($0.dynamic.isDynamic ? " dynamic" : " static")" } ?? ""
                return "\(name): \(weights)\(inputs)"
            }
            return "compressed-tensors \(c.format ?? "<no format>") (\(schemes.joined(separator: "; ")))"
        case .fp8(let c):
            return "fp8, \(c.activationScheme) activations\(c.weightBlockSize.map { ", weight blocks \($0)" } ?? "")"
        case .gptq(let c):
            return "gptq \(c.bits)-bit, group size \(c.groupSize), desc_act \(c.descAct), sym \(c.sym)"
        case .awq(let c):
            return "awq \(c.bits)-bit, group size \(c.groupSize), zero point \(c.zeroPoint), version \(c.version ?? "gemm")"
        }
    }
}

/// Decodes `quantization_config` through `QuantizationConfig.registry`.
struct QuantizationConfigBox: Decodable {
    let config: QuantizationConfig

    private enum Keys: String, CodingKey { case quantMethod = "quant_method" }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let method = try container.decode(String.self, forKey: .quantMethod)
        guard let decode = QuantizationConfig.registry[method] else {
            throw ModelConfigError.invalidValue(
                file: "", field: "quantization_config.quant_method", value: method,
                reason: "not a quantization method this engine reads (supported: \(QuantizationConfig.supportedMethods.joined(separator: ", ")))")
        }
        config = try decode(decoder)
    }
}
