import Kernels

extension LlamaModel {
    /// The decoder proper, on validated pointers. Allocates nothing.
    func run(_ b: ForwardPointers, cache: KVCacheStorage) {
        let c = config
        let n = b.numTokens
        let hiddenSize = c.hiddenSize
        let qDim = c.numHeads * c.headDim
        let kvDim = c.numKVHeads * c.headDim
        let s = scratch
        let hidden = s.hidden.pointer
        let p = profiler  // profile laps: one nil test per op when off
        p?.beginForward(numTokens: n, numLogitsRows: b.numLogitsRows)

        for t in 0..<n {
            Kernels.dequantizeRow(weights.tokenEmbedding, row: Int(b.tokens[t]), into: hidden + t * hiddenSize)
        }
        p?.lap(.elementwise)
        for (index, layer) in weights.layers.enumerated() {
            // Attention block.
            Kernels.rmsNorm(x: hidden, weight: layer.attnNorm.pointer, eps: c.rmsNormEps,
                            numTokens: n, dim: hiddenSize, out: s.normed.pointer)
            p?.lap(.norms)
            linear(layer.q, bias: layer.qBias, x: s.normed.pointer, numTokens: n, y: s.q.pointer)
            linear(layer.k, bias: layer.kBias, x: s.normed.pointer, numTokens: n, y: s.k.pointer)
            linear(layer.v, bias: layer.vBias, x: s.normed.pointer, numTokens: n, y: s.v.pointer)
            p?.lap(.qkvProjection)
            if let qNorm = layer.qNorm, let kNorm = layer.kNorm {
                Kernels.rmsNorm(x: s.q.pointer, weight: qNorm.pointer, eps: c.rmsNormEps,
                                numTokens: n * c.numHeads, dim: c.headDim, out: s.q.pointer)
                Kernels.rmsNorm(x: s.k.pointer, weight: kNorm.pointer, eps: c.rmsNormEps,
                                numTokens: n * c.numKVHeads, dim: c.headDim, out: s.k.pointer)
                p?.lap(.norms)
            }
            Kernels.rope(s.q.pointer, numTokens: n, numHeads: c.numHeads, headDim: c.headDim,
                         positions: b.positions, invFreq: weights.rope.invFreq.pointer, pairing: weights.ropePairing)
            Kernels.rope(s.k.pointer, numTokens: n, numHeads: c.numKVHeads, headDim: c.headDim,
                         positions: b.positions, invFreq: weights.rope.invFreq.pointer, pairing: weights.ropePairing)
            p?.lap(.rope)
            let kCache = cache.keys(layer: index), vCache = cache.values(layer: index)
            let slotBytes = kvDim * cache.dtype.byteCount
            for t in 0..<n {  // K/V rows rounded to the cache's element type
                let slot = Int(b.slots[t]) * slotBytes
                Kernels.storeKV(s.k.pointer + t * kvDim, count: kvDim, dtype: cache.dtype, into: kCache + slot)
                Kernels.storeKV(s.v.pointer + t * kvDim, count: kvDim, dtype: cache.dtype, into: vCache + slot)
            }
            Kernels.pagedAttention(q: s.q.pointer, numTokens: n, numHeads: c.numHeads, numKVHeads: c.numKVHeads,
                                   headDim: c.headDim, kCache: kCache, vCache: vCache, kvDType: cache.dtype,
                                   blockSize: cache.blockSize,
                                   blockTables: b.blockTables, maxBlocksPerSeq: b.maxBlocksPerSeq,
                                   tokenSeq: b.tokenSeq, tokenPos: b.positions, scale: attentionScale,
                                   out: s.attention.pointer, pool: pool)
            p?.lap(.attention)
            linear(layer.o, bias: layer.oBias, x: s.attention.pointer, numTokens: n, y: s.projected.pointer)
            p?.lap(.outputProjection)
            Kernels.add(hidden, s.projected.pointer, count: n * hiddenSize)
            p?.lap(.elementwise)

            // MLP block.
            Kernels.rmsNorm(x: hidden, weight: layer.ffnNorm.pointer, eps: c.rmsNormEps,
                            numTokens: n, dim: hiddenSize, out: s.normed.pointer)
            p?.lap(.norms)
            linear(layer.gate, bias: layer.gateBias, x: s.normed.pointer, numTokens: n, y: s.gate.pointer)
            linear(layer.up, bias: layer.upBias, x: s.normed.pointer, numTokens: n, y: s.up.pointer)
            p?.lap(.ffnGateUp)
            Kernels.siluMul(gate: s.gate.pointer, up: s.up.pointer, count: n * c.intermediateSize, out: s.activated.pointer)
            p?.lap(.elementwise)
            linear(layer.down, bias: layer.downBias, x: s.activated.pointer, numTokens: n, y: s.projected.pointer)
            p?.lap(.ffnDown)
            Kernels.add(hidden, s.projected.pointer, count: n * hiddenSize)
            p?.lap(.elementwise)
        }

        // Final norm and LM head on the requested rows only.
        guard let rows = b.logitsRows, b.numLogitsRows > 0 else { return }
        for r in 0..<b.numLogitsRows {
            (s.logitsInput.pointer + r * hiddenSize).update(from: hidden + Int(rows[r]) * hiddenSize, count: hiddenSize)
        }
        Kernels.rmsNorm(x: s.logitsInput.pointer, weight: weights.outputNorm.pointer, eps: c.rmsNormEps,
                        numTokens: b.numLogitsRows, dim: hiddenSize, out: s.logitsInput.pointer)
        p?.lap(.norms)
        Kernels.matmul(weights.output, x: s.logitsInput.pointer, numTokens: b.numLogitsRows, y: s.logits.pointer, pool: pool)
        p?.lap(.logits)
    }

    /// y = W x (+ bias on every token).
    private func linear(_ w: WeightMatrix, bias: FloatBuffer?, x: UnsafePointer<Float>, numTokens: Int,
                        y: UnsafeMutablePointer<Float>) {
        Kernels.matmul(w, x: x, numTokens: numTokens, y: y, pool: pool)
        guard let bias else { return }
        for t in 0..<numTokens {
            Kernels.add(y + t * w.rows, bias.pointer, count: w.rows)
        }
    }
}
