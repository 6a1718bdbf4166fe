import CKernels

extension Kernels {
    /// Paged causal attention for a flat batch of tokens from many sequences.
    /// q: [numTokens, numHeads, headDim]; kCache, vCache: [numBlocks, blockSize, numKVHeads, headDim]
    /// (one layer); blockTables: [numSeqs, maxBlocksPerSeq] Int32 block ids; tokenSeq: [numTokens]
    /// sequence row of each token; tokenPos: [numTokens] position of each token (it attends to
    /// positions 0...tokenPos of its sequence, whose K/V are already in the cache);
    /// out: [numTokens, numHeads, headDim]. GQA: query head h uses KV head h / (numHeads/numKVHeads).
    /// Online softmax over chunks of keys; `scale` multiplies q·k. `slidingWindow` > 0 limits each
    /// token to its last `slidingWindow` positions (tokenPos - slidingWindow < p <= tokenPos, as
    /// Gemma/Mistral sliding-window layers); 0 attends to all. Work is split over (token, KV head)
    /// pairs; results are bit-identical for any thread count.
    public static func pagedAttention(q: UnsafePointer<Float>, numTokens: Int, numHeads: Int, numKVHeads: Int,
                                      headDim: Int, kCache: UnsafePointer<Float>, vCache: UnsafePointer<Float>,
                                      blockSize: Int, blockTables: UnsafePointer<Int32>, maxBlocksPerSeq: Int,
                                      tokenSeq: UnsafePointer<Int32>, tokenPos: UnsafePointer<Int32>,
                                      scale: Float, slidingWindow: Int = 0, out: UnsafeMutablePointer<Float>,
                                      pool: WorkerPool) {
        pagedAttention(q: q, numTokens: numTokens, numHeads: numHeads, numKVHeads: numKVHeads, headDim: headDim,
                       kCache: kCache, vCache: vCache, blockSize: blockSize, blockTables: blockTables,
                       maxBlocksPerSeq: maxBlocksPerSeq, tokenSeq: tokenSeq, tokenPos: tokenPos,
                       scale: scale, slidingWindow: slidingWindow, out: out, pool: pool, isa: .current)
    }

    /// `pagedAttention` on the given instruction set.
    @_spi(Testing)
    public static func pagedAttention(q: UnsafePointer<Float>, numTokens: Int, numHeads: Int, numKVHeads: Int,
                                      headDim: Int, kCache: UnsafePointer<Float>, vCache: UnsafePointer<Float>,
                                      blockSize: Int, blockTables: UnsafePointer<Int32>, maxBlocksPerSeq: Int,
                                      tokenSeq: UnsafePointer<Int32>, tokenPos: UnsafePointer<Int32>,
                                      scale: Float, slidingWindow: Int = 0, out: UnsafeMutablePointer<Float>,
                                      pool: WorkerPool, isa: KernelISA) {
        pagedAttention(q: q, numTokens: numTokens, numHeads: numHeads, numKVHeads: numKVHeads, headDim: headDim,
                       kCache: UnsafeRawPointer(kCache), vCache: UnsafeRawPointer(vCache), kvDType: .float32,
                       blockSize: blockSize, blockTables: blockTables, maxBlocksPerSeq: maxBlocksPerSeq,
                       tokenSeq: tokenSeq, tokenPos: tokenPos, scale: scale, slidingWindow: slidingWindow,
                       out: out, pool: pool, isa: isa)
    }

    /// `pagedAttention` over a cache of `kvDType` elements (kCache, vCache: [numBlocks, blockSize,
    /// numKVHeads, headDim] of that type), widened to Float as they are read.
    public static func pagedAttention(q: UnsafePointer<Float>, numTokens: Int, numHeads: Int, numKVHeads: Int,
                                      headDim: Int, kCache: UnsafeRawPointer, vCache: UnsafeRawPointer,
                                      kvDType: KVCacheDType, blockSize: Int, blockTables: UnsafePointer<Int32>,
                                      maxBlocksPerSeq: Int, tokenSeq: UnsafePointer<Int32>,
                                      tokenPos: UnsafePointer<Int32>, scale: Float, slidingWindow: Int = 0,
                                      out: UnsafeMutablePointer<Float>, pool: WorkerPool,
                                      isa: KernelISA = .current) {
        if numTokens <= 0 || numKVHeads <= 0 { return }
        let isaValue = isa.clamped.cValue
        let scratchFloats = Int(sw_attention_scratch_floats(Int64(numHeads), Int64(numKVHeads), Int64(headDim),
                                                            Int64(blockSize)))
        let numItems = numTokens * numKVHeads
        let grain = numItems / (pool.numThreads * WorkerPool.piecesPerWorker)
        pool.forEachPiece(numItems, grain: grain, scratchFloats: scratchFloats) { range, scratch in
            sw_paged_attention(isaValue, q, Int64(numHeads), Int64(numKVHeads), Int64(headDim), kCache, vCache,
                               kvDType.cValue, Int64(blockSize), blockTables, Int64(maxBlocksPerSeq), tokenSeq, tokenPos, scale,
                               Int64(max(0, slidingWindow)), out, Int64(range.lowerBound), Int64(range.upperBound),
                               scratch)
        }
    }
}
