import Foundation
import Kernels
import ModelFormats
import Models
import SwiftletTokenizers

/// Runs one request at a time through the model: prefill in chunks of `maxNumBatchedTokens`,
/// then one decode step per token, each a `ForwardBatch` over a block table. It applies every
/// logits processor (penalties, min_tokens, bias, allowed ids, bad words) but not stop strings,
/// which live in the engine's output processor (`LLM`, `AsyncEngine`). This is the plain
/// driver behind `swiftlet generate`, `chat` and `bench latency`; the continuous-batching
/// scheduler drives the same forward pass with many requests.
///
/// The KV cache holds one sequence of `maxModelLen` tokens; the sequence takes blocks 0, 1, 2...
public final class Generator {
    public struct Options: Sendable {
        /// Context length; nil takes the model's own.
        public var maxModelLen: Int?
        /// Tokens in one prefill chunk.
        public var maxNumBatchedTokens: Int = 512
        public var blockSize: Int = 16
        /// Worker threads; nil uses every core.
        public var numThreads: Int?
        /// Room for prompt logprobs: logits of every prompt token in a chunk.
        public var enablePromptLogprobs = false
        /// Element type of the KV cache.
        public var kvCacheDType = KVCacheDType.defaultType
        public init(maxModelLen: Int? = nil, maxNumBatchedTokens: Int = 512, blockSize: Int = 16,
                    numThreads: Int? = nil, enablePromptLogprobs: Bool = false,
                    kvCacheDType: KVCacheDType = .defaultType) {
            self.maxModelLen = maxModelLen
            self.maxNumBatchedTokens = maxNumBatchedTokens
            self.blockSize = blockSize
            self.numThreads = numThreads
            self.enablePromptLogprobs = enablePromptLogprobs
            self.kvCacheDType = kvCacheDType
        }
    }

    public let files: ModelFiles
    public let tokenizer: Tokenizer
    public let model: LlamaModel
    public let pool: WorkerPool
    public let maxModelLen: Int
    public let options: Options
    /// Token ids that end a request unless `ignore_eos`.
    public let eosTokenIDs: Set<Int>
    let cache: KVCacheStorage
    let sampler: Sampler
    /// The sequence's block table: blocks 0..<numBlocks. [1, numBlocks]
    let blockTable: [Int32]
    /// The one-token batch of a decode step, updated in place so decoding allocates nothing.
    private var decodeBatch: ForwardBatch

    /// Loads the model at `path` (a .gguf file or an HF directory).
    public convenience init(path: String, options: Options = Options()) throws {
        let files = try ModelFiles.open(path)
        let config = try files.config.get()
        let weights: ModelWeights
        switch files.container {
        case .gguf(let file): weights = try ModelWeights(gguf: file, config: config)
        case .safetensors(let checkpoint): weights = try ModelWeights(safetensors: checkpoint, config: config)
        }
        try self.init(files: files, weights: weights, tokenizer: try files.loadTokenizer(), options: options)
    }

    public init(files: ModelFiles, weights: ModelWeights, tokenizer: Tokenizer, options: Options) throws {
        let config = weights.config
        let maxModelLen = options.maxModelLen ?? config.maxPositionEmbeddings
        guard maxModelLen >= 1, options.maxNumBatchedTokens >= 1, options.blockSize >= 1 else {
            throw GenerationError.invalidParams("max-model-len, max-num-batched-tokens and block-size must be positive")
        }
        if maxModelLen > config.maxPositionEmbeddings {
            throw GenerationError.invalidParams("max-model-len \(maxModelLen) is above the model's context length \(config.maxPositionEmbeddings)")
        }
        self.files = files
        self.tokenizer = tokenizer
        self.options = options
        self.maxModelLen = maxModelLen
        let threads = options.numThreads ?? ProcessInfo.processInfo.activeProcessorCount
        pool = WorkerPool(numThreads: max(1, threads))
        let chunk = min(options.maxNumBatchedTokens, maxModelLen)
        model = try LlamaModel(weights: weights, pool: pool, maxNumBatchedTokens: chunk,
                               maxNumLogitsRows: options.enablePromptLogprobs ? chunk : 1, maxNumSeqs: 1)
        let numBlocks = (maxModelLen + options.blockSize - 1) / options.blockSize
        cache = try KVCacheStorage(config: config, numBlocks: numBlocks, blockSize: options.blockSize,
                                     dtype: options.kvCacheDType)
        blockTable = (0..<numBlocks).map { Int32($0) }
        decodeBatch = ForwardBatch(tokens: [0], positions: [0], slotMapping: [0], tokenSeq: [0],
                                   blockTables: blockTable, maxBlocksPerSeq: numBlocks, logitsRows: [0])
        sampler = Sampler(vocabSize: config.vocabSize)
        var eos = Set(config.eosTokenIDs)
        if let id = tokenizer.eosTokenID { eos.insert(id) }
        if let ids = files.generationConfig?.eosTokenID?.ids { eos.formUnion(ids) }
        eosTokenIDs = eos
    }

