import Foundation
import Kernels
import ModelFormats

/// A BERT encoder (transformers' `BertModel`: word + position + token-type embeddings, post-norm
/// layers of bidirectional attention and an erf-GELU MLP) run on the worker pool's f32 matmul.
/// Sequences in a batch share every matmul; each attends only to itself. No KV cache: an encoder
/// reads its whole input at once (vLLM's encoder-only attention).
public final class BertModel {
    public let config: BertConfig
    let weights: BertWeights
    let pool: WorkerPool
    private var scratch: BertScratch

    /// Reads `directory`/config.json and the safetensors checkpoint beside it.
    public init(directory: URL, pool: WorkerPool) throws {
        let configPath = directory.appendingPathComponent("config.json").path
        config = try BertConfig.load(path: configPath)
        let checkpoint = try SafeTensorsCheckpoint(directory: directory)
        weights = try BertWeights(checkpoint: checkpoint, config: config, file: directory.path)
        self.pool = pool
        scratch = BertScratch(numTokens: 0, config: config)
    }

    /// The last layer's hidden states of each sequence, concatenated in order: [sum of lengths, hidden].
    /// Throws (`ForwardError.valueOutOfRange`) for an empty sequence, one longer than
    /// max_position_embeddings, or an id outside the vocabulary.
    public func hiddenStates(_ sequences: [[Int]]) throws -> [Float] {
        let total = sequences.reduce(0) { $0 + $1.count }
        try checkInputs(sequences)
        if scratch.numTokens < total { scratch = BertScratch(numTokens: total, config: config) }
        embed(sequences)
        for layer in weights.layers {
            runLayer(layer, lengths: sequences.map(\.count), numTokens: total)
        }
        return Array(UnsafeBufferPointer(start: scratch.x.pointer, count: total * config.hiddenSize))
    }

    /// x = LayerNorm(word[id] + position[t] + tokenType[0]) for every token.
    private func embed(_ sequences: [[Int]]) {
        let hidden = config.hiddenSize
        let x = scratch.x.pointer
        var row = 0
        for ids in sequences {
            for (position, id) in ids.enumerated() {
                let out = x + row * hidden
                let word = weights.wordEmbeddings.pointer + id * hidden
                let place = weights.positionEmbeddings.pointer + position * hidden
                let type = weights.tokenTypeEmbeddings.pointer
                for c in 0..<hidden { out[c] = word[c] + place[c] + type[c] }
                row += 1
            }
        }
        BertMath.layerNorm(x, rows: row, cols: hidden, norm: weights.embeddingNorm, eps: Float(config.layerNormEps))
    }

    private func runLayer(_ layer: BertLayerWeights, lengths: [Int], numTokens: Int) {
        let hidden = config.hiddenSize, inner = config.intermediateSize
        let s = scratch
        Kernels.matmul(layer.query.matrix, layer.key.matrix, layer.value.matrix, x: s.x.pointer, numTokens: numTokens,
                       y0: s.q.pointer, y1: s.k.pointer, y2: s.v.pointer, pool: pool)
        BertMath.addBias(s.q.pointer, layer.query.bias.pointer, rows: numTokens, cols: hidden)
        BertMath.addBias(s.k.pointer, layer.key.bias.pointer, rows: numTokens, cols: hidden)
        BertMath.addBias(s.v.pointer, layer.value.bias.pointer, rows: numTokens, cols: hidden)
        BertMath.attention(q: s.q.pointer, k: s.k.pointer, v: s.v.pointer, out: s.context.pointer, lengths: lengths,
                           numHeads: config.numAttentionHeads, headDim: hidden / config.numAttentionHeads, pool: pool)
        Kernels.matmul(layer.attentionOutput.matrix, x: s.context.pointer, numTokens: numTokens, y: s.q.pointer, pool: pool)
        BertMath.addBias(s.q.pointer, layer.attentionOutput.bias.pointer, rows: numTokens, cols: hidden)
        Kernels.add(s.x.pointer, s.q.pointer, count: numTokens * hidden)
        BertMath.layerNorm(s.x.pointer, rows: numTokens, cols: hidden, norm: layer.attentionNorm, eps: Float(config.layerNormEps))
        Kernels.matmul(layer.intermediate.matrix, x: s.x.pointer, numTokens: numTokens, y: s.inner.pointer, pool: pool)
        BertMath.addBias(s.inner.pointer, layer.intermediate.bias.pointer, rows: numTokens, cols: inner)
        BertMath.geluErf(s.inner.pointer, count: numTokens * inner)
        Kernels.matmul(layer.output.matrix, x: s.inner.pointer, numTokens: numTokens, y: s.q.pointer, pool: pool)
        BertMath.addBias(s.q.pointer, layer.output.bias.pointer, rows: numTokens, cols: hidden)
        Kernels.add(s.x.pointer, s.q.pointer, count: numTokens * hidden)
        BertMath.layerNorm(s.x.pointer, rows: numTokens, cols: hidden, norm: layer.outputNorm, eps: Float(config.layerNormEps))
    }
}

/// Run buffers for `numTokens` tokens (grown, never shrunk, when a larger batch comes).
struct BertScratch {
    let numTokens: Int
    /// [numTokens, hidden]: the residual stream; q, k, v and the attention context; q doubles as
    /// the output of the attention and MLP projections.
    let x, q, k, v, context: FloatBuffer
    /// [numTokens, intermediate]
    let inner: FloatBuffer

    init(numTokens: Int, config: BertConfig) {
        self.numTokens = numTokens
        let count = max(1, numTokens) * config.hiddenSize
        x = FloatBuffer(count: count)
        q = FloatBuffer(count: count)
        k = FloatBuffer(count: count)
        v = FloatBuffer(count: count)
        context = FloatBuffer(count: count)
        inner = FloatBuffer(count: max(1, numTokens) * config.intermediateSize)
    }
}
