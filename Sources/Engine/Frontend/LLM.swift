import Foundation
import SwiftletTokenizers

/// The offline batch API, as vLLM's `LLM` class: load a model once, then generate for many
/// prompts at once through the continuous-batching engine; outputs come back in prompt order.
/// An embedding model (a BERT directory, or a generative model loaded with `runner: .pooling`)
/// embeds instead (`embed`, `score`), as vLLM's pooling runner.
///
///     let llm = try LLM(model: "models/SmolLM2-135M-Instruct.Q4_1.gguf")
///     let outputs = try llm.generate(["Hello", "The capital of France is"], SamplingParams(temperature: 0))
///     let vectors = try LLM(model: "models/all-MiniLM-L6-v2").embed(["Hello"])
public final class LLM {
    /// What the model was loaded as: vLLM's `--runner`.
    public enum Runner: String, Sendable {
        /// A BERT directory pools, other models generate.
        case auto
        case generate
        /// A generative model's final hidden states, pooled (default: last token, normalized).
        case pooling
    }

    enum Backend {
        case generate(EngineCore, Tokenizer)
        case pooling(EmbeddingEngine)
    }

    let backend: Backend
    /// Draws a progress bar on stderr when it is a terminal.
    public var showProgress = true
    var numRequests = 0

    /// Loads a .gguf file or a Hugging Face directory and logs the KV pool (blocks, maximum
    /// concurrency) on stderr, as vLLM logs it at start-up. A BERT directory (or any model with
    /// `runner: .pooling`) is loaded as an embedding model with `poolerConfig` (default: its
    /// sentence-transformers files, or last-token pooling, normalized).
    public convenience init(model path: String, config: EngineConfig = EngineConfig(), runner: Runner = .auto,
                            poolerConfig: PoolerConfig? = nil) throws {
        if try EmbeddingEngine.runsPooling(path: path, runner: runner) {
            self.init(embedder: try EmbeddingEngine.load(path: path, numThreads: config.numThreads, maxModelLen: config.maxModelLen,
                                                         maxNumBatchedTokens: config.maxNumBatchedTokens) { poolerConfig ?? $0 })
            return
        }
        try self.init(core: EngineCore.load(path: path, config: config))
        if let summary = try core.startupSummary {
            FileHandle.standardError.write(Data((summary + "\n").utf8))
        }
    }

    /// The engine defaults overridden by the model's generation_config.json (vLLM's defaults
    /// for an embedding model).
    public var defaultSamplingParams: SamplingParams {
        if case .generate(let core, _) = backend { return core.defaultSamplingParams }
        return SamplingParams()
    }

    public init(core: EngineCore) throws {
        guard let tokenizer = core.tokenizer else {
            throw GenerationError.invalidParams("the engine was made without a tokenizer")
        }
        backend = .generate(core, tokenizer)
    }

    /// An embedding model's LLM: `embed` works, generation throws.
    public init(embedder: EmbeddingEngine) {
        backend = .pooling(embedder)
    }

    /// The generation engine; throws for an embedding model (vLLM: generation is only for
    /// generative models).
    public var core: EngineCore {
        get throws {
            guard case .generate(let core, _) = backend else { throw Self.notGenerative }
            return core
        }
    }

    /// The model's tokenizer (of a generative model).
    public var tokenizer: Tokenizer {
        get throws {
            guard case .generate(_, let tokenizer) = backend else { throw Self.notGenerative }
            return tokenizer
        }
    }

    /// The embedding engine; throws for a generative model not loaded with `runner: .pooling`.
    public var embedder: EmbeddingEngine {
        get throws {
            guard case .pooling(let embedder) = backend else {
                throw GenerationError.invalidParams("LLM.embed and LLM.score are only supported for embedding models: load a generative model with runner: .pooling")
            }
            return embedder
        }
    }

    static let notGenerative = GenerationError.invalidParams("LLM.generate is only supported for generative models: this model was loaded as an embedding model")

    /// Embeds texts, one pooled vector per text in order (vLLM's `LLM.embed`): tokenized with the
    /// model's special tokens, cut to `truncatePromptTokens` (-1: the model's limit) when given.
    public func embed(_ prompts: [String], truncatePromptTokens: Int? = nil, normalize: Bool? = nil) throws -> [EmbeddingRequestOutput] {
        try embedder.embed(prompts, truncatePromptTokens: truncatePromptTokens, normalize: normalize)
    }

