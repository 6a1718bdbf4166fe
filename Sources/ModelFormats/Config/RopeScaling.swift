/// How rotary position embeddings are stretched beyond the trained context.
public enum RopeScaling: Sendable, Equatable {
    /// Positions divided by `factor` ("linear").
    case linear(factor: Float)
    /// Llama 3.1 frequency-dependent scaling ("llama3").
    case llama3(factor: Float, lowFreqFactor: Float, highFreqFactor: Float, originalMaxPositionEmbeddings: Int)
    /// YaRN ("yarn"); `attentionFactor` nil means the default 0.1 * ln(factor) + 1.
    case yarn(factor: Float, originalMaxPositionEmbeddings: Int, betaFast: Float, betaSlow: Float, attentionFactor: Float?)

    /// The scaling type names this engine implements (plus "default"/"none" meaning no scaling).
    public static let supportedTypes = ["linear", "llama3", "yarn"]
}

/// The `rope_scaling` object of a Hugging Face config.json, before validation.
/// Both spellings of the type key are accepted: `rope_type` (current) and `type` (older).
public struct HFRopeScaling: Codable, Sendable, Equatable {
    public var ropeType: String?
    public var type: String?
    public var factor: Double?
    public var lowFreqFactor: Double?
    public var highFreqFactor: Double?
    public var originalMaxPositionEmbeddings: Int?
    public var betaFast: Double?
    public var betaSlow: Double?
    public var attentionFactor: Double?

    enum CodingKeys: String, CodingKey {
        case ropeType = "rope_type", type, factor
        case lowFreqFactor = "low_freq_factor", highFreqFactor = "high_freq_factor"
        case originalMaxPositionEmbeddings = "original_max_position_embeddings"
        case betaFast = "beta_fast", betaSlow = "beta_slow", attentionFactor = "attention_factor"
    }

    /// The validated scaling; nil for "default". `maxPositionEmbeddings` stands in for a
    /// missing yarn `original_max_position_embeddings`.
    func resolve(maxPositionEmbeddings: Int, file: String) throws -> RopeScaling? {
        guard let kind = ropeType ?? type else {
            throw ModelConfigError.missingField(file: file, field: "rope_scaling.rope_type")
        }
        func positive(_ value: Double?, _ name: String) throws -> Float {
            guard let value else { throw ModelConfigError.missingField(file: file, field: "rope_scaling.\(name)") }
            guard value > 0, value.isFinite else {
                throw ModelConfigError.invalidValue(file: file, field: "rope_scaling.\(name)", value: "\(value)", reason: "must be positive")
            }
            return Float(value)
        }
        switch kind {
        case "default":
            return nil
        case "linear":
            return .linear(factor: try positive(factor, "factor"))
        case "llama3":
            guard let original = originalMaxPositionEmbeddings else {
                throw ModelConfigError.missingField(file: file, field: "rope_scaling.original_max_position_embeddings")
            }
            guard original > 0 else {
                throw ModelConfigError.invalidValue(file: file, field: "rope_scaling.original_max_position_embeddings",
                                                    value: "\(original)", reason: "must be positive")
            }
            return .llama3(factor: try positive(factor, "factor"),
                           lowFreqFactor: try positive(lowFreqFactor, "low_freq_factor"),
                           highFreqFactor: try positive(highFreqFactor, "high_freq_factor"),
                           originalMaxPositionEmbeddings: original)
        case "yarn":
            let original = originalMaxPositionEmbeddings ?? maxPositionEmbeddings
            guard original > 0 else {
                throw ModelConfigError.invalidValue(file: file, field: "rope_scaling.original_max_position_embeddings",
                                                    value: "\(original)", reason: "must be positive")
            }
            return .yarn(factor: try positive(factor, "factor"), originalMaxPositionEmbeddings: original,
                         betaFast: try positive(betaFast ?? 32, "beta_fast"),
                         betaSlow: try positive(betaSlow ?? 1, "beta_slow"),
                         attentionFactor: try attentionFactor.map { try positive($0, "attention_factor") })
        default:
            throw ModelConfigError.unsupportedRopeScaling(file: file, type: kind, supported: RopeScaling.supportedTypes)
        }
    }
}
