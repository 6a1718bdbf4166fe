import Kernels
import ModelFormats

/// The Llama-family decoder (Llama, Mistral, Qwen2, Qwen3, Gemma 3 with its embedding scale,
/// post-norms, GELU gate and sliding-window layers, and mixture-of-experts MLPs: Mixtral, Qwen2/3-MoE) over a flat batch of tokens with a paged KV cache. All scratch memory is allocated here, once, for the largest batch; `forward`
/// allocates nothing. Not reentrant: one forward at a time.
///
/// Attention is full causal attention except on Gemma 3's sliding-window layers; other families'
/// `slidingWindow` (Mistral) is not applied. Those layers read their own pool of a hybrid
/// `KVCacheStorage` (the batch's sliding tables and slots), or the one pool otherwise.
public final class LlamaModel: @unchecked Sendable {
    /// The validated weights.
    public let weights: ModelWeights
    /// The weights' config.
    public var config: ModelConfig { weights.config }
    /// Most tokens one forward accepts.
    public let maxNumBatchedTokens: Int
    /// Most logits rows one forward returns.
    public let maxNumLogitsRows: Int
    /// Most block-table rows one forward accepts.
    public let maxNumSeqs: Int
    let pool: WorkerPool
    let scratch: ForwardScratch
    /// q·k multiplier: attentionFactor^2 / sqrt(headDim) (Gemma 3: / sqrt(queryPreAttnScalar)).
    let attentionScale: Float
    /// How each quantized projection's input is rounded first (`ModelWeights.activationQuantization`).
    let activationQuantization: ActivationQuantization?
    /// When set, the forward pass laps it after each op (`bench latency --profile`); nil costs
    /// one test per op.
    public var profiler: ForwardProfiler?

    /// Preallocates scratch for batches of up to `maxNumBatchedTokens` tokens, `maxNumSeqs`
    /// sequences (default: min(maxNumBatchedTokens, 256)) and `maxNumLogitsRows` logits rows
    /// (default: maxNumSeqs, one sampled token per sequence; the logits buffer holds
    /// maxNumLogitsRows * vocabSize floats).
    public init(weights: ModelWeights, pool: WorkerPool, maxNumBatchedTokens: Int,
                maxNumLogitsRows: Int? = nil, maxNumSeqs: Int? = nil) throws {
        let c = weights.config
        let seqs = maxNumSeqs ?? min(maxNumBatchedTokens, 256)
        let rows = maxNumLogitsRows ?? seqs
        let widest = max(c.hiddenSize, c.widestIntermediateSize, c.numHeads * c.headDim, (c.moe?.numExperts ?? 0))
        guard maxNumBatchedTokens > 0, rows > 0, seqs > 0,
              checkedProduct([maxNumBatchedTokens, widest, 16]) != nil, checkedProduct([rows, c.vocabSize, 4]) != nil
        else {
            throw ForwardError.batchTooLarge(field: "tokens (scratch size overflows)", count: maxNumBatchedTokens, max: 0)
        }
        self.weights = weights
        self.pool = pool
        self.maxNumBatchedTokens = maxNumBatchedTokens
        self.maxNumLogitsRows = rows
        self.maxNumSeqs = seqs
        self.activationQuantization = weights.activationQuantization
        self.scratch = ForwardScratch(config: c, maxNumBatchedTokens: maxNumBatchedTokens, maxNumLogitsRows: rows, maxNumSeqs: seqs,
                                      quantizedActivations: activationQuantization != nil,
                                      int8Activations: activationQuantization == .int8PerToken, columnOrders: weights.hasColumnOrders)
        let factor = weights.rope.attentionFactor
        self.attentionScale = factor * factor / (c.gemma?.queryPreAttnScalar ?? Float(c.headDim)).squareRoot()
    }

