import ModelFormats
import Kernels

/// Every buffer the forward pass writes, allocated once for the largest batch.
final class ForwardScratch: @unchecked Sendable {
    /// Residual stream. [maxNumBatchedTokens, hiddenSize]
    let hidden: FloatBuffer
    /// RMSNorm output feeding the projections. [maxNumBatchedTokens, hiddenSize]
    let normed: FloatBuffer
    /// Queries. [maxNumBatchedTokens, numHeads, headDim]
    let q: FloatBuffer
    /// Keys of this step. [maxNumBatchedTokens, numKVHeads, headDim]
    let k: FloatBuffer
    /// Values of this step. [maxNumBatchedTokens, numKVHeads, headDim]
    let v: FloatBuffer
    /// Attention output. [maxNumBatchedTokens, numHeads, headDim]
    let attention: FloatBuffer
    /// Output of o_proj and down_proj before the residual add. [maxNumBatchedTokens, hiddenSize]
    let projected: FloatBuffer
    /// MLP gate projection. [maxNumBatchedTokens, widestIntermediateSize]
    let gate: FloatBuffer
    /// MLP up projection. [maxNumBatchedTokens, widestIntermediateSize]
    let up: FloatBuffer
    /// silu(gate) * up. [maxNumBatchedTokens, widestIntermediateSize]
    let activated: FloatBuffer
    /// Final-normed hidden states of the logits rows. [maxNumLogitsRows, hiddenSize]
    let logitsInput: FloatBuffer
    /// Logits. [maxNumLogitsRows, vocabSize]
    let logits: FloatBuffer
    /// Highest position of each sequence in the batch, for validation. [maxNumSeqs]
    let seqMaxPosition: UnsafeMutablePointer<Int32>
    /// The mixture-of-experts buffers, nil for dense models.
    let moe: MoEScratch?
    /// A projection's input rounded per token through FP8 or INT8 (checkpoints with dynamic
    /// activation quantization; empty otherwise).
    /// [maxNumBatchedTokens, max(hiddenSize, numHeads * headDim, widestIntermediateSize)]
    let quantizedInput: FloatBuffer
    /// A projection's input gathered into its matrix's column order (activation-ordered GPTQ;
    /// empty otherwise). [maxNumBatchedTokens, max(hiddenSize, numHeads * headDim, widestIntermediateSize)]
    let orderedInput: FloatBuffer
    /// A projection's INT8 inputs in the packed kernels' layout (W8A8 checkpoints; 1 byte otherwise).
    /// [maxNumBatchedTokens, Kernels.packedActivationByteCount(cols: widest input)] bytes
    let packedInput: UnsafeMutableRawPointer

    init(config c: ModelConfig, maxNumBatchedTokens n: Int, maxNumLogitsRows r: Int, maxNumSeqs s: Int,
         quantizedActivations: Bool = false, int8Activations: Bool = false, columnOrders: Bool = false) {
        hidden = FloatBuffer(count: n * c.hiddenSize)
        normed = FloatBuffer(count: n * c.hiddenSize)
        q = FloatBuffer(count: n * c.numHeads * c.headDim)
        k = FloatBuffer(count: n * c.numKVHeads * c.headDim)
        v = FloatBuffer(count: n * c.numKVHeads * c.headDim)
        attention = FloatBuffer(count: n * c.numHeads * c.headDim)
        projected = FloatBuffer(count: n * c.hiddenSize)
        gate = FloatBuffer(count: n * c.widestIntermediateSize)
        up = FloatBuffer(count: n * c.widestIntermediateSize)
        activated = FloatBuffer(count: n * c.widestIntermediateSize)
        logitsInput = FloatBuffer(count: r * c.hiddenSize)
        logits = FloatBuffer(count: r * c.vocabSize)
        seqMaxPosition = .allocate(capacity: max(s, 1))
        seqMaxPosition.initialize(repeating: -1, count: max(s, 1))
        moe = c.moe.map { MoEScratch(config: c, moe: $0, maxNumBatchedTokens: n) }
        let widestInput = max(c.hiddenSize, c.numHeads * c.headDim, c.widestIntermediateSize)  // of any projection
        quantizedInput = FloatBuffer(count: quantizedActivations ? n * widestInput : 0)
        orderedInput = FloatBuffer(count: columnOrders ? n * widestInput : 0)
        packedInput = .allocate(byteCount: int8Activations ? n * Kernels.packedActivationByteCount(cols: widestInput) : 1, alignment: 64)
    }

    deinit {
        seqMaxPosition.deallocate()
        packedInput.deallocate()
    }
}
