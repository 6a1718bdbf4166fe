import ModelFormats

/// The buffers of the mixture-of-experts MLP, allocated once for the largest batch (only for
/// models with experts).
final class MoEScratch: @unchecked Sendable {
    /// Router logits, then probabilities. [maxNumBatchedTokens, numExperts]
    let routerLogits: FloatBuffer
    /// Tokens of the batch grouped by expert (expert 0's first, ascending token order within one
    /// expert). [maxNumBatchedTokens * numExpertsUsed]
    let groupedTokens: UnsafeMutablePointer<Int32>
    /// The mixing weight of each entry of `groupedTokens`. [maxNumBatchedTokens * numExpertsUsed]
    let groupedWeights: FloatBuffer
    /// Entries per expert, then the running fill position. [numExperts]
    let expertCounts: UnsafeMutablePointer<Int>
    /// Start of each expert's group in `groupedTokens`. [numExperts + 1]
    let expertOffsets: UnsafeMutablePointer<Int>
    /// Each token's chosen experts and weights, in rank order. [maxNumBatchedTokens * numExpertsUsed]
    let chosenExperts: UnsafeMutablePointer<Int32>
    let chosenWeights: FloatBuffer
    /// The normed rows routed to one expert, gathered. [maxNumBatchedTokens, hiddenSize]
    let gathered: FloatBuffer
    /// One expert's output rows before mixing. [maxNumBatchedTokens, hiddenSize]
    let expertOut: FloatBuffer

    init(config c: ModelConfig, moe: ModelConfig.MixtureOfExperts, maxNumBatchedTokens n: Int) {
        let entries = n * moe.numExpertsUsed
        routerLogits = FloatBuffer(count: n * moe.numExperts)
        groupedTokens = .allocate(capacity: entries)
        groupedTokens.initialize(repeating: 0, count: entries)
        groupedWeights = FloatBuffer(count: entries)
        expertCounts = .allocate(capacity: moe.numExperts)
        expertCounts.initialize(repeating: 0, count: moe.numExperts)
        expertOffsets = .allocate(capacity: moe.numExperts + 1)
        expertOffsets.initialize(repeating: 0, count: moe.numExperts + 1)
        chosenExperts = .allocate(capacity: entries)
        chosenExperts.initialize(repeating: 0, count: entries)
        chosenWeights = FloatBuffer(count: entries)
        gathered = FloatBuffer(count: n * c.hiddenSize)
        expertOut = FloatBuffer(count: n * c.hiddenSize)
    }

    deinit {
        groupedTokens.deallocate()
        expertCounts.deallocate()
        expertOffsets.deallocate()
        chosenExperts.deallocate()
    }
}