    /// Runs the decoder over `batch`, writing each token's K/V into `cache` at its slot, and
    /// returns the logits of `batch.logitsRows`: [numLogitsRows, vocabSize]. The buffer is the
    /// model's own and is overwritten by the next call.
    public func forward(_ batch: ForwardBatch, cache: KVCacheStorage) throws -> UnsafeBufferPointer<Float> {
        try validate(batch, cache: cache)
        guard batch.numTokens > 0 else { return UnsafeBufferPointer(start: scratch.logits.pointer, count: 0) }
        execute(batch, cache: cache, lmHead: true)
        return UnsafeBufferPointer(start: scratch.logits.pointer, count: batch.numLogitsRows * config.vocabSize)
    }

    /// Runs the decoder over `batch` as `forward` does but stops before the LM head: the final
    /// norm of every token's hidden state, [numTokens, hiddenSize] (what vLLM's pooling runner hands
    /// its pooler). `batch.logitsRows` is not read. The buffer is the model's own scratch and is
    /// overwritten by the next call.
    public func hiddenStates(_ batch: ForwardBatch, cache: KVCacheStorage) throws -> UnsafeBufferPointer<Float> {
        try validate(batch, cache: cache)
        guard batch.numTokens > 0 else { return UnsafeBufferPointer(start: scratch.normed.pointer, count: 0) }
        execute(batch, cache: cache, lmHead: false)
        return UnsafeBufferPointer(start: scratch.normed.pointer, count: batch.numTokens * config.hiddenSize)
    }

    /// `run` on a validated, non-empty batch's arrays.
    private func execute(_ batch: ForwardBatch, cache: KVCacheStorage, lmHead: Bool) {
        let n = batch.numTokens
        let numRows = lmHead ? batch.numLogitsRows : 0
        batch.tokens.withUnsafeBufferPointer { tokens in
            batch.positions.withUnsafeBufferPointer { positions in
                batch.slotMapping.withUnsafeBufferPointer { slots in
                    batch.tokenSeq.withUnsafeBufferPointer { tokenSeq in
                        batch.blockTables.withUnsafeBufferPointer { blockTables in
                            batch.logitsRows.withUnsafeBufferPointer { logitsRows in
                                batch.slidingSlotMapping.withUnsafeBufferPointer { slidingSlots in
                                    batch.slidingBlockTables.withUnsafeBufferPointer { slidingTables in
                                        // Validation guarantees n > 0 entries in each per-token array and a non-empty table
                                        // (and the sliding ones when the cache has a sliding pool).
                                        guard let t = tokens.baseAddress, let p = positions.baseAddress, let s = slots.baseAddress,
                                              let q = tokenSeq.baseAddress, let b = blockTables.baseAddress else { return }
                                        let hybrid = cache.numSlidingBlocks != nil
                                        run(ForwardPointers(numTokens: n, tokens: t, positions: p, slots: s, tokenSeq: q,
                                                            blockTables: b, maxBlocksPerSeq: batch.maxBlocksPerSeq,
                                                            logitsRows: logitsRows.baseAddress, numLogitsRows: numRows,
                                                            slidingSlots: hybrid ? slidingSlots.baseAddress : nil,
                                                            slidingBlockTables: hybrid ? slidingTables.baseAddress : nil,
                                                            maxSlidingBlocksPerSeq: batch.maxSlidingBlocksPerSeq,
                                                            lmHead: lmHead),
                                            cache: cache)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The batch's arrays as pointers, valid for one forward.
struct ForwardPointers {
    let numTokens: Int
    let tokens: UnsafePointer<Int32>
    let positions: UnsafePointer<Int32>
    let slots: UnsafePointer<Int32>
    let tokenSeq: UnsafePointer<Int32>
    let blockTables: UnsafePointer<Int32>
    let maxBlocksPerSeq: Int
    let logitsRows: UnsafePointer<Int32>?
    let numLogitsRows: Int
    /// The sliding-window pool's slots and tables (hybrid cache only).
    let slidingSlots: UnsafePointer<Int32>?
    let slidingBlockTables: UnsafePointer<Int32>?
    let maxSlidingBlocksPerSeq: Int
    /// False: end with every token's final-norm hidden state in `scratch.normed` instead of logits.
    var lmHead = true
}
