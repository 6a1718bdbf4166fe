/// A Hugging Face config.json of one decoder-only family (`LlamaConfig`, `MistralConfig`,
/// `Qwen2Config`, `Qwen3Config`), decoded with that family's transformers defaults.
///
/// Required: hidden_size, intermediate_size, num_hidden_layers, num_attention_heads,
/// vocab_size. Everything else falls back to the family default when absent.
public struct HFTransformerConfig<Family: HFConfigFamily>: Codable, Sendable, Equatable {
    public var architectures: [String]?
    public var modelType: String?
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    /// Defaults to `numAttentionHeads`.
    public var numKeyValueHeads: Int
    /// nil means hidden_size / num_attention_heads.
    public var headDim: Int?
    public var vocabSize: Int
    public var maxPositionEmbeddings: Int
    public var rmsNormEps: Double
    public var ropeTheta: Double
    public var ropeScaling: HFRopeScaling?
    public var tieWordEmbeddings: Bool
    public var attentionBias: Bool
    public var mlpBias: Bool
    public var slidingWindow: Int?
    public var useSlidingWindow: Bool
    public var bosTokenID: Int?
    public var eosTokenID: TokenIDList?
    /// `torch_dtype`, or `dtype` in newer files.
    public var torchDType: String?

    enum CodingKeys: String, CodingKey {
        case architectures, modelType = "model_type", hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", numKeyValueHeads = "num_key_value_heads"
        case headDim = "head_dim", vocabSize = "vocab_size"
        case maxPositionEmbeddings = "max_position_embeddings", rmsNormEps = "rms_norm_eps"
        case ropeTheta = "rope_theta", ropeScaling = "rope_scaling"
        case tieWordEmbeddings = "tie_word_embeddings", attentionBias = "attention_bias"
        case mlpBias = "mlp_bias", slidingWindow = "sliding_window"
        case useSlidingWindow = "use_sliding_window", bosTokenID = "bos_token_id"
        case eosTokenID = "eos_token_id", torchDType = "torch_dtype"
    }

    private enum ExtraKeys: String, CodingKey {
        case dtype
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        architectures = try c.decodeIfPresent([String].self, forKey: .architectures)
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType)
        hiddenSize = try c.decodeInteger(forKey: .hiddenSize)
        intermediateSize = try c.decodeInteger(forKey: .intermediateSize)
        numHiddenLayers = try c.decodeInteger(forKey: .numHiddenLayers)
        numAttentionHeads = try c.decodeInteger(forKey: .numAttentionHeads)
        numKeyValueHeads = try c.decodeIntegerIfPresent(forKey: .numKeyValueHeads) ?? numAttentionHeads
        headDim = c.contains(.headDim) ? try c.decodeIntegerIfPresent(forKey: .headDim) : Family.defaultHeadDim
        vocabSize = try c.decodeInteger(forKey: .vocabSize)
        maxPositionEmbeddings = try c.decodeIntegerIfPresent(forKey: .maxPositionEmbeddings)
            ?? Family.defaultMaxPositionEmbeddings
        rmsNormEps = try c.decodeIfPresent(Double.self, forKey: .rmsNormEps) ?? Family.defaultRMSNormEps
        ropeTheta = try c.decodeIfPresent(Double.self, forKey: .ropeTheta) ?? Family.defaultRopeTheta
        ropeScaling = try c.decodeIfPresent(HFRopeScaling.self, forKey: .ropeScaling)
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false
        attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? false
        mlpBias = try c.decodeIfPresent(Bool.self, forKey: .mlpBias) ?? false
        slidingWindow = c.contains(.slidingWindow)
            ? try c.decodeIntegerIfPresent(forKey: .slidingWindow) : Family.defaultSlidingWindow
        useSlidingWindow = try c.decodeIfPresent(Bool.self, forKey: .useSlidingWindow) ?? false
        bosTokenID = c.contains(.bosTokenID)
            ? try c.decodeIntegerIfPresent(forKey: .bosTokenID) : Family.defaultBOSTokenID
        eosTokenID = c.contains(.eosTokenID)
            ? try c.decodeIfPresent(TokenIDList.self, forKey: .eosTokenID) : Family.defaultEOSTokenID.map { TokenIDList([$0]) }
        let extra = try decoder.container(keyedBy: ExtraKeys.self)
        torchDType = try c.decodeIfPresent(String.self, forKey: .torchDType)
            ?? extra.decodeIfPresent(String.self, forKey: .dtype)
    }

    /// The engine-facing config, validated; `file` names the config in errors.
    public func modelConfig(file: String) throws -> ModelConfig {
        let resolvedHeadDim: Int
        if let headDim {
            resolvedHeadDim = headDim
        } else {
            guard numAttentionHeads > 0 else {
                throw ModelConfigError.invalidValue(file: file, field: "num_attention_heads",
                                                    value: "\(numAttentionHeads)", reason: "must be positive")
            }
            guard hiddenSize % numAttentionHeads == 0 else {
                throw ModelConfigError.notDivisible(file: file, field: "hidden_size", value: hiddenSize,
                                                    divisorField: "num_attention_heads", divisor: numAttentionHeads)
            }
            resolvedHeadDim = hiddenSize / numAttentionHeads
        }
        let biases = Family.biases(attentionBias: attentionBias, mlpBias: mlpBias)
        let config = ModelConfig(
            architecture: Family.architecture, numLayers: numHiddenLayers, hiddenSize: hiddenSize,
            intermediateSize: intermediateSize, numHeads: numAttentionHeads, numKVHeads: numKeyValueHeads,
            headDim: resolvedHeadDim, vocabSize: vocabSize, maxPositionEmbeddings: maxPositionEmbeddings,
            rmsNormEps: Float(rmsNormEps), ropeTheta: Float(ropeTheta),
            ropeScaling: try ropeScaling?.resolve(maxPositionEmbeddings: maxPositionEmbeddings, file: file),
            tieWordEmbeddings: tieWordEmbeddings, qkvBias: biases.qkv, outputBias: biases.output,
            mlpBias: biases.mlp, qkNorm: Family.qkNorm, bosTokenID: bosTokenID,
            eosTokenIDs: eosTokenID?.ids ?? [],
            slidingWindow: Family.slidingWindow(slidingWindow, useSlidingWindow: useSlidingWindow))
        try config.validate(file: file, name: Self.fieldName)
        return config
    }

    /// config.json spelling of a validated field.
    static func fieldName(_ field: ModelConfig.Field) -> String {
        switch field {
        case .numLayers: return "num_hidden_layers"
        case .hiddenSize: return "hidden_size"
        case .intermediateSize: return "intermediate_size"
        case .numHeads: return "num_attention_heads"
        case .numKVHeads: return "num_key_value_heads"
        case .headDim: return "head_dim"
        case .vocabSize: return "vocab_size"
        case .maxPositionEmbeddings: return "max_position_embeddings"
        case .rmsNormEps: return "rms_norm_eps"
        case .ropeTheta: return "rope_theta"
        case .bosTokenID: return "bos_token_id"
        case .eosTokenIDs: return "eos_token_id"
        case .slidingWindow: return "sliding_window"
        case .numExperts: return "num_experts"
        case .numExpertsUsed: return "num_experts_per_tok"
        case .expertIntermediateSize: return "moe_intermediate_size"
        case .sharedExpertIntermediateSize: return "shared_expert_intermediate_size"
        case .routedScalingFactor: return "routed_scaling_factor"
        }
    }
}
