import Kernels

/// The weights of one decoder layer. Matrices stay in their stored type (views into the
/// checkpoint's mapping); norm and bias vectors are converted to F32 once at load.
public struct LayerWeights: @unchecked Sendable {
    /// Pre-attention RMSNorm weight. [hiddenSize]
    public let attnNorm: FloatBuffer
    /// Query projection: numHeads * headDim rows of hiddenSize.
    public let q: WeightMatrix
    /// Key projection: numKVHeads * headDim rows of hiddenSize.
    public let k: WeightMatrix
    /// Value projection: numKVHeads * headDim rows of hiddenSize.
    public let v: WeightMatrix
    /// Attention output projection: hiddenSize rows of numHeads * headDim.
    public let o: WeightMatrix
    /// Query bias (Qwen2). [numHeads * headDim]
    public let qBias: FloatBuffer?
    /// Key bias (Qwen2). [numKVHeads * headDim]
    public let kBias: FloatBuffer?
    /// Value bias (Qwen2). [numKVHeads * headDim]
    public let vBias: FloatBuffer?
    /// Attention output bias. [hiddenSize]
    public let oBias: FloatBuffer?
    /// Per-head RMSNorm weight on queries (Qwen3). [headDim]
    public let qNorm: FloatBuffer?
    /// Per-head RMSNorm weight on keys (Qwen3). [headDim]
    public let kNorm: FloatBuffer?
    /// Pre-MLP RMSNorm weight. [hiddenSize]
    public let ffnNorm: FloatBuffer
    /// MLP gate projection: intermediateSize rows of hiddenSize (nil in mixture-of-experts layers).
    public let gate: WeightMatrix?
    /// MLP up projection: intermediateSize rows of hiddenSize (nil in mixture-of-experts layers).
    public let up: WeightMatrix?
    /// MLP down projection: hiddenSize rows of intermediateSize (nil in mixture-of-experts layers).
    public let down: WeightMatrix?
    /// MLP gate bias. [intermediateSize]
    public let gateBias: FloatBuffer?
    /// MLP up bias. [intermediateSize]
    public let upBias: FloatBuffer?
    /// MLP down bias. [hiddenSize]
    public let downBias: FloatBuffer?
    /// RMSNorm of the attention output before its residual add (Gemma). [hiddenSize]
    public let postAttnNorm: FloatBuffer?
    /// RMSNorm of the MLP output before its residual add (Gemma). [hiddenSize]
    public let postFFNNorm: FloatBuffer?
    /// The router and experts replacing the dense MLP, nil in dense layers.
    public let moe: MoEWeights?

    /// The dense projections: q, k, v, o, then gate, up, down where the layer has them.
    public var projections: [WeightMatrix] {
        [q, k, v, o] + [gate, up, down].compactMap { $0 }
    }
}

/// One layer's mixture of experts.
public struct MoEWeights: @unchecked Sendable {
    /// One SiLU-gated MLP.
    public struct Expert: @unchecked Sendable {
        /// expertIntermediateSize (or the shared width) rows of hiddenSize.
        public let gate: WeightMatrix
        /// Same shape as `gate`.
        public let up: WeightMatrix
        /// hiddenSize rows of the intermediate width.
        public let down: WeightMatrix
    }

    /// Router: numExperts rows of hiddenSize (one logit per expert).
    public let router: WeightMatrix
    /// The routed experts, in the file's order (views into its stacked tensors).
    public let experts: [Expert]
    /// Qwen2-MoE's always-run expert.
    public let shared: Expert?
    /// The shared expert's gate vector: its output is scaled by sigmoid(sharedGate · h). [hiddenSize]
    public let sharedGate: FloatBuffer?
}
