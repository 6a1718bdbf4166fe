import Kernels

extension LlamaModel {
    /// The decoder proper, on validated pointers. Allocates nothing.
    func run(_ b: ForwardPointers, cache: KVCacheStorage) {
        let c = config
        let n = b.numTokens
        let hiddenSize = c.hiddenSize
        let kvDim = c.numKVHeads * c.headDim
        let s = scratch
        let hidden = s.hidden.pointer
        let p = profiler  // profile laps: one nil test per op when off
        p?.beginForward(numTokens: n, numLogitsRows: b.numLogitsRows)

        for t in 0..<n {
            Kernels.dequantizeRow(weights.tokenEmbedding, row: Int(b.tokens[t]), into: hidden + t * hiddenSize)
        }
        if let multiplier = c.gemma?.embeddingMultiplier {
            for i in 0..<n * hiddenSize { hidden[i] *= multiplier }
        }
        p?.lap(.elementwise)
        for (index, layer) in weights.layers.enumerated() {
            // Attention block.
            Kernels.rmsNorm(x: hidden, weight: layer.attnNorm.pointer, eps: c.rmsNormEps,
                            numTokens: n, dim: hiddenSize, out: s.normed.pointer)
            p?.lap(.norms)
            project(layer.q, s.q.pointer, layer.k, s.k.pointer, layer.v, s.v.pointer, x: s.normed.pointer, numTokens: n)
            addBias(layer.qBias, numTokens: n, y: s.q.pointer, rows: layer.q.rows)
            addBias(layer.kBias, numTokens: n, y: s.k.pointer, rows: layer.k.rows)
            addBias(layer.vBias, numTokens: n, y: s.v.pointer, rows: layer.v.rows)
            p?.lap(.qkvProjection)
            if let qNorm = layer.qNorm, let kNorm = layer.kNorm {
                Kernels.rmsNorm(x: s.q.pointer, weight: qNorm.pointer, eps: c.rmsNormEps,
                                numTokens: n * c.numHeads, dim: c.headDim, out: s.q.pointer)
                Kernels.rmsNorm(x: s.k.pointer, weight: kNorm.pointer, eps: c.rmsNormEps,
                                numTokens: n * c.numKVHeads, dim: c.headDim, out: s.k.pointer)
                p?.lap(.norms)
            }
            // sliding-window layers (Gemma 3) keep the last `window` keys and their own rotary base
            let window = c.attentionWindow(layer: index)
            let invFreq = (window > 0 ? weights.localRope ?? weights.rope : weights.rope).invFreq.pointer
            Kernels.rope(s.q.pointer, numTokens: n, numHeads: c.numHeads, headDim: c.headDim,
                         positions: b.positions, invFreq: invFreq, pairing: weights.ropePairing)
            Kernels.rope(s.k.pointer, numTokens: n, numHeads: c.numKVHeads, headDim: c.headDim,
                         positions: b.positions, invFreq: invFreq, pairing: weights.ropePairing)
            p?.lap(.rope)
            let kCache = cache.keys(layer: index), vCache = cache.values(layer: index)
            let slotBytes = kvDim * cache.dtype.byteCount
            // sliding-window layers of a hybrid cache address their own pool
            let sliding = cache.usesSlidingPool[index]
            let slots = sliding ? b.slidingSlots ?? b.slots : b.slots
            let tables = sliding ? b.slidingBlockTables ?? b.blockTables : b.blockTables
            let tableWidth = sliding && b.slidingBlockTables != nil ? b.maxSlidingBlocksPerSeq : b.maxBlocksPerSeq
            // an FP8 cache with the checkpoint's per-layer scales holds k / k_scale and v / v_scale
            let scales = cache.dtype.isFP8 ? weights.kvCacheScales?[index] : nil
            if let scales {
                for i in 0..<n * kvDim {
                    s.k.pointer[i] /= scales.key
                    s.v.pointer[i] /= scales.value
                }
            }
            for t in 0..<n {  // K/V rows rounded to the cache's element type
                let slot = Int(slots[t]) * slotBytes
                Kernels.storeKV(s.k.pointer + t * kvDim, count: kvDim, dtype: cache.dtype, into: kCache + slot)
                Kernels.storeKV(s.v.pointer + t * kvDim, count: kvDim, dtype: cache.dtype, into: vCache + slot)
            }
            Kernels.pagedAttention(q: s.q.pointer, numTokens: n, numHeads: c.numHeads, numKVHeads: c.numKVHeads,
                                   headDim: c.headDim, kCache: kCache, vCache: vCache, kvDType: cache.dtype,
                                   blockSize: cache.blockSize,
                                   blockTables: tables, maxBlocksPerSeq: tableWidth,
                                   tokenSeq: b.tokenSeq, tokenPos: b.positions, scale: attentionScale * (scales?.key ?? 1),
                                   slidingWindow: window, out: s.attention.pointer, pool: pool)
            if let scales {  // sum of p_i (v_i / v_scale), scaled back
                for i in 0..<n * c.numHeads * c.headDim { s.attention.pointer[i] *= scales.value }
            }
            p?.lap(.attention)
            project(layer.o, s.projected.pointer, x: s.attention.pointer, numTokens: n)
            addBias(layer.oBias, numTokens: n, y: s.projected.pointer, rows: layer.o.rows)
            p?.lap(.outputProjection)
            postNorm(layer.postAttnNorm, numTokens: n, y: s.projected.pointer)
            Kernels.add(hidden, s.projected.pointer, count: n * hiddenSize)
            p?.lap(.elementwise)

            // MLP block.
            Kernels.rmsNorm(x: hidden, weight: layer.ffnNorm.pointer, eps: c.rmsNormEps,
                            numTokens: n, dim: hiddenSize, out: s.normed.pointer)
            p?.lap(.norms)
            if let moe = layer.moe, let spec = c.moe {
                mixtureOfExperts(moe, spec, numTokens: n, x: s.normed.pointer, out: s.projected.pointer)
            } else if let gate = layer.gate, let up = layer.up, let down = layer.down {
                project(gate, s.gate.pointer, up, s.up.pointer, x: s.normed.pointer, numTokens: n)
                addBias(layer.gateBias, numTokens: n, y: s.gate.pointer, rows: gate.rows)
                addBias(layer.upBias, numTokens: n, y: s.up.pointer, rows: up.rows)
                p?.lap(.ffnGateUp)
                switch c.hiddenActivation {
                case .silu:
                    Kernels.siluMul(gate: s.gate.pointer, up: s.up.pointer, count: n * c.intermediateSize, out: s.activated.pointer)
                case .geluTanh:
                    Kernels.geluTanhMul(gate: s.gate.pointer, up: s.up.pointer, count: n * c.intermediateSize, out: s.activated.pointer)
                }
                p?.lap(.elementwise)
                project(down, s.projected.pointer, x: s.activated.pointer, numTokens: n)
                addBias(layer.downBias, numTokens: n, y: s.projected.pointer, rows: down.rows)
                p?.lap(.ffnDown)
            }
            postNorm(layer.postFFNNorm, numTokens: n, y: s.projected.pointer)
            Kernels.add(hidden, s.projected.pointer, count: n * hiddenSize)
            p?.lap(.elementwise)
        }

        guard b.lmHead else {  // pooling: every token's final-norm hidden state
            Kernels.rmsNorm(x: hidden, weight: weights.outputNorm.pointer, eps: c.rmsNormEps,
                            numTokens: n, dim: hiddenSize, out: s.normed.pointer)
            p?.lap(.norms)
            return
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

    /// y_i = W_i x for one to three projections sharing their input x ([numTokens, w0.cols]), each
    /// y_i [numTokens, W_i rows], with x as the checkpoint's layers read it: W8A8 INT8 inputs on
    /// packed i8_b32 weights quantized once into the packed kernels' layout (exact integer sums);
    /// other quantized inputs rounded into scratch (per token, or with the matrix's static input
    /// scale); gathered into the matrices' column order when they have one (activation-ordered
    /// GPTQ). Matrices whose orders or input scales differ run apart.
    func project(_ w0: WeightMatrix, _ y0: UnsafeMutablePointer<Float>, _ w1: WeightMatrix? = nil, _ y1: UnsafeMutablePointer<Float>? = nil,
                 _ w2: WeightMatrix? = nil, _ y2: UnsafeMutablePointer<Float>? = nil, x: UnsafeMutablePointer<Float>, numTokens: Int) {
        let apart = { (w: WeightMatrix?) in w.map { $0.columnOrder != w0.columnOrder || $0.inputScale != w0.inputScale } ?? false }
        if apart(w1) || apart(w2) {
            project(w0, y0, x: x, numTokens: numTokens)
            if let w1, let y1 { project(w1, y1, x: x, numTokens: numTokens) }
            if let w2, let y2 { project(w2, y2, x: x, numTokens: numTokens) }
            return
        }
        let packedInt8 = { (w: WeightMatrix?) in w.map { $0.type == .i8_b32 && $0.packed != nil } ?? true }
        if activationQuantization == .int8PerToken, w0.columnOrder == nil, packedInt8(w0), packedInt8(w1), packedInt8(w2) {
            Kernels.int8QuantizeForPacked(x, rows: numTokens, cols: w0.cols, into: scratch.packedInput)
            profiler?.lap(.elementwise)
            Kernels.matmul(w0, w1 ?? w0, w2, packedInput: scratch.packedInput, numTokens: numTokens, y0: y0, y1: y1, y2: y2, pool: pool)
            return
        }
        let input = projectionInput(x, numTokens: numTokens, for: w0)
        if let w1, let y1 {
            Kernels.matmul(w0, w1, w2, x: input, numTokens: numTokens, y0: y0, y1: y1, y2: y2, pool: pool)
        } else {
            Kernels.matmul(w0, x: input, numTokens: numTokens, y: y0, pool: pool)
        }
    }

    /// `x` ([numTokens, w.cols]) as the projection `w` reads it: rounded per token into scratch
    /// when the checkpoint quantizes activations and `w` is one of its repacked matrices (layers it
    /// leaves unquantized read x unchanged), then gathered into `w`'s column order when it has one
    /// (activation-ordered GPTQ); x itself otherwise.
    private func projectionInput(_ x: UnsafeMutablePointer<Float>, numTokens: Int, for w: WeightMatrix) -> UnsafeMutablePointer<Float> {
        var input = x
        if let kind = activationQuantization, !w.type.isGGMLType {
            input = scratch.quantizedInput.pointer
            switch kind {
            case .fp8PerToken: Kernels.fp8QuantizeDequantizeRows(x, rows: numTokens, cols: w.cols, out: input)
            case .int8PerToken: Kernels.int8QuantizeDequantizeRows(x, rows: numTokens, cols: w.cols, out: input)
            case .fp8Static:
                if let scale = w.inputScale {
                    Kernels.fp8QuantizeDequantizeRows(x, rows: numTokens, cols: w.cols, scale: scale, out: input)
                } else {
                    input = x
                }
            }
        }
        if let order = w.columnOrder {
            order.gather(input, numTokens: numTokens, into: scratch.orderedInput.pointer)
            input = scratch.orderedInput.pointer
        }
        if input != x { profiler?.lap(.elementwise) }
        return input
    }

    /// y = RMSNorm(y) in place, [numTokens, hiddenSize] (Gemma's post-attention and post-MLP
    /// norms); nothing without a weight.
    private func postNorm(_ weight: FloatBuffer?, numTokens: Int, y: UnsafeMutablePointer<Float>) {
        guard let weight else { return }
        Kernels.rmsNorm(x: y, weight: weight.pointer, eps: config.rmsNormEps, numTokens: numTokens,
                        dim: config.hiddenSize, out: y)
        profiler?.lap(.norms)
    }

    /// y[t] += bias for each of the numTokens rows of y ([numTokens, rows]); nothing without a bias.
    private func addBias(_ bias: FloatBuffer?, numTokens: Int, y: UnsafeMutablePointer<Float>, rows: Int) {
        guard let bias else { return }
        for t in 0..<numTokens {
            Kernels.add(y + t * rows, bias.pointer, count: rows)
        }
    }
}
