import Foundation
import Kernels
import ModelFormats
import Models
import SwiftletTokenizers

/// Which end of an input truncation cuts (vLLM's `truncation_side`): `left` keeps the last tokens.
public enum TruncationSide: String, Sendable {
    case left, right
}

/// One input's embedding (vLLM's `EmbeddingRequestOutput`).
public struct EmbeddingRequestOutput: Sendable, Equatable {
    public var requestID: String
    /// The tokens that were embedded (after any truncation).
    public var promptTokenIDs: [Int]
    public var embedding: [Float]
}

/// An embedding model served without sampling (vLLM's pooling runner): a BERT
/// sentence-transformers directory, or a Llama-family decoder (GGUF or Hugging Face) whose
/// final-norm hidden states are pooled (vLLM's `--runner pooling`, default last-token pooling,
/// normalized). Tokens in, one pooled (and, as the pooler config says, normalized) vector per
/// input out. Inputs are run in batches of at most `maxNumBatchedTokens` tokens that share every
/// matmul. Not thread-safe: call it from one thread (or actor) at a time.
public final class EmbeddingEngine {
    public let model: any PoolingModel
    public let tokenizer: any EmbeddingTokenizer
    public let poolerConfig: PoolerConfig
    /// Most tokens one input may have: the model's max_seq_length, else its positions.
    public let maxModelLen: Int
    public let maxNumBatchedTokens: Int
    /// The prompt lengths of the inputs the last successful embedding call ran, one per input (a
    /// score call embeds both sides in one call): what a server's metrics count.
    public private(set) var lastPromptLengths: [Int] = []
    private var numRequests = 0

    /// Whether `path` is a directory whose config.json names a BERT model.
    public static func isEmbeddingModel(path: String) -> Bool {
        HFArchitectureProbe.read(directory: URL(fileURLWithPath: path))?
            .names(architectures: Set(BertConfig.architectureNames), modelType: BertConfig.modelType) ?? false
    }

    /// Whether `path` runs as an embedding model under vLLM's `--runner`: a BERT directory always
    /// (asking it to generate throws), any other model only with `.pooling`.
    public static func runsPooling(path: String, runner: LLM.Runner) throws -> Bool {
        let bert = isEmbeddingModel(path: path)
        if bert && runner == .generate {
            throw GenerationError.invalidParams("\(path) is an encoder (BERT) embedding model: it cannot generate")
        }
        return bert || runner == .pooling
    }

