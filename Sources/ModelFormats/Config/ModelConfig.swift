/// The engine-facing description of a decoder-only transformer, whichever file it came from
/// (Hugging Face config.json through `HFTransformerConfig`, or GGUF metadata).
public struct ModelConfig: Sendable, Equatable {
    /// The model families the engine runs.
    public enum Architecture: String, Sendable, CaseIterable {
        case llama, mistral, qwen2, qwen3, gemma3
        /// Qwen2-MoE and Qwen3-MoE: Qwen2 / Qwen3 attention with mixture-of-experts MLPs (`moe`).
        case qwen2moe, qwen3moe
        /// Phi-3: Llama layers whose q/k/v and gate/up projections are each one fused tensor.
        case phi3
    }

    /// The MLP's gate activation.
    public enum HiddenActivation: String, Sendable {
        /// silu(gate) * up (Llama, Mistral, Qwen).
        case silu
        /// gelu_pytorch_tanh(gate) * up (Gemma).
        case geluTanh
    }

    /// What Gemma 3 adds to the Llama layout. Each Gemma field is nil or off for the other families.
    public struct GemmaExtras: Sendable, Equatable {
        /// Token embeddings are multiplied by this (sqrt(hiddenSize)) before the first layer.
        public var embeddingMultiplier: Float
        /// Layer i attends to every earlier key when (i + 1) is a multiple of this; the other layers
        /// to the last `slidingWindow` keys, with rotary base `localRopeTheta`.
        public var slidingWindowPattern: Int
        /// Rotary base of the sliding-window layers (the global layers use ropeTheta and its scaling).
        public var localRopeTheta: Float
        /// q·k is multiplied by 1 / sqrt(queryPreAttnScalar).
        public var queryPreAttnScalar: Float

        public init(embeddingMultiplier: Float, slidingWindowPattern: Int, localRopeTheta: Float, queryPreAttnScalar: Float) {
            self.embeddingMultiplier = embeddingMultiplier
            self.slidingWindowPattern = slidingWindowPattern
            self.localRopeTheta = localRopeTheta
            self.queryPreAttnScalar = queryPreAttnScalar
        }
    }

    /// A mixture-of-experts MLP in every layer (Mixtral, Qwen2-MoE, Qwen3-MoE): a router picks
    /// `numExpertsUsed` of `numExperts` SiLU-gated experts per token and mixes their outputs.
    public struct MixtureOfExperts: Sendable, Equatable {
        public var numExperts: Int
        /// Experts each token runs (top-k of the router's softmax).
        public var numExpertsUsed: Int
        /// Width of each expert's gate/up projections.
        public var expertIntermediateSize: Int
        /// Whether the k chosen probabilities are divided by their sum (Mixtral, Qwen3-MoE) or used
        /// as they are (Qwen2-MoE).
        public var normalizeTopKProbabilities: Bool
        /// Multiplies the mixing weights (1: none).
        public var routedScalingFactor: Float
        /// Width of the always-run shared expert, nil without one (Qwen2-MoE: its output is scaled by
        /// sigmoid(w · h) before it joins the routed experts').
        public var sharedExpertIntermediateSize: Int?

        public init(numExperts: Int, numExpertsUsed: Int, expertIntermediateSize: Int, normalizeTopKProbabilities: Bool,
                    routedScalingFactor: Float = 1, sharedExpertIntermediateSize: Int? = nil) {
            self.numExperts = numExperts
            self.numExpertsUsed = numExpertsUsed
            self.expertIntermediateSize = expertIntermediateSize
            self.normalizeTopKProbabilities = normalizeTopKProbabilities
            self.routedScalingFactor = routedScalingFactor
            self.sharedExpertIntermediateSize = sharedExpertIntermediateSize
        }

        /// The widest MLP activation a layer computes.
        public var widestIntermediateSize: Int { max(expertIntermediateSize, sharedExpertIntermediateSize ?? 0) }
    }

