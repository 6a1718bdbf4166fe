import Kernels
import Models

/// Draft-model speculation (vLLM's `draft_model` method): a smaller model of the target's
/// vocabulary proposes each request's next tokens greedily (one-hot drafts, which the target's
/// rejection sampler verifies).
///
/// Its KV cache is paged by the target's block ids: block b of a request holds the target's KV
/// in the runner's storage and the draft's KV here, so the scheduler's block pool accounts for
/// both (`EngineCore.load` sizes the pool with both models' bytes per token), and the scheduler
/// gives each candidate blocks through its last draft's position before asking
/// (`writesDraftKV`). A request's `numDraftComputedTokens` counts its tokens with draft KV; the
/// drafts it fed (`draftKVTail`) count too once the target accepts them, so an accepted run costs
/// the draft no recomputation.
///
/// Per proposal: one pass catches each request up (its tokens since then, in chunks of the step
/// budget) and gives the first draft; each further pass feeds every request its last draft and
/// gives the next.
final class DraftModelProposer: DraftProposer {
    let k: Int
    var writesDraftKV: Bool { true }
    let model: LlamaModel
    let cache: KVCacheStorage
    let blockSize: Int
    /// Most requests per pass (the scratch's sequence and logits rows).
    let maxSeqsPerGroup: Int
    /// Tokens the draft model has run, all proposals together (for tests and profiles).
    private(set) var numFedTokens = 0
    // Run buffers, kept between proposals so their capacity is reused.
    private var tokens: [Int32] = []        // [numTokens]
    private var positions: [Int32] = []     // [numTokens]
    private var slotMapping: [Int32] = []   // [numTokens]
    private var tokenSeq: [Int32] = []      // [numTokens]
    private var logitsRows: [Int32] = []    // [numLogitsRows]
    private var blockTables: [Int32] = []   // [numSeqs, maxBlocksPerSeq]
    private var rowOwner: [Int] = []        // [numLogitsRows] the group row of each logits row

    /// A proposer running `weights` on the target's `pool`, for a pool of `config.numBlocks`
    /// blocks whose KV holds `kvCacheDType` elements.
    init(weights: ModelWeights, pool: WorkerPool, config: SchedulerConfig, numSpeculativeTokens: Int,
         kvCacheDType: KVCacheDType) throws {
        k = numSpeculativeTokens
        blockSize = config.blockSize
        maxSeqsPerGroup = max(1, min(config.maxNumSeqs, config.maxNumBatchedTokens, 64))
        model = try LlamaModel(weights: weights, pool: pool, maxNumBatchedTokens: config.maxNumBatchedTokens,
                               maxNumLogitsRows: maxSeqsPerGroup, maxNumSeqs: maxSeqsPerGroup)
        cache = try KVCacheStorage(config: weights.config, numBlocks: config.numBlocks, blockSize: config.blockSize,
                                   dtype: kvCacheDType)
    }

    func propose(_ candidates: [DraftCandidate]) throws -> [[Int]] {
        var drafts = [[Int]](repeating: [], count: candidates.count)
        for groupStart in stride(from: 0, to: candidates.count, by: maxSeqsPerGroup) {
            let group = Array(candidates[groupStart..<min(groupStart + maxSeqsPerGroup, candidates.count)])
            for (offset, tokens) in try proposeGroup(group).enumerated() { drafts[groupStart + offset] = tokens }
        }
        return drafts
    }

    /// The tokens of `request` with draft KV in its blocks: the counted ones, then the fed drafts
    /// that the target accepted (they equal the tokens at their positions), within its blocks.
    private func draftComputedTokens(_ candidate: DraftCandidate) -> Int {
        let request = candidate.request
        var computed = request.numDraftComputedTokens
        for draft in request.draftKVTail {
            guard computed < request.numTokens, request.allTokenIDs[computed] == draft else { break }
            computed += 1
        }
        return min(computed, candidate.blockIDs.count * blockSize, request.numTokens - 1)
    }