    /// Loads the directory's config.json, model.safetensors, tokenizer.json and sentence-transformers files.
    public convenience init(directory path: String, numThreads: Int? = nil, maxModelLen: Int? = nil, maxNumBatchedTokens: Int = 2048) throws {
        let directory = URL(fileURLWithPath: path)
        let pool = WorkerPool(numThreads: max(1, numThreads ?? ProcessInfo.processInfo.activeProcessorCount))
        let model = try BertModel(directory: directory, pool: pool)
        let tokenizerURL = directory.appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: tokenizerURL.path) else {
            throw ModelLoadError.missingFile(directory: path, name: "tokenizer.json")
        }
        let tokenizer = try WordPieceTokenizer(contentsOf: tokenizerURL)
        let poolerConfig = try PoolerConfig.load(directory: directory)
        try self.init(model: model, tokenizer: tokenizer, poolerConfig: poolerConfig, maxModelLen: maxModelLen,
                      maxNumBatchedTokens: maxNumBatchedTokens)
    }

    /// A Llama-family decoder (a .gguf file or a Hugging Face directory) as an embedding model:
    /// its own tokenizer (BOS / EOS as it adds them), `poolerConfig` (vLLM's default for a
    /// converted generative model: last token, normalized).
    public convenience init(decoder path: String, poolerConfig: PoolerConfig = .decoderDefault, numThreads: Int? = nil,
                            maxModelLen: Int? = nil, maxNumBatchedTokens: Int = 2048) throws {
        let files = try ModelFiles.open(path)
        let weights = try EngineCore.loadWeights(files, quantization: nil)
        let tokenizer = try files.loadTokenizer()
        let pool = WorkerPool(numThreads: max(1, numThreads ?? ProcessInfo.processInfo.activeProcessorCount))
        let positions = weights.config.maxPositionEmbeddings
        let length = try Self.checked(maxModelLen, positions: positions) ?? positions
        let model = try DecoderPoolingModel(weights: weights, pool: pool, maxModelLen: length, maxNumBatchedTokens: maxNumBatchedTokens)
        try self.init(model: model, tokenizer: tokenizer, poolerConfig: poolerConfig, maxModelLen: length,
                      maxNumBatchedTokens: maxNumBatchedTokens)
    }

    /// A BERT directory, or any other model as a decoder pooling model, with its pooler config
    /// (the sentence-transformers files', or `.decoderDefault`) passed through `adjustPooling`
    /// (vLLM's `--pooler-config` override).
    public static func load(path: String, numThreads: Int? = nil, maxModelLen: Int? = nil, maxNumBatchedTokens: Int = 2048,
                            adjustPooling: (PoolerConfig) throws -> PoolerConfig = { $0 }) throws -> EmbeddingEngine {
        guard isEmbeddingModel(path: path) else {
            return try EmbeddingEngine(decoder: path, poolerConfig: adjustPooling(.decoderDefault), numThreads: numThreads,
                                       maxModelLen: maxModelLen, maxNumBatchedTokens: maxNumBatchedTokens)
        }
        let bert = try EmbeddingEngine(directory: path, numThreads: numThreads, maxModelLen: maxModelLen,
                                       maxNumBatchedTokens: maxNumBatchedTokens)
        let pooling = try adjustPooling(bert.poolerConfig)
        guard pooling != bert.poolerConfig else { return bert }
        return try EmbeddingEngine(model: bert.model, tokenizer: bert.tokenizer, poolerConfig: pooling, maxModelLen: maxModelLen,
                                   maxNumBatchedTokens: maxNumBatchedTokens)
    }

    /// An engine over a loaded model. `maxModelLen` (default: the pooler config's max_seq_length,
    /// else the model's positions) must be in 1...model.maxPositions.
    public init(model: any PoolingModel, tokenizer: any EmbeddingTokenizer, poolerConfig: PoolerConfig,
                maxModelLen: Int? = nil, maxNumBatchedTokens: Int = 2048) throws {
        self.model = model
        self.tokenizer = tokenizer
        self.poolerConfig = poolerConfig
        let positions = model.maxPositions
        self.maxModelLen = try Self.checked(maxModelLen, positions: positions) ?? min(poolerConfig.maxSeqLength ?? positions, positions)
        // A batch holds at least one input of the longest kind.
        self.maxNumBatchedTokens = max(maxNumBatchedTokens, self.maxModelLen)
    }

    /// `maxModelLen` when it is in 1...positions (nil stays nil); throws otherwise.
    static func checked(_ maxModelLen: Int?, positions: Int) throws -> Int? {
        if let maxModelLen, maxModelLen < 1 || maxModelLen > positions {
            throw GenerationError.invalidParams("max_model_len \(maxModelLen) must be in 1...\(positions) for this model")
        }
        return maxModelLen
    }

    /// Embeds texts (tokenized with the post-processor's [CLS] ... [SEP] when `addSpecialTokens`).
    /// `truncatePromptTokens` (-1: the model's limit) keeps that many tokens, the special ones
    /// included, cutting the text's tokens on `truncationSide` (left keeps the last ones), as
    /// Hugging Face truncation does; `normalize` overrides the model's normalization.
    public func embed(_ prompts: [String], truncatePromptTokens: Int? = nil, truncationSide: TruncationSide = .left,
                      addSpecialTokens: Bool = true, normalize: Bool? = nil) throws -> [EmbeddingRequestOutput] {
        let keep = try truncationLength(truncatePromptTokens)
        let inputs = try prompts.map { try tokenize($0, addSpecialTokens: addSpecialTokens, keep: keep, side: truncationSide) }
        return try embed(tokenIDs: inputs, normalize: normalize)
    }

    /// The ids of `text` as `embed` runs them (lowercased first when the model's
    /// sentence_bert_config.json says do_lower_case).
    public func tokenize(_ text: String, addSpecialTokens: Bool = true, keep: Int? = nil, side: TruncationSide = .left) throws -> [Int] {
        let content = tokenizer.contentIDs(poolerConfig.doLowerCase ? text.lowercased() : text)
        guard let keep else {
            return addSpecialTokens ? tokenizer.prefixIDs + content + tokenizer.suffixIDs : content
        }
        let specials = addSpecialTokens ? tokenizer.prefixIDs.count + tokenizer.suffixIDs.count : 0
        guard keep > specials else {
            throw GenerationError.invalidParams("truncate_prompt_tokens (\(keep)) leaves no room for the input beside its \(specials) special tokens")
        }
        let kept = side == .left ? Array(content.suffix(keep - specials)) : Array(content.prefix(keep - specials))
        return addSpecialTokens ? tokenizer.prefixIDs + kept + tokenizer.suffixIDs : kept
    }

    /// `truncate_prompt_tokens` checked: nil stays nil, -1 is the model's limit, else 1...maxModelLen.
    public func truncationLength(_ value: Int?) throws -> Int? {
        switch value {
        case nil: return nil
        case -1: return maxModelLen
        case let k? where k >= 1 && k <= maxModelLen: return k
        case let k? where k > maxModelLen:
            throw GenerationError.invalidParams("truncate_prompt_tokens value (\(k)) is greater than max_model_len (\(maxModelLen)). Please request a smaller truncation size.")
        case let k?:
            throw GenerationError.invalidParams("truncate_prompt_tokens must be -1 or at least 1, got \(k)")
        }
    }

    /// Embeds token-id inputs, each cut to `truncatePromptTokens` on `truncationSide` first. Every
    /// input is checked before any runs: an empty one, one over the limit or an id outside the
    /// vocabulary throws.
    public func embed(tokenIDs inputs: [[Int]], truncatePromptTokens: Int? = nil, truncationSide: TruncationSide = .left,
                      normalize: Bool? = nil) throws -> [EmbeddingRequestOutput] {
        let keep = try truncationLength(truncatePromptTokens)
        let prompts = inputs.map { ids in
            keep.map { truncationSide == .left ? Array(ids.suffix($0)) : Array(ids.prefix($0)) } ?? ids
        }
        for ids in prompts {
            guard !ids.isEmpty else { throw GenerationError.emptyPrompt }
            guard ids.count <= maxModelLen else {
                throw GenerationError.invalidParams("This model's maximum context length is \(maxModelLen) tokens. However, you requested \(ids.count) tokens in the input for embedding generation. Please reduce the length of the input.")
            }
            if let bad = ids.first(where: { $0 < 0 || $0 >= model.vocabSize }) {
                throw GenerationError.invalidTokenID(bad, vocabSize: model.vocabSize)
            }
        }
        var outputs: [EmbeddingRequestOutput] = []
        outputs.reserveCapacity(prompts.count)
        var start = 0
        while start < prompts.count {
            var end = start, tokens = 0
            while end < prompts.count && (end == start || tokens + prompts[end].count <= maxNumBatchedTokens) {
                tokens += prompts[end].count
                end += 1
            }
            let batch = Array(prompts[start..<end])
            let vectors = Pooler.pool(hidden: try model.hiddenStates(batch), lengths: batch.map(\.count),
                                      width: model.hiddenSize, type: poolerConfig.poolingType,
                                      normalize: normalize ?? poolerConfig.normalize)
            for (ids, vector) in zip(batch, vectors) {
                outputs.append(EmbeddingRequestOutput(requestID: String(numRequests), promptTokenIDs: ids, embedding: vector))
                numRequests += 1
            }
            start = end
        }
        lastPromptLengths = prompts.map(\.count)
        return outputs
    }
}
