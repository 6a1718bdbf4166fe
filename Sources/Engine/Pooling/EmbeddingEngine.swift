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

/// An encoder embedding model served without sampling (vLLM's pooling runner for a BERT
/// sentence-transformers directory): WordPiece tokens in, one pooled (and, as the model says,
/// normalized) vector per input out. Inputs are run in batches of at most `maxNumBatchedTokens`
/// tokens that share every matmul. Not thread-safe: call it from one thread (or actor) at a time.
public final class EmbeddingEngine {
    public let model: BertModel
    public let tokenizer: WordPieceTokenizer
    public let poolerConfig: PoolerConfig
    /// Most tokens one input may have: the model's max_seq_length, else its positions.
    public let maxModelLen: Int
    public let maxNumBatchedTokens: Int
    private var numRequests = 0

    /// Whether `path` is a directory whose config.json names a BERT model.
    public static func isEmbeddingModel(path: String) -> Bool {
        let config = URL(fileURLWithPath: path).appendingPathComponent("config.json")
        guard let data = try? Data(contentsOf: config),
              let probe = try? JSONDecoder().decode(Probe.self, from: data) else { return false }
        if let name = probe.architectures?.first { return BertConfig.architectureNames.contains(name) }
        return probe.modelType == BertConfig.modelType
    }

    private struct Probe: Decodable {
        var architectures: [String]?
        var modelType: String?
        enum CodingKeys: String, CodingKey { case architectures, modelType = "model_type" }
    }

    /// Loads the directory's config.json, model.safetensors, tokenizer.json and sentence-transformers files.
    public init(directory path: String, numThreads: Int? = nil, maxModelLen: Int? = nil, maxNumBatchedTokens: Int = 2048) throws {
        let directory = URL(fileURLWithPath: path)
        let pool = WorkerPool(numThreads: max(1, numThreads ?? ProcessInfo.processInfo.activeProcessorCount))
        model = try BertModel(directory: directory, pool: pool)
        let tokenizerURL = directory.appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: tokenizerURL.path) else {
            throw ModelLoadError.missingFile(directory: path, name: "tokenizer.json")
        }
        tokenizer = try WordPieceTokenizer(contentsOf: tokenizerURL)
        poolerConfig = try PoolerConfig.load(directory: directory)
        let modelLimit = min(poolerConfig.maxSeqLength ?? model.config.maxPositionEmbeddings, model.config.maxPositionEmbeddings)
        if let maxModelLen, maxModelLen < 1 || maxModelLen > model.config.maxPositionEmbeddings {
            throw GenerationError.invalidParams("max_model_len \(maxModelLen) must be in 1...\(model.config.maxPositionEmbeddings) for this model")
        }
        self.maxModelLen = maxModelLen ?? modelLimit
        // A batch holds at least one input of the longest kind.
        self.maxNumBatchedTokens = max(maxNumBatchedTokens, self.maxModelLen)
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
        let content = tokenizer.encode(poolerConfig.doLowerCase ? text.lowercased() : text, addSpecialTokens: false)
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
            if let bad = ids.first(where: { $0 < 0 || $0 >= model.config.vocabSize }) {
                throw GenerationError.invalidTokenID(bad, vocabSize: model.config.vocabSize)
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
                                      width: model.config.hiddenSize, type: poolerConfig.poolingType,
                                      normalize: normalize ?? poolerConfig.normalize)
            for (ids, vector) in zip(batch, vectors) {
                outputs.append(EmbeddingRequestOutput(requestID: String(numRequests), promptTokenIDs: ids, embedding: vector))
                numRequests += 1
            }
            start = end
        }
        return outputs
    }
}