    /// Drafts for up to `maxSeqsPerGroup` candidates: catch-up passes, then one pass per draft.
    private func proposeGroup(_ group: [DraftCandidate]) throws -> [[Int]] {
        var drafts = [[Int]](repeating: [], count: group.count)
        var next = group.map(draftComputedTokens)  // next position each request feeds
        for candidate in group where candidate.request.numTokens - 2 + candidate.limit >= candidate.blockIDs.count * blockSize {
            throw EngineCoreError.inconsistentBatch("request \(candidate.request.requestID): \(candidate.limit) drafts after \(candidate.request.numTokens) tokens with \(candidate.blockIDs.count) blocks")
        }
        let maxBlocksPerSeq = group.reduce(1) { max($0, $1.blockIDs.count) }
        blockTables.removeAll(keepingCapacity: true)
        for candidate in group {
            for blockID in candidate.blockIDs { blockTables.append(Int32(truncatingIfNeeded: blockID)) }
            for _ in candidate.blockIDs.count..<maxBlocksPerSeq { blockTables.append(-1) }
        }
        // catch-up: each request's tokens from `next` to its end; the chunk that reaches the end
        // asks for the row of the first draft
        while drafts.contains(where: \.isEmpty) {
            resetBatch()
            var budget = model.maxNumBatchedTokens
            for (seq, candidate) in group.enumerated() where drafts[seq].isEmpty && budget > 0 {
                let request = candidate.request
                let count = min(request.numTokens - next[seq], budget)
                for position in next[seq]..<(next[seq] + count) {
                    append(token: request.allTokenIDs[position], position: position, seq: seq, candidate: candidate)
                }
                budget -= count
                next[seq] += count
                if next[seq] == request.numTokens {
                    logitsRows.append(Int32(truncatingIfNeeded: tokens.count - 1))
                    rowOwner.append(seq)
                }
            }
            try forwardAndTakeArgmax(maxBlocksPerSeq: maxBlocksPerSeq) { drafts[$0].append($1) }
        }
        // one pass per further draft: each request feeds its last draft
        for index in 1..<max(k, 1) {
            resetBatch()
            for (seq, candidate) in group.enumerated() where candidate.limit > index {
                append(token: drafts[seq][index - 1], position: candidate.request.numTokens + index - 1, seq: seq, candidate: candidate)
                logitsRows.append(Int32(truncatingIfNeeded: tokens.count - 1))
                rowOwner.append(seq)
            }
            guard !tokens.isEmpty else { break }
            try forwardAndTakeArgmax(maxBlocksPerSeq: maxBlocksPerSeq) { drafts[$0].append($1) }
        }
        for (seq, candidate) in group.enumerated() {
            candidate.request.numDraftComputedTokens = candidate.request.numTokens
            candidate.request.draftKVTail = Array(drafts[seq].dropLast())
        }
        return drafts
    }

    private func resetBatch() {
        tokens.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        slotMapping.removeAll(keepingCapacity: true)
        tokenSeq.removeAll(keepingCapacity: true)
        logitsRows.removeAll(keepingCapacity: true)
        rowOwner.removeAll(keepingCapacity: true)
    }

    /// Adds one token of group row `seq` at `position` (inside the request's blocks).
    private func append(token: Int, position: Int, seq: Int, candidate: DraftCandidate) {
        tokens.append(Int32(truncatingIfNeeded: token))
        positions.append(Int32(truncatingIfNeeded: position))
        slotMapping.append(Int32(truncatingIfNeeded: candidate.blockIDs[position / blockSize] * blockSize + position % blockSize))
        tokenSeq.append(Int32(truncatingIfNeeded: seq))
    }

    /// Runs the batch and hands each logits row's argmax to `take(seq, token)`.
    private func forwardAndTakeArgmax(maxBlocksPerSeq: Int, _ take: (Int, Int) -> Void) throws {
        let batch = ForwardBatch(tokens: tokens, positions: positions, slotMapping: slotMapping, tokenSeq: tokenSeq,
                                 blockTables: blockTables, maxBlocksPerSeq: maxBlocksPerSeq, logitsRows: logitsRows)
        let logits = try model.forward(batch, cache: cache)
        numFedTokens += tokens.count
        let vocabSize = model.config.vocabSize
        for (row, seq) in rowOwner.enumerated() {
            take(seq, Sampler.argmax(UnsafeBufferPointer(rebasing: logits[(row * vocabSize)..<((row + 1) * vocabSize)])))
        }
    }
}
