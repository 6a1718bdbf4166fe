import Kernels
import ModelFormats
import Models

/// Runs a scheduled step on the real model (vLLM `GPUModelRunner`, nano-vllm `ModelRunner`):
/// one flat `ForwardBatch` with every chunk's tokens, its block table, slot mapping and the
/// logits rows to sample from; then samples and computes logprobs per request.
public final class ModelRunner: ModelExecutor {
    public let model: LlamaModel
    /// The KV bytes, addressed by the scheduler's block ids.
    public let cache: KVCacheStorage
    public let pool: WorkerPool
    let sampler: Sampler
    let blockSize: Int
    // Batch arrays, kept between steps so their capacity is reused.
    private var tokens: [Int32] = []        // [numTokens]
    private var positions: [Int32] = []     // [numTokens]
    private var slotMapping: [Int32] = []   // [numTokens]
    private var tokenSeq: [Int32] = []      // [numTokens]
    private var logitsRows: [Int32] = []    // [numLogitsRows]
    private var slidingSlots: [Int32] = []  // [numTokens], with a sliding-window pool

    /// A runner for `weights` under `config` (its sizes bound the model's scratch and the KV pool),
    /// its KV cache holding `kvCacheDType` elements.
    public init(weights: ModelWeights, config: SchedulerConfig, numThreads: Int,
                kvCacheDType: KVCacheDType = .float32) throws {
        pool = WorkerPool(numThreads: max(1, numThreads))
        let maxNumSeqs = min(config.maxNumSeqs, config.maxNumBatchedTokens)
        let rows = config.enablePromptLogprobs ? config.maxNumBatchedTokens : config.maxNumSampledRows
        model = try LlamaModel(weights: weights, pool: pool, maxNumBatchedTokens: config.maxNumBatchedTokens,
                               maxNumLogitsRows: rows, maxNumSeqs: maxNumSeqs)
        cache = try KVCacheStorage(config: weights.config, numBlocks: config.numBlocks, blockSize: config.blockSize,
                                   dtype: kvCacheDType, numSlidingBlocks: config.numSlidingBlocks)
        sampler = Sampler(vocabSize: weights.config.vocabSize)
        blockSize = config.blockSize
    }

    /// KV bytes of one token for `config` stored as `dtype`: K and V, every layer, every KV head.
    public static func kvBytesPerToken(_ config: ModelConfig, dtype: KVCacheDType = .float32) -> Int {
        KVCacheStorage.bytesPerToken(config, dtype: dtype)
    }

    /// The model's sliding-window layers for `EngineConfig.resolve`: the window and their share of
    /// `kvBytesPerToken`; nil when every layer attends to every key.
    public static func slidingWindowKV(_ config: ModelConfig, dtype: KVCacheDType = .float32) -> (window: Int, kvBytesPerToken: Int)? {
        let numSliding = (0..<config.numLayers).count { config.attentionWindow(layer: $0) > 0 }
        guard numSliding > 0, let window = config.slidingWindow else { return nil }
        return (window, KVCacheStorage.bytesPerToken(config, dtype: dtype, numLayers: numSliding))
    }

