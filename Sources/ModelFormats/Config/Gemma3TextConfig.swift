/// config.json of transformers' `Gemma3ForCausalLM` (model_type "gemma3_text"), decoded with
/// `Gemma3TextConfig`'s defaults for absent fields. Which layers use the sliding window comes
/// from `layer_types` when present, else from `sliding_window_pattern` (every Nth layer global);
/// soft-capping and activations other than gelu_pytorch_tanh are refused.
public struct Gemma3TextConfig: Decodable, Sendable {
    public static let architectureName = "Gemma3ForCausalLM"
    public static let modelType = "gemma3_text"

    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var numKeyValueHeads: Int
    public var headDim: Int
    public var vocabSize: Int
    public var maxPositionEmbeddings: Int
    public var rmsNormEps: Double
    public var ropeTheta: Double
    public var ropeLocalBaseFreq: Double
    public var ropeScaling: HFRopeScaling?
    public var slidingWindow: Int
    public var slidingWindowPattern: Int
    public var layerTypes: [String]?
    public var queryPreAttnScalar: Double
    public var hiddenActivation: String
    public var tieWordEmbeddings: Bool
    public var attentionBias: Bool
    public var finalLogitSoftcapping: Double?
    public var attnLogitSoftcapping: Double?
    public var bosTokenID: Int?
    public var eosTokenID: TokenIDList?

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", intermediateSize = "intermediate_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", numKeyValueHeads = "num_key_value_heads", headDim = "head_dim"
        case vocabSize = "vocab_size", maxPositionEmbeddings = "max_position_embeddings", rmsNormEps = "rms_norm_eps"
        case ropeTheta = "rope_theta", ropeLocalBaseFreq = "rope_local_base_freq", ropeScaling = "rope_scaling"
        case slidingWindow = "sliding_window", slidingWindowPattern = "sliding_window_pattern", layerTypes = "layer_types"
        case queryPreAttnScalar = "query_pre_attn_scalar", hiddenActivation = "hidden_activation"
        case tieWordEmbeddings = "tie_word_embeddings", attentionBias = "attention_bias"
        case finalLogitSoftcapping = "final_logit_softcapping", attnLogitSoftcapping = "attn_logit_softcapping"
        case bosTokenID = "bos_token_id", eosTokenID = "eos_token_id"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hiddenSize = try c.decodeInteger(forKey: .hiddenSize)
        intermediateSize = try c.decodeInteger(forKey: .intermediateSize)
        numHiddenLayers = try c.decodeInteger(forKey: .numHiddenLayers)
        numAttentionHeads = try c.decodeInteger(forKey: .numAttentionHeads)
        numKeyValueHeads = try c.decodeIntegerIfPresent(forKey: .numKeyValueHeads) ?? numAttentionHeads
        headDim = try c.decodeIntegerIfPresent(forKey: .headDim) ?? 256
        vocabSize = try c.decodeIntegerIfPresent(forKey: .vocabSize) ?? 262_208
        maxPositionEmbeddings = try c.decodeIntegerIfPresent(forKey: .maxPositionEmbeddings) ?? 131_072
        rmsNormEps = try c.decodeIfPresent(Double.self, forKey: .rmsNormEps) ?? 1e-6
        ropeTheta = try c.decodeIfPresent(Double.self, forKey: .ropeTheta) ?? 1_000_000
        ropeLocalBaseFreq = try c.decodeIfPresent(Double.self, forKey: .ropeLocalBaseFreq) ?? 10_000
        ropeScaling = try c.decodeIfPresent(HFRopeScaling.self, forKey: .ropeScaling)
        slidingWindow = try c.decodeIntegerIfPresent(forKey: .slidingWindow) ?? 4096
        slidingWindowPattern = try c.decodeIntegerIfPresent(forKey: .slidingWindowPattern) ?? 6
        layerTypes = try c.decodeIfPresent([String].self, forKey: .layerTypes)
        queryPreAttnScalar = try c.decodeIfPresent(Double.self, forKey: .queryPreAttnScalar) ?? 256
        hiddenActivation = try c.decodeIfPresent(String.self, forKey: .hiddenActivation) ?? "gelu_pytorch_tanh"
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? true
        attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? false
        finalLogitSoftcapping = try c.decodeIfPresent(Double.self, forKey: .finalLogitSoftcapping)
        attnLogitSoftcapping = try c.decodeIfPresent(Double.self, forKey: .attnLogitSoftcapping)
        bosTokenID = c.contains(.bosTokenID) ? try c.decodeIntegerIfPresent(forKey: .bosTokenID) : 2
        eosTokenID = c.contains(.eosTokenID) ? try c.decodeIfPresent(TokenIDList.self, forKey: .eosTokenID) : TokenIDList([1])
    }

    /// The engine-facing config, validated; `file` names the config in errors.
    public func modelConfig(file: String) throws -> ModelConfig {
        func refuse(_ field: String, _ value: String, _ reason: String) -> ModelConfigError {
            .invalidValue(file: file, field: field, value: value, reason: reason)
        }
        guard hiddenActivation == "gelu_pytorch_tanh" || hiddenActivation == "gelu_tanh" else {
            throw refuse("hidden_activation", hiddenActivation, "only gelu_pytorch_tanh is supported")
        }
        if let cap = finalLogitSoftcapping { throw refuse("final_logit_softcapping", "\(cap)", "logit soft-capping is not supported") }
        if let cap = attnLogitSoftcapping { throw refuse("attn_logit_softcapping", "\(cap)", "attention soft-capping is not supported") }
        if attentionBias { throw refuse("attention_bias", "true", "Gemma 3 attention biases are not supported") }
        var pattern = slidingWindowPattern
        if let layerTypes {
            // supported: full attention on every Nth layer, sliding on the others
            let period = (layerTypes.firstIndex(of: "full_attention") ?? layerTypes.count) + 1
            let expected = (0..<numHiddenLayers).map { ($0 + 1) % period == 0 ? "full_attention" : "sliding_attention" }
            guard layerTypes == expected else {
                throw refuse("layer_types", "\(layerTypes)", "only full attention on every Nth layer (sliding elsewhere) is supported")
            }
            pattern = period
        }
        let config = ModelConfig(
            architecture: .gemma3, numLayers: numHiddenLayers, hiddenSize: hiddenSize, intermediateSize: intermediateSize,
            numHeads: numAttentionHeads, numKVHeads: numKeyValueHeads, headDim: headDim, vocabSize: vocabSize,
            maxPositionEmbeddings: maxPositionEmbeddings, rmsNormEps: Float(rmsNormEps), ropeTheta: Float(ropeTheta),
            ropeScaling: try ropeScaling?.resolve(maxPositionEmbeddings: maxPositionEmbeddings, file: file),
            tieWordEmbeddings: tieWordEmbeddings, qkNorm: true, bosTokenID: bosTokenID, eosTokenIDs: eosTokenID?.ids ?? [],
            slidingWindow: slidingWindow, hiddenActivation: .geluTanh, postNorms: true,
            gemma: .init(embeddingMultiplier: Float(Double(hiddenSize).squareRoot()), slidingWindowPattern: pattern,
                         localRopeTheta: Float(ropeLocalBaseFreq), queryPreAttnScalar: Float(queryPreAttnScalar)))
        try config.validate(file: file, name: HFTransformerConfig<LlamaFamily>.fieldName)
        return config
    }
}
