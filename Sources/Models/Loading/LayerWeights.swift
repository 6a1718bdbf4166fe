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
    /// q, k, v biases (Qwen2). [numHeads * headDim], [numKVHeads * headDim] x 2
    public let qBias: FloatBuffer?
    public let kBias: FloatBuffer?
    public let vBias: FloatBuffer?
    /// Attention output bias. [hiddenSize]
    public let oBias: FloatBuffer?
    /// Per-head RMSNorm weights on queries and keys (Qwen3). [headDim]
    public let qNorm: FloatBuffer?
    public let kNorm: FloatBuffer?
    /// Pre-MLP RMSNorm weight. [hiddenSize]
    public let ffnNorm: FloatBuffer
    /// MLP projections: gate and up are intermediateSize rows of hiddenSize, down the reverse.
    public let gate: WeightMatrix
    public let up: WeightMatrix
    public let down: WeightMatrix
    /// MLP biases. [intermediateSize] x 2, [hiddenSize]
    public let gateBias: FloatBuffer?
    public let upBias: FloatBuffer?
    public let downBias: FloatBuffer?
}
