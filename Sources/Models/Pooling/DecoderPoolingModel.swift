import Kernels

/// A Llama-family decoder run as a pooling model (vLLM's `--runner pooling` on a generative
/// model): each input is one causal prefill, and the final-norm hidden state of every token goes
/// to the pooler; the LM head never runs. Inputs share forwards up to `maxNumBatchedTokens` tokens
/// and `maxNumSeqs` inputs; each has its own run of blocks in a private KV cache that the next
/// forward overwrites. Not reentrant.
public final class DecoderPoolingModel: PoolingModel {
    public let model: LlamaModel
    /// Tokens per KV block.
    public let blockSize: Int
    /// Most tokens and inputs one forward takes (an input up to `maxPositions` always fits).
    public let maxNumBatchedTokens: Int
    public let maxNumSeqs: Int
    public let maxPositions: Int
    /// Blocks for one forward: every token plus one partly filled block per input.
    /// [numBlocks, blockSize, kvHeads, headDim] per layer.
    private let cache: KVCacheStorage

    public var hiddenSize: Int { model.config.hiddenSize }
    public var vocabSize: Int { model.config.vocabSize }
    public var numLayers: Int { model.config.numLayers }

    /// `maxModelLen`: most tokens of one input (at most the model's positions, default those).
    /// Forwards take up to max(maxNumBatchedTokens, maxModelLen) tokens.
    public init(weights: ModelWeights, pool: WorkerPool, maxModelLen: Int? = nil, maxNumBatchedTokens: Int = 2048,
                maxNumSeqs: Int = 64, blockSize: Int = 16, kvCacheDType: KVCacheDType = .float32) throws {
        let positions = weights.config.maxPositionEmbeddings
        let length = min(maxModelLen ?? positions, positions)
        guard length >= 1 else {
            throw ForwardError.valueOutOfRange(field: "max_model_len", index: 0, value: length, validRange: 1..<positions + 1)
        }
        guard maxNumSeqs >= 1, blockSize >= 1 else { throw ForwardError.invalidCacheSize(numBlocks: maxNumSeqs, blockSize: blockSize) }
        maxPositions = length
        self.blockSize = blockSize
        self.maxNumSeqs = maxNumSeqs
        self.maxNumBatchedTokens = max(maxNumBatchedTokens, length)
        model = try LlamaModel(weights: weights, pool: pool, maxNumBatchedTokens: self.maxNumBatchedTokens,
                               maxNumLogitsRows: 1, maxNumSeqs: maxNumSeqs)
        let blocks = (self.maxNumBatchedTokens + blockSize - 1) / blockSize + maxNumSeqs
        cache = try KVCacheStorage(config: weights.config, numBlocks: blocks, blockSize: blockSize, dtype: kvCacheDType,
                                   numSlidingBlocks: nil)
    }

    public func hiddenStates(_ inputs: [[Int]]) throws -> [Float] {
        try checkInputs(inputs)
        var out: [Float] = []
        out.reserveCapacity(inputs.reduce(0) { $0 + $1.count } * hiddenSize)
        var start = 0
        while start < inputs.count {
            var end = start, tokens = 0
            while end < inputs.count, end - start < maxNumSeqs, end == start || tokens + inputs[end].count <= maxNumBatchedTokens {
                tokens += inputs[end].count
                end += 1
            }
            let rows = try model.hiddenStates(Self.batch(inputs[start..<end], blockSize: blockSize), cache: cache)
            out.append(contentsOf: rows)
            start = end
        }
        return out
    }

    /// One prefill per input from position 0, each input in consecutive blocks after the previous
    /// one's: slot = block * blockSize + position.
    public static func batch(_ inputs: ArraySlice<[Int]>, blockSize: Int) -> ForwardBatch {
        let blockCounts = inputs.map { ($0.count + blockSize - 1) / blockSize }
        let width = blockCounts.max() ?? 1
        var tokens: [Int32] = [], positions: [Int32] = [], slots: [Int32] = [], tokenSeq: [Int32] = []
        var tables = [Int32](repeating: -1, count: inputs.count * width)
        var firstBlock = 0
        for (row, (ids, count)) in zip(inputs, blockCounts).enumerated() {
            for b in 0..<count { tables[row * width + b] = Int32(firstBlock + b) }
            for (position, id) in ids.enumerated() {
                tokens.append(Int32(id))
                positions.append(Int32(position))
                slots.append(Int32(firstBlock * blockSize + position))
                tokenSeq.append(Int32(row))
            }
            firstBlock += count
        }
        return ForwardBatch(tokens: tokens, positions: positions, slotMapping: slots, tokenSeq: tokenSeq,
                            blockTables: tables, maxBlocksPerSeq: width, logitsRows: [])
    }
}