    /// Generates for `prompt` (token ids). `onText` receives each new piece of text as soon as it
    /// is complete UTF-8 (special tokens skipped); return false from it to stop (finish reason abort).
    public func generate(prompt: [Int], params: SamplingParams,
                         onText: (String) -> Bool = { _ in true }) throws -> GenerationOutput {
        let vocabSize = model.config.vocabSize
        do { try params.validate(vocabSize: vocabSize) } catch { throw GenerationError.invalidParams("\(error)") }
        guard !prompt.isEmpty else { throw GenerationError.emptyPrompt }
        guard prompt.count < maxModelLen else {
            throw GenerationError.promptTooLong(numTokens: prompt.count, maxModelLen: maxModelLen)
        }
        if let bad = prompt.first(where: { $0 < 0 || $0 >= vocabSize }) {
            throw GenerationError.invalidTokenID(bad, vocabSize: vocabSize)
        }
        if params.promptLogprobs != nil && !options.enablePromptLogprobs {
            throw GenerationError.invalidParams("prompt_logprobs needs a generator made with enablePromptLogprobs")
        }
        // Bad words become token-id sequences once; penalties count tokens incrementally.
        let params = params.badWords.isEmpty ? params : params.resolvingBadWords(tokenizer: tokenizer)
        let counts = TokenCounts(promptTokenIDs: prompt)
        var output = GenerationOutput(promptTokenIDs: prompt)
        var generator = RandomGenerator(seed: params.seed ?? UInt64.random(in: 0...UInt64.max))
        var detokenizer = tokenizer.makeStreamingDetokenizer(skipSpecialTokens: true)
        output.outputTokenIDs.reserveCapacity(min(params.maxTokens, maxModelLen - prompt.count))
        if params.logprobs != nil { output.logprobs = [] }
        if params.promptLogprobs != nil { output.promptLogprobs = [nil] }
        let start = ContinuousClock.now

        // Prefill in chunks; the last chunk's last row gives the first output token's logits.
        var logits = try prefill(prompt, params: params, output: &output)
        var numTokens = prompt.count
        while true {
            counts.update(outputTokenIDs: output.outputTokenIDs)
            let history = SamplingHistory(outputTokenIDs: output.outputTokenIDs, eosTokenIDs: eosTokenIDs, tokenCounts: counts)
            let token = sampler.sample(logits: logits, params: params, history: history, generator: &generator)
            if let k = params.logprobs {
                output.logprobs?.append(TokenLogprobs(logits: logits, chosen: token, k: k))
            }
            numTokens += 1
            output.outputTokenIDs.append(token)
            if output.outputTokenIDs.count == 1 { output.timeToFirstToken = (ContinuousClock.now - start).secondsValue }
            let piece = (try? detokenizer.append(token)) ?? ""
            output.text += piece
            if !piece.isEmpty && !onText(piece) {
                output.finishReason = .abort
                break
            }
            if !params.ignoreEOS && eosTokenIDs.contains(token) || params.stopTokenIDs.contains(token) {
                output.finishReason = .stop
                output.stopReason = token
                break
            }
            if output.outputTokenIDs.count >= params.maxTokens || numTokens >= maxModelLen {
                output.finishReason = .length
                break
            }
            logits = try decode(token: token, position: numTokens - 1)
        }
        let tail = detokenizer.finish()
        if !tail.isEmpty {
            output.text += tail
            _ = onText(tail)
        }
        output.decodeSeconds = (ContinuousClock.now - start).secondsValue - output.timeToFirstToken
        return output
    }

    /// Runs the prompt through the model; returns the logits row of its last token.
    private func prefill(_ prompt: [Int], params: SamplingParams,
                         output: inout GenerationOutput) throws -> UnsafeBufferPointer<Float> {
        let chunk = model.maxNumBatchedTokens
        var start = 0
        var last = UnsafeBufferPointer<Float>(start: nil, count: 0)
        let vocabSize = model.config.vocabSize
        while start < prompt.count {
            let end = min(start + chunk, prompt.count)
            let rows: [Int32] = params.promptLogprobs != nil ? (0..<Int32(end - start)).map { $0 } : [Int32(end - start - 1)]
            let logits = try step(tokens: Array(prompt[start..<end]), startPosition: start, logitsRows: rows)
            if let k = params.promptLogprobs {
                // Row r predicts prompt token start + r + 1.
                for r in 0..<(end - start) where start + r + 1 < prompt.count {
                    let row = UnsafeBufferPointer(rebasing: logits[(r * vocabSize)..<((r + 1) * vocabSize)])
                    output.promptLogprobs?.append(TokenLogprobs(logits: row, chosen: prompt[start + r + 1], k: k))
                }
            }
            last = UnsafeBufferPointer(rebasing: logits[((rows.count - 1) * vocabSize)..<(rows.count * vocabSize)])
            start = end
        }
        return last
    }

    /// One decode step: `token` at `position` (its slot is its position: block i is block-table entry i).
    private func decode(token: Int, position: Int) throws -> UnsafeBufferPointer<Float> {
        decodeBatch.tokens[0] = Int32(token)
        decodeBatch.positions[0] = Int32(position)
        decodeBatch.slotMapping[0] = Int32(position)
        return try model.forward(decodeBatch, cache: cache)
    }

    /// One forward over `tokens` at consecutive positions from `startPosition`.
    private func step(tokens: [Int], startPosition: Int, logitsRows: [Int32]) throws -> UnsafeBufferPointer<Float> {
        let positions = (0..<tokens.count).map { Int32(startPosition + $0) }
        let batch = ForwardBatch(tokens: tokens.map { Int32($0) }, positions: positions, slotMapping: positions,
                                 tokenSeq: [Int32](repeating: 0, count: tokens.count), blockTables: blockTable,
                                 maxBlocksPerSeq: blockTable.count, logitsRows: logitsRows)
        return try model.forward(batch, cache: cache)
    }
}

extension Duration {
    /// The duration in seconds.
    public var secondsValue: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