    public func execute(_ output: SchedulerOutput) throws -> ModelRunnerOutput {
        for load in output.kvLoads where !cache.writeBlocks(load.blockIDs, bytes: load.bytes) {
            throw EngineCoreError.invalidConfig("pulled KV does not fit this engine's KV cache (\(load.bytes.count) bytes for \(load.blockIDs.count) blocks)")
        }
        let chunks = output.chunks
        let numTokens = output.numScheduledTokens
        tokens.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        slotMapping.removeAll(keepingCapacity: true)
        tokenSeq.removeAll(keepingCapacity: true)
        logitsRows.removeAll(keepingCapacity: true)
        slidingSlots.removeAll(keepingCapacity: true)
        tokens.reserveCapacity(numTokens)
        positions.reserveCapacity(numTokens)
        slotMapping.reserveCapacity(numTokens)
        tokenSeq.reserveCapacity(numTokens)
        let maxBlocksPerSeq = max(1, chunks.reduce(0) { max($0, $1.blockIDs.count) })
        var blockTables = [Int32](repeating: -1, count: chunks.count * maxBlocksPerSeq)  // [numSeqs, maxBlocksPerSeq]
        let hybrid = cache.numSlidingBlocks != nil
        let maxSlidingBlocksPerSeq = hybrid ? max(1, chunks.reduce(0) { max($0, $1.slidingBlockIDs.count) }) : 0
        var slidingTables = [Int32](repeating: -1, count: chunks.count * maxSlidingBlocksPerSeq)  // [numSeqs, maxSlidingBlocksPerSeq]
        // Per chunk: first logits row of its prompt logprobs and how many, and its sampling row.
        var promptRows = [(first: Int, count: Int)](repeating: (0, 0), count: chunks.count)
        var sampleRow = [Int](repeating: -1, count: chunks.count)

        for (seq, chunk) in chunks.enumerated() {
            let request = chunk.request
            for (column, blockID) in chunk.blockIDs.enumerated() {
                blockTables[seq * maxBlocksPerSeq + column] = Int32(truncatingIfNeeded: blockID)
            }
            for (column, blockID) in chunk.slidingBlockIDs.enumerated() where hybrid {
                slidingTables[seq * maxSlidingBlocksPerSeq + column] = Int32(truncatingIfNeeded: blockID)
            }
            let end = chunk.startPosition + chunk.numTokens
            let drafts = chunk.draftTokenIDs
            guard chunk.startPosition >= 0, end <= request.numTokens + drafts.count,
                  (end + blockSize - 1) / blockSize <= chunk.blockIDs.count,
                  !hybrid || (end + blockSize - 1) / blockSize <= chunk.slidingBlockIDs.count else {
                throw EngineCoreError.inconsistentBatch("request \(request.requestID): positions \(chunk.startPosition)..<\(end) with \(chunk.blockIDs.count) blocks")
            }
            let batchStart = tokens.count
            for position in chunk.startPosition..<end {
                tokens.append(Int32(truncatingIfNeeded: chunk.tokenID(at: position)))
                positions.append(Int32(truncatingIfNeeded: position))
                let slot = chunk.blockIDs[position / blockSize] * blockSize + position % blockSize
                slotMapping.append(Int32(truncatingIfNeeded: slot))
                if hybrid {
                    let slidingSlot = chunk.slidingBlockIDs[position / blockSize] * blockSize + position % blockSize
                    slidingSlots.append(Int32(truncatingIfNeeded: slidingSlot))
                }
                tokenSeq.append(Int32(truncatingIfNeeded: seq))
            }
            if chunk.wantsPromptLogprobs {
                // Row of position p predicts prompt token p + 1.
                let count = max(0, min(end, request.numPromptTokens - 1) - chunk.startPosition)
                promptRows[seq] = (logitsRows.count, count)
                for offset in 0..<count { logitsRows.append(Int32(truncatingIfNeeded: batchStart + offset)) }
            }
            if chunk.samples {
                // the last own token's row, then one per draft (each verifies the draft after it)
                sampleRow[seq] = logitsRows.count
                for row in (tokens.count - 1 - drafts.count)..<tokens.count { logitsRows.append(Int32(truncatingIfNeeded: row)) }
            }
        }

        var batch = ForwardBatch(tokens: tokens, positions: positions, slotMapping: slotMapping, tokenSeq: tokenSeq,
                                 blockTables: blockTables, maxBlocksPerSeq: maxBlocksPerSeq, logitsRows: logitsRows)
        if hybrid {
            batch.slidingBlockTables = slidingTables
            batch.maxSlidingBlocksPerSeq = maxSlidingBlocksPerSeq
            batch.slidingSlotMapping = slidingSlots
        }
        let logits = try model.forward(batch, cache: cache)
        let vocabSize = model.config.vocabSize
        func row(_ index: Int) -> UnsafeBufferPointer<Float> {
            UnsafeBufferPointer(rebasing: logits[(index * vocabSize)..<((index + 1) * vocabSize)])
        }

        var result = ModelRunnerOutput(sampledTokenIDs: [Int?](repeating: nil, count: chunks.count))
        for (seq, chunk) in chunks.enumerated() {
            let request = chunk.request
            if chunk.wantsPromptLogprobs, let k = request.params.promptLogprobs {
                let (first, count) = promptRows[seq]
                result.promptLogprobs[seq] = (0..<count).map { offset in
                    TokenLogprobs(logits: row(first + offset), chosen: request.allTokenIDs[chunk.startPosition + offset + 1], k: k)
                }
            }
            guard sampleRow[seq] >= 0 else { continue }
            // Each draft is verified against the row before it (rejection sampling; greedy: accepted
            // when it is the argmax, so the same tokens as one step per token). A rejection's token
            // ends the run; after a fully accepted run the last row samples one more. Drafting
            // requests have no history-dependent processors but a grammar: its matcher takes each
            // accepted draft, so the next row is masked as one step per token would mask it, and is
            // rolled back after (the update gives it the tokens again).
            let drafts = chunk.draftTokenIDs
            var history = request.samplingHistory()
            var accepted = 0, logitsRow = row(sampleRow[seq]), numGrammarTokens = 0
            var rejection: Int?
            while accepted < drafts.count {
                let verdict = sampler.verifyDraft(drafts[accepted], logits: logitsRow, params: request.params, history: history,
                                                  generator: &request.generator)
                guard verdict.accepted else {
                    rejection = verdict.token
                    break
                }
                if let grammar = request.grammar {
                    guard grammar.acceptToken(verdict.token) else {
                        // only the sampler's all-masked fallback takes a refused token: it ends the
                        // run as the step's token, and the update ends the request on it
                        rejection = verdict.token
                        break
                    }
                    numGrammarTokens += 1
                    history = request.samplingHistory()
                }
                if let k = request.params.logprobs {
                    result.draftLogprobs[seq] = (result.draftLogprobs[seq] ?? []) + [TokenLogprobs(logits: logitsRow, chosen: verdict.token, k: k)]
                }
                accepted += 1
                logitsRow = row(sampleRow[seq] + accepted)
            }
            let token = rejection ?? sampler.sample(logits: logitsRow, params: request.params, history: history, generator: &request.generator)
            request.grammar?.rollback(numGrammarTokens)
            result.numAcceptedDrafts[seq] = accepted
            result.sampledTokenIDs[seq] = token
            if let k = request.params.logprobs {
                result.logprobs[seq] = TokenLogprobs(logits: logitsRow, chosen: token, k: k)
            }
        }
        model.profiler?.lap(.sampling)  // profile hook: sampling and logprobs since the forward's last lap
        return result
    }
}