    public var architecture: Architecture
    public var numLayers: Int
    public var hiddenSize: Int
    /// Width of the MLP's gate/up projections.
    public var intermediateSize: Int
    /// Query heads.
    public var numHeads: Int
    /// Key/value heads (grouped-query attention when fewer than `numHeads`).
    public var numKVHeads: Int
    public var headDim: Int
    public var vocabSize: Int
    public var maxPositionEmbeddings: Int
    public var rmsNormEps: Float
    public var ropeTheta: Float
    public var ropeScaling: RopeScaling?
    /// The output projection reuses the token embedding matrix.
    public var tieWordEmbeddings: Bool
    /// q, k and v projections carry biases.
    public var qkvBias: Bool
    /// The attention output projection carries a bias.
    public var outputBias: Bool
    /// The MLP projections carry biases.
    public var mlpBias: Bool
    /// Per-head RMSNorm on queries and keys before RoPE (Qwen3).
    public var qkNorm: Bool
    public var bosTokenID: Int?
    /// Every id that ends generation.
    public var eosTokenIDs: [Int]
    /// Attention window in tokens, nil for full attention. Applied only where `gemma` says
    /// which layers use it; other families' windows (Mistral) are not applied.
    public var slidingWindow: Int?
    /// The MLP gate's activation.
    public var hiddenActivation: HiddenActivation
    /// Norms after attention and after the MLP, before each residual add (Gemma's
    /// post_attention_norm and post_ffw_norm).
    public var postNorms: Bool
    /// Gemma 3's embedding scale, sliding-window layer pattern, local rotary base and query scale.
    public var gemma: GemmaExtras?
    /// The mixture-of-experts MLP, nil for dense models.
    public var moe: MixtureOfExperts?
    /// config.json's `quantization_config`, nil for unquantized checkpoints (and GGUF files,
    /// whose quantization is in each tensor's type).
    public var quantization: QuantizationConfig?

    public init(architecture: Architecture, numLayers: Int, hiddenSize: Int, intermediateSize: Int,
                numHeads: Int, numKVHeads: Int, headDim: Int, vocabSize: Int, maxPositionEmbeddings: Int,
                rmsNormEps: Float, ropeTheta: Float, ropeScaling: RopeScaling? = nil,
                tieWordEmbeddings: Bool, qkvBias: Bool = false, outputBias: Bool = false,
                mlpBias: Bool = false, qkNorm: Bool = false, bosTokenID: Int? = nil,
                eosTokenIDs: [Int] = [], slidingWindow: Int? = nil, hiddenActivation: HiddenActivation = .silu,
                postNorms: Bool = false, gemma: GemmaExtras? = nil, moe: MixtureOfExperts? = nil) {
        self.architecture = architecture
        self.numLayers = numLayers
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.numHeads = numHeads
        self.numKVHeads = numKVHeads
        self.headDim = headDim
        self.vocabSize = vocabSize
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        self.ropeScaling = ropeScaling
        self.tieWordEmbeddings = tieWordEmbeddings
        self.qkvBias = qkvBias
        self.outputBias = outputBias
        self.mlpBias = mlpBias
        self.qkNorm = qkNorm
        self.bosTokenID = bosTokenID
        self.eosTokenIDs = eosTokenIDs
        self.slidingWindow = slidingWindow
        self.hiddenActivation = hiddenActivation
        self.postNorms = postNorms
        self.gemma = gemma
        self.moe = moe
    }

    /// The widest MLP activation any layer computes (the dense MLP's, or the experts').
    public var widestIntermediateSize: Int { moe?.widestIntermediateSize ?? intermediateSize }

    /// The window of layer `layer`'s attention in tokens, 0 for full causal attention.
    public func attentionWindow(layer: Int) -> Int {
        guard let gemma, let window = slidingWindow, (layer + 1) % gemma.slidingWindowPattern != 0 else { return 0 }
        return window
    }