    /// Embeds token-id inputs (vLLM's `LLM.embed` with token prompts).
    public func embed(tokenIDs prompts: [[Int]], truncatePromptTokens: Int? = nil, normalize: Bool? = nil) throws -> [EmbeddingRequestOutput] {
        try embedder.embed(tokenIDs: prompts, truncatePromptTokens: truncatePromptTokens, normalize: normalize)
    }

    /// Scores text pairs with an embedding model (vLLM's `LLM.score`): the cosine similarity of
    /// `first[i]` and `second[i]`'s embeddings, or of one `first` text and each of `second`.
    public func score(_ first: [String], _ second: [String], truncatePromptTokens: Int? = nil) throws -> [ScoringRequestOutput] {
        try embedder.score(first, second, truncatePromptTokens: truncatePromptTokens)
    }

    /// Generates for text prompts (tokenized with the model's BOS/EOS rules), one params for all;
    /// without params, the model's defaults (`defaultSamplingParams`), as vLLM's `LLM.generate`.
    public func generate(_ prompts: [String], _ params: SamplingParams? = nil) throws -> [RequestOutput] {
        let params = params ?? defaultSamplingParams
        let tokenizer = try tokenizer
        return try generate(tokenIDs: prompts.map { tokenizer.encode($0) }, params: Array(repeating: params, count: prompts.count))
    }

    /// Generates for token-id prompts with one params per prompt; `priorities` (lower runs first)
    /// matter when the engine uses the priority scheduling policy. Each prompt is cut to its last
    /// `truncatePromptTokens` tokens first (`RequestOutput.promptTokenIDs` holds what ran).
    public func generate(tokenIDs prompts: [[Int]], params: [SamplingParams], priorities: [Int]? = nil) throws -> [RequestOutput] {
        guard prompts.count == params.count, priorities.map({ $0.count == prompts.count }) ?? true else {
            throw GenerationError.invalidParams("\(prompts.count) prompts but \(params.count) sampling params and \(priorities?.count ?? prompts.count) priorities")
        }
        let (core, tokenizer) = (try core, try tokenizer)
        let processor = OutputProcessor(tokenizer: tokenizer)
        var ids: [String] = []
        var added: [String] = []
        // Validate and add everything first, so a bad prompt fails before any work is done.
        do {
            for (i, (fullPrompt, p)) in zip(prompts, params).enumerated() {
                let id = String(numRequests)
                numRequests += 1
                ids.append(id)
                let priority = priorities?[i] ?? 0
                let prompt = try p.truncatedPrompt(fullPrompt, maxModelLen: core.config.maxModelLen)
                for child in processor.add(requestID: id, prompt: prompt, params: p, priority: priority, cacheSalt: nil) {
                    try core.addRequest(requestID: child.id, promptTokenIDs: prompt, params: child.params, priority: priority)
                    added.append(child.id)
                }
            }
        } catch {
            core.abortRequests(added)
            throw error
        }
        var finished: [String: RequestOutput] = [:]
        let progress = ProgressBar(total: prompts.count, enabled: showProgress)
        do {
            while core.hasUnfinishedRequests {
                let step = processor.process(try core.step())
                try processor.apply(step, to: core)
                for output in step.outputs where output.finished {
                    finished[output.requestID] = output
                    progress.update(finished.count)
                }
            }
        } catch {
            // Leave none of these requests behind in the engine for a later call to run.
            for id in ids { core.abortRequests(processor.abort(id).childIDs) }
            progress.finish()
            throw error
        }
        progress.finish()
        return ids.compactMap { finished[$0] }
    }
}

/// "Processed prompts: 12/64 [=====>      ]" on stderr, redrawn in place; nothing when stderr
/// is not a terminal.
final class ProgressBar {
    let total: Int
    let enabled: Bool
    private let start = ContinuousClock.now

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && isatty(STDERR_FILENO) != 0 && total > 1
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let elapsed = (ContinuousClock.now - start).secondsValue
        let line = "\rProcessed prompts: \(done)/\(total) [" + String(repeating: "=", count: filled)
            + String(repeating: " ", count: width - filled) + "] " + String(format: "%.1f s", elapsed)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
