import Foundation
import KVCache
import KVEvents
import StructuredOutputs
import SwiftletTokenizers

/// The synchronous, deterministic engine loop (vLLM `EngineCore`): `step()` is schedule →
/// execute (forward and sample) → update, nothing else. Not thread-safe: one owner drives it.
public final class EngineCore {
    public let config: SchedulerConfig
    public let scheduler: Scheduler
    public let executor: any ModelExecutor
    public let vocabSize: Int
    /// Token ids that end a request unless `ignoreEOS` (model config, tokenizer, generation config).
    public let eosTokenIDs: Set<Int>
    /// The tokenizer, when loaded from model files (`load(path:config:)`).
    public internal(set) var tokenizer: Tokenizer?
    /// A one-line description of the KV pool for the start-up log, when loaded from model files.
    public internal(set) var startupSummary: String?
    /// Sampling defaults from the model's generation_config.json (vLLM `--generation-config auto`);
    /// the engine's own defaults when the model has none.
    public internal(set) var defaultSamplingParams = SamplingParams()
    /// Compiles structured-output constraints for the model's vocabulary (when loaded from model files).
    public internal(set) var structuredOutputs: StructuredOutputManager?
    private var numAddedRequests = 0
    /// The step-time budget when `config.targetStepTime` is set (fed with each step's wall time).
    public private(set) var stepTimeBudget: StepTimeBudget?
    /// Drafts tokens after each step when `config.speculativeConfig` is set.
    private let proposer: (any DraftProposer)?
    /// Receives each step's KV cache events (`--kv-events-config`); nil: none are recorded.
    public private(set) var kvEventPublisher: (any EventPublisher)?

    /// A core over `executor`. With a speculative configuration, `proposer` drafts the tokens; nil
    /// takes the method's own proposer (none for a draft model, which `load` passes here).
    public init(executor: any ModelExecutor, config: SchedulerConfig, vocabSize: Int, eosTokenIDs: Set<Int>,
                proposer: (any DraftProposer)? = nil) {
        self.executor = executor
        self.config = config
        self.vocabSize = vocabSize
        self.eosTokenIDs = eosTokenIDs
        scheduler = Scheduler(config: config)
        stepTimeBudget = config.targetStepTime.map { StepTimeBudget(targetSeconds: $0) }
        self.proposer = config.speculativeConfig == nil ? nil : proposer ?? config.speculativeConfig?.makeProposer()
    }

    /// Queues a request. Throws when the id is in use, the prompt is empty, too long for
    /// max-model-len (prompt + 1 must fit), has an id outside the vocabulary, or the params are
    /// out of range. `arrivalTime` defaults to the order of addition.
    public func addRequest(requestID: String, promptTokenIDs: [Int], params: SamplingParams, priority: Int = 0,
                           cacheSalt: String? = nil, arrivalTime: Double? = nil,
                           kvTransfer: KVTransferParams? = nil, externalKV: ExternalKV? = nil) throws {
        // (a finished prefill whose blocks a decode instance has not pulled yet still holds its id)
        guard scheduler.request(requestID) == nil, scheduler.kvCacheManager.blockIDs(requestID: requestID).isEmpty else {
            throw EngineCoreError.duplicateRequestID(requestID)
        }
        guard !promptTokenIDs.isEmpty else { throw GenerationError.emptyPrompt }
        guard promptTokenIDs.count < config.maxModelLen else {
            throw GenerationError.promptTooLong(numTokens: promptTokenIDs.count, maxModelLen: config.maxModelLen)
        }
        if let bad = promptTokenIDs.first(where: { $0 < 0 || $0 >= vocabSize }) {
            throw GenerationError.invalidTokenID(bad, vocabSize: vocabSize)
        }
        do { try params.validate(vocabSize: vocabSize, maxLogprobs: config.maxLogprobs) } catch {
            throw GenerationError.invalidParams(error.description)
        }
        if params.promptLogprobs != nil && !config.enablePromptLogprobs {
            throw GenerationError.invalidParams("prompt_logprobs is off in this engine: start it with prompt logprobs enabled")
        }
        var matcher: GrammarMatcher?
        if let constraint = params.structuredOutputs {
            guard let structuredOutputs else {
                throw GenerationError.invalidParams("structured outputs need an engine loaded with its tokenizer")
            }
            do { matcher = try structuredOutputs.matcher(for: constraint) } catch {
                throw GenerationError.invalidParams("\(error)")
            }
        }
        numAddedRequests += 1
        let request = Request(requestID: requestID, promptTokenIDs: promptTokenIDs, params: params,
                              arrivalTime: arrivalTime ?? Double(numAddedRequests), priority: priority,
                              cacheSalt: cacheSalt, eosTokenIDs: eosTokenIDs)
        request.grammar = matcher
        request.kvTransfer = kvTransfer
        if let externalKV, let connector = scheduler.kvConnector, externalKV.bytes.count % max(1, connector.bytesPerBlock) == 0 {
            request.externalKV = externalKV
        }
        scheduler.add(request)
    }