    /// The fields that validation can blame, spelled per source file by `name`.
    enum Field: CaseIterable {
        case numLayers, hiddenSize, intermediateSize, numHeads, numKVHeads, headDim, vocabSize
        case maxPositionEmbeddings, rmsNormEps, ropeTheta, bosTokenID, eosTokenIDs, slidingWindow
        case numExperts, numExpertsUsed, expertIntermediateSize, sharedExpertIntermediateSize, routedScalingFactor
    }

    /// Checks sizes are positive, heads divide evenly, RoPE head dimension is even and token ids
    /// lie in the vocabulary. `name` spells a field as the source file does.
    func validate(file: String, name: (Field) -> String) throws {
        let sizes: [(Field, Int)] = [
            (.numLayers, numLayers), (.hiddenSize, hiddenSize), (.intermediateSize, intermediateSize),
            (.numHeads, numHeads), (.numKVHeads, numKVHeads), (.headDim, headDim),
            (.vocabSize, vocabSize), (.maxPositionEmbeddings, maxPositionEmbeddings),
        ]
        for (field, value) in sizes where value <= 0 {
            throw ModelConfigError.invalidValue(file: file, field: name(field), value: "\(value)", reason: "must be positive")
        }
        guard numHeads % numKVHeads == 0 else {
            throw ModelConfigError.notDivisible(file: file, field: name(.numHeads), value: numHeads,
                                                divisorField: name(.numKVHeads), divisor: numKVHeads)
        }
        guard headDim % 2 == 0 else {
            throw ModelConfigError.invalidValue(file: file, field: name(.headDim), value: "\(headDim)",
                                                reason: "rotary embeddings need an even head dimension")
        }
        for (field, value) in [(Field.rmsNormEps, rmsNormEps), (.ropeTheta, ropeTheta)] where !(value > 0 && value.isFinite) {
            throw ModelConfigError.invalidValue(file: file, field: name(field), value: "\(value)", reason: "must be a positive number")
        }
        if let window = slidingWindow, window <= 0 {
            throw ModelConfigError.invalidValue(file: file, field: name(.slidingWindow), value: "\(window)", reason: "must be positive")
        }
        if let gemma, gemma.slidingWindowPattern <= 0 || !(gemma.queryPreAttnScalar > 0) || !(gemma.localRopeTheta > 0) {
            throw ModelConfigError.invalidValue(file: file, field: name(.slidingWindow), value: "\(gemma)",
                                                reason: "Gemma's window pattern, query scale and local rotary base must be positive")
        }
        if let moe {
            let sizes: [(Field, Int)] = [(.numExperts, moe.numExperts), (.numExpertsUsed, moe.numExpertsUsed),
                                         (.expertIntermediateSize, moe.expertIntermediateSize),
                                         (.sharedExpertIntermediateSize, moe.sharedExpertIntermediateSize ?? 1)]
            for (field, value) in sizes where value <= 0 {
                throw ModelConfigError.invalidValue(file: file, field: name(field), value: "\(value)", reason: "must be positive")
            }
            guard moe.numExpertsUsed <= moe.numExperts else {
                throw ModelConfigError.invalidValue(file: file, field: name(.numExpertsUsed), value: "\(moe.numExpertsUsed)",
                                                    reason: "more than the \(moe.numExperts) experts")
            }
            guard moe.routedScalingFactor > 0, moe.routedScalingFactor.isFinite else {
                throw ModelConfigError.invalidValue(file: file, field: name(.routedScalingFactor), value: "\(moe.routedScalingFactor)",
                                                    reason: "the experts' weight scale must be a positive number")
            }
        }
        if let bos = bosTokenID, !(0..<vocabSize).contains(bos) {
            throw ModelConfigError.invalidValue(file: file, field: name(.bosTokenID), value: "\(bos)",
                                                reason: "not a token id of the \(vocabSize)-token vocabulary")
        }
        for eos in eosTokenIDs where !(0..<vocabSize).contains(eos) {
            throw ModelConfigError.invalidValue(file: file, field: name(.eosTokenIDs), value: "\(eos)",
                                                reason: "not a token id of the \(vocabSize)-token vocabulary")
        }
    }
}
