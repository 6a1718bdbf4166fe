import Foundation
import Kernels
import ModelFormats
import Models
@testable import Engine

/// An independent reference for the engine's tests: one sequence decoded straight through the
/// model's forward pass over a fixed block table (prefill in chunks, then one token per step)
/// with the engine's sampler, and no scheduler, KV block pool, prefix cache or output processor.
/// The engine's outputs for a request alone or in a batch must equal what this gives (the kernels
/// are batch-invariant). Stop strings and detokenization are not applied.
final class DirectDecoder {
    struct Output: Equatable {
        var outputTokenIDs: [Int] = []
        var logprobs: [TokenLogprobs]?
        var promptLogprobs: [TokenLogprobs?]?
        var finishReason: FinishReason = .length
    }

    let model: LlamaModel
    let maxModelLen: Int
    let eosTokenIDs: Set<Int>
    private let cache: KVCacheStorage
    private let sampler: Sampler
    /// Blocks 0, 1, 2... in order: a token's slot is its position. [numBlocks]
    private let blockTable: [Int32]

    init(weights: ModelWeights, eosTokenIDs: Set<Int>, maxModelLen: Int, maxNumBatchedTokens: Int, numThreads: Int = 2) throws {
        let chunk = min(maxNumBatchedTokens, maxModelLen)
        model = try LlamaModel(weights: weights, pool: WorkerPool(numThreads: numThreads), maxNumBatchedTokens: chunk,
                               maxNumLogitsRows: chunk, maxNumSeqs: 1)
        let numBlocks = (maxModelLen + 15) / 16
        cache = try KVCacheStorage(config: weights.config, numBlocks: numBlocks, blockSize: 16, dtype: .defaultType)
        blockTable = (0..<numBlocks).map { Int32($0) }
        sampler = Sampler(vocabSize: weights.config.vocabSize)
        self.maxModelLen = maxModelLen
        self.eosTokenIDs = eosTokenIDs
    }

    /// Loads the model file at `path` (EOS ids as the engine finds them).
    convenience init(path: String, maxModelLen: Int, maxNumBatchedTokens: Int = 512) throws {
        let files = try ModelFiles.open(path)
        let config = try files.config.get()
        guard case .gguf(let file) = files.container else { throw GenerationError.invalidParams("a GGUF file is expected") }
        var eos = Set(config.eosTokenIDs)
        if let id = try files.loadTokenizer().eosTokenID { eos.insert(id) }
        if let ids = files.generationConfig?.eosTokenID?.ids { eos.formUnion(ids) }
        try self.init(weights: try ModelWeights(gguf: file, config: config), eosTokenIDs: eos, maxModelLen: maxModelLen,
                      maxNumBatchedTokens: maxNumBatchedTokens)
    }

    func generate(prompt: [Int], params: SamplingParams) throws -> Output {
        let vocabSize = model.config.vocabSize
        let counts = TokenCounts(promptTokenIDs: prompt)
        var output = Output()
        var generator = RandomGenerator(seed: params.seed ?? UInt64.random(in: 0...UInt64.max))
        if params.logprobs != nil { output.logprobs = [] }
        if params.promptLogprobs != nil { output.promptLogprobs = [nil] }
        // Prefill in chunks; the last chunk's last row gives the first output token's logits.
        var logits = UnsafeBufferPointer<Float>(start: nil, count: 0)
        var start = 0
        while start < prompt.count {
            let end = min(start + model.maxNumBatchedTokens, prompt.count)
            let rows: [Int32] = params.promptLogprobs != nil ? (0..<Int32(end - start)).map { $0 } : [Int32(end - start - 1)]
            let all = try forward(Array(prompt[start..<end]), at: start, logitsRows: rows)
            if let k = params.promptLogprobs {
                // Row r predicts prompt token start + r + 1.
                for r in 0..<(end - start) where start + r + 1 < prompt.count {
                    let row = UnsafeBufferPointer(rebasing: all[(r * vocabSize)..<((r + 1) * vocabSize)])
                    output.promptLogprobs?.append(TokenLogprobs(logits: row, chosen: prompt[start + r + 1], k: k))
                }
            }
            logits = UnsafeBufferPointer(rebasing: all[((rows.count - 1) * vocabSize)..<(rows.count * vocabSize)])
            start = end
        }
        var numTokens = prompt.count
        while true {
            counts.update(outputTokenIDs: output.outputTokenIDs)
            let history = SamplingHistory(outputTokenIDs: output.outputTokenIDs, eosTokenIDs: eosTokenIDs, tokenCounts: counts)
            let token = sampler.sample(logits: logits, params: params, history: history, generator: &generator)
            if let k = params.logprobs { output.logprobs?.append(TokenLogprobs(logits: logits, chosen: token, k: k)) }
            numTokens += 1
            output.outputTokenIDs.append(token)
            if !params.ignoreEOS && eosTokenIDs.contains(token) || params.stopTokenIDs.contains(token) {
                output.finishReason = .stop
                return output
            }
            if output.outputTokenIDs.count >= params.maxTokens || numTokens >= maxModelLen { return output }
            logits = try forward([token], at: numTokens - 1, logitsRows: [0])
        }
    }

    /// One forward over `tokens` at consecutive positions from `startPosition`.
    private func forward(_ tokens: [Int], at startPosition: Int, logitsRows: [Int32]) throws -> UnsafeBufferPointer<Float> {
        let positions = (0..<tokens.count).map { Int32(startPosition + $0) }
        let batch = ForwardBatch(tokens: tokens.map { Int32($0) }, positions: positions, slotMapping: positions,
                                 tokenSeq: [Int32](repeating: 0, count: tokens.count), blockTables: blockTable,
                                 maxBlocksPerSeq: blockTable.count, logitsRows: logitsRows)
        return try model.forward(batch, cache: cache)
    }
}
