extension LlamaModel {
    /// Checks every index the kernels will follow, so a bad batch throws instead of reading
    /// outside a buffer. Allocates nothing unless it throws.
    func validate(_ batch: ForwardBatch, cache: KVCacheStorage) throws {
        let n = batch.numTokens
        guard n <= maxNumBatchedTokens else { throw ForwardError.batchTooLarge(field: "tokens", count: n, max: maxNumBatchedTokens) }
        try expectCount("positions", batch.positions.count, n)
        try expectCount("slotMapping", batch.slotMapping.count, n)
        try expectCount("tokenSeq", batch.tokenSeq.count, n)
        let width = batch.maxBlocksPerSeq
        guard width > 0, batch.blockTables.count % width == 0 else {
            throw ForwardError.lengthMismatch(field: "blockTables", count: batch.blockTables.count,
                                              expected: max(width, 1) * (batch.blockTables.count / max(width, 1)))
        }
        let numSeqs = batch.numSeqs
        guard numSeqs <= maxNumSeqs else { throw ForwardError.batchTooLarge(field: "sequences", count: numSeqs, max: maxNumSeqs) }
        guard batch.numLogitsRows <= maxNumLogitsRows else {
            throw ForwardError.batchTooLarge(field: "logits rows", count: batch.numLogitsRows, max: maxNumLogitsRows)
        }
        guard cache.numLayers == config.numLayers, cache.numKVHeads == config.numKVHeads, cache.headDim == config.headDim else {
            throw ForwardError.cacheMismatch(reason: "cache has \(cache.numLayers) layers x \(cache.numKVHeads) KV heads x \(cache.headDim), model needs \(config.numLayers) x \(config.numKVHeads) x \(config.headDim)")
        }
        let blockSize = cache.blockSize
        let seqMax = scratch.seqMaxPosition
        seqMax.update(repeating: -1, count: numSeqs)
        let maxPosition = min(width * blockSize, Int(Int32.max))
        for t in 0..<n {
            try check("tokens", t, Int(batch.tokens[t]), 0..<config.vocabSize)
            let position = Int(batch.positions[t])
            try check("positions", t, position, 0..<maxPosition)
            let seq = Int(batch.tokenSeq[t])
            try check("tokenSeq", t, seq, 0..<numSeqs)
            let block = Int(batch.blockTables[seq * width + position / blockSize])
            try check("blockTables", seq * width + position / blockSize, block, 0..<cache.numBlocks)
            let slot = block * blockSize + position % blockSize
            try check("slotMapping", t, Int(batch.slotMapping[t]), slot..<slot + 1)
            seqMax[seq] = max(seqMax[seq], Int32(position))
        }
        for seq in 0..<numSeqs where seqMax[seq] >= 0 {
            for index in 0...(Int(seqMax[seq]) / blockSize) {
                try check("blockTables", seq * width + index, Int(batch.blockTables[seq * width + index]), 0..<cache.numBlocks)
            }
        }
        if let numSliding = cache.numSlidingBlocks {
            try validateSlidingTables(batch, numBlocks: numSliding, blockSize: blockSize, seqMax: seqMax)
        }
        for (i, row) in batch.logitsRows.enumerated() {
            try check("logitsRows", i, Int(row), 0..<n)
        }
    }

    /// The sliding-window pool's tables and slots: every entry of a sequence up to its highest
    /// position's block (`seqMax`, from `validate`) is an id of that pool (the null block
    /// included), and each token's slot is the one its table gives.
    private func validateSlidingTables(_ batch: ForwardBatch, numBlocks: Int, blockSize: Int,
                                       seqMax: UnsafeMutablePointer<Int32>) throws {
        let n = batch.numTokens, width = batch.maxSlidingBlocksPerSeq
        try expectCount("slidingSlotMapping", batch.slidingSlotMapping.count, n)
        guard width > 0, batch.slidingBlockTables.count == batch.numSeqs * width else {
            throw ForwardError.lengthMismatch(field: "slidingBlockTables", count: batch.slidingBlockTables.count,
                                              expected: batch.numSeqs * max(width, 1))
        }
        for t in 0..<n {
            try check("positions", t, Int(batch.positions[t]), 0..<min(width * blockSize, Int(Int32.max)))
        }
        for seq in 0..<batch.numSeqs where seqMax[seq] >= 0 {
            for index in 0...(Int(seqMax[seq]) / blockSize) {
                try check("slidingBlockTables", seq * width + index, Int(batch.slidingBlockTables[seq * width + index]), 0..<numBlocks)
            }
        }
        for t in 0..<n {
            let position = Int(batch.positions[t]), seq = Int(batch.tokenSeq[t])
            let slot = Int(batch.slidingBlockTables[seq * width + position / blockSize]) * blockSize + position % blockSize
            try check("slidingSlotMapping", t, Int(batch.slidingSlotMapping[t]), slot..<slot + 1)
        }
    }

    private func expectCount(_ field: String, _ count: Int, _ expected: Int) throws {
        guard count == expected else { throw ForwardError.lengthMismatch(field: field, count: count, expected: expected) }
    }

    private func check(_ field: String, _ index: Int, _ value: Int, _ range: Range<Int>) throws {
        guard range.contains(value) else {
            throw ForwardError.valueOutOfRange(field: field, index: index, value: value, validRange: range)
        }
    }
}