    /// Aborts requests wherever they are (waiting or running) and frees their blocks at once.
    /// Unknown or finished ids are ignored.
    public func abortRequests(_ requestIDs: [String]) {
        scheduler.abort(requestIDs)
    }

    /// One engine step. Returns an output per request that produced a token this step.
    public func step() throws -> [EngineCoreOutput] {
        guard scheduler.numUnfinishedRequests > 0 else { return [] }
        let tokens = stepTimeBudget?.tokenBudget(numDecodes: scheduler.numRunningDecodes, maxTokens: config.maxNumBatchedTokens)
        let scheduled = scheduler.schedule(tokenBudget: tokens)
        guard !scheduled.isEmpty else { return [] }
        let start = stepTimeBudget == nil ? 0 : EngineMetrics.monotonicSeconds()
        let result = try executor.execute(scheduled)
        stepTimeBudget?.record(tokens: scheduled.numScheduledTokens, seconds: EngineMetrics.monotonicSeconds() - start)
        let outputs = scheduler.update(scheduled, result)
        if let proposer { try scheduler.proposeDrafts(proposer) }
        publishKVEvents()
        return outputs
    }

    /// Records the prefix cache's changes from now on and hands them to `publisher` after every
    /// step, as one batch (vLLM's KV cache events), with `hasher`'s block hashes.
    public func publishKVEvents(to publisher: any EventPublisher, hasher: SHA256CBORBlockHasher = SHA256CBORBlockHasher()) {
        kvEventPublisher = publisher
        scheduler.recordKVEvents(hasher: hasher)
    }

    private func publishKVEvents() {
        guard let publisher = kvEventPublisher, let events = scheduler.kvEventRecorder?.take(), !events.isEmpty else { return }
        publisher.publish(KVEventBatch(timestamp: Date().timeIntervalSince1970, events: events))
    }

    /// Releases what outlives steps (the KV event publisher's sockets, the KV connector's listener).
    public func shutdown() {
        kvEventPublisher?.shutdown()
        scheduler.kvConnector?.shutdown()
    }

    /// Adds the prefix cache's disk tier in `directory` (at most `maxBytes`), keyed by `hasher`'s
    /// block digests and `modelFingerprint`. Needs the real model runner and one KV pool.
    @discardableResult
    public func attachDiskTier(directory: String, maxBytes: Int, modelFingerprint: String,
                               hasher: SHA256CBORBlockHasher = SHA256CBORBlockHasher()) throws -> DiskKVTier {
        guard let runner = executor as? ModelRunner, runner.cache.supportsBlockTransfer, config.enablePrefixCaching else {
            throw EngineCoreError.invalidConfig("--kv-offload-dir: the disk tier needs prefix caching and a model whose layers share one KV pool (not a sliding-window model)")
        }
        let cache = runner.cache
        let tier = try DiskKVTier(directory: directory, maxBytes: maxBytes, modelFingerprint: modelFingerprint,
                                  blockSize: config.blockSize, bytesPerBlock: cache.transferBytesPerBlock, hasher: hasher) {
            cache.copyBlocks($0)
        }
        scheduler.kvCacheManager.pool.reportsPublished = true
        scheduler.diskTier = tier
        return tier
    }

    /// Starts prefill/decode disaggregation with `config`'s role: a producer serves the KV of
    /// prefills marked `do_remote_decode` from this engine's cache. Needs the real model runner
    /// and a cache whose layers share one pool (no sliding-window pool).
    @discardableResult
    public func connectKV(_ config: KVTransferConfig, modelFingerprint: String) throws -> TCPKVConnector {
        guard let runner = executor as? ModelRunner, runner.cache.supportsBlockTransfer else {
            throw EngineCoreError.invalidConfig("--kv-transfer-config: KV transfer needs a model whose layers share one KV pool (not a sliding-window model)")
        }
        let cache = runner.cache
        let connector = try TCPKVConnector(config: config, bytesPerBlock: cache.transferBytesPerBlock,
                                           modelFingerprint: modelFingerprint) { cache.copyBlocks($0) }
        scheduler.kvConnector = connector
        return connector
    }

    /// True while some request is waiting or running.
    public var hasUnfinishedRequests: Bool { scheduler.numUnfinishedRequests > 0 }

    public var stats: SchedulerStats { scheduler.stats }
}
