import KVCache
import KVEvents

/// Continuous batching under one token budget per step (vLLM v1 `Scheduler`): running requests
/// first, then waiting ones; chunked prefill falls out of the budget; when blocks run out the
/// newest (FCFS) or least important (priority) running request is preempted by recompute.
/// Synchronous and deterministic; owns the requests and the KV block bookkeeping.
public final class Scheduler {
    public let config: SchedulerConfig
    /// The block bookkeeping (block tables of every request holding KV); with a sliding window,
    /// of the full-attention layers.
    public let kvCacheManager: KVCacheManager
    /// The sliding-window layers' pool and tables (`config.slidingWindow`), nil otherwise.
    public let slidingKVCacheManager: KVCacheManager?
    /// Queued requests in scheduling order (new, or preempted and waiting to recompute).
    public internal(set) var waiting: [Request] = []
    /// Requests holding blocks, in admission order.
    public internal(set) var running: [Request] = []
    /// Every unfinished request by id.
    var requests: [String: Request] = [:]
    /// Finished or aborted since the last `schedule()`.
    var finishedRequestIDs: [String] = []
    /// Finished or aborted since the last draft proposal, for a proposer that learns from them
    /// (suffix decoding).
    var finishedForProposer: [Request] = []
    // Cumulative counters for `stats`.
    var numPreemptions = 0
    var numPromptTokens = 0
    var numGenerationTokens = 0
    var specDecodeStats: SpecDecodingStats
    var promptTokenSources = PromptTokenSources()
    /// Records KV cache events of the (full-attention) pool when they are published; nil: off.
    public private(set) var kvEventRecorder: KVEventRecorder?
    /// Prefill/decode disaggregation (`--kv-transfer-config`); nil: none.
    public internal(set) var kvConnector: TCPKVConnector?
    /// The prefix cache's disk tier (`--kv-offload-dir`); nil: none.
    public internal(set) var diskTier: DiskKVTier?

    public init(config: SchedulerConfig) {
        self.config = config
        specDecodeStats = SpecDecodingStats(numSpeculativeTokens: config.speculativeConfig?.numSpeculativeTokens ?? 0)
        kvCacheManager = KVCacheManager(numBlocks: config.numBlocks, blockSize: config.blockSize,
                                        enablePrefixCaching: config.enablePrefixCaching, order: config.freeBlockOrder)
        if let window = config.slidingWindow, let numBlocks = config.numSlidingBlocks {
            slidingKVCacheManager = KVCacheManager(numBlocks: numBlocks, blockSize: config.blockSize,
                                                   enablePrefixCaching: config.enablePrefixCaching, slidingWindow: window,
                                                   order: config.freeBlockOrder)
        } else {
            slidingKVCacheManager = nil
        }
    }

    /// Whether a finished `request` is a prefill whose blocks stay for a decode instance to pull.
    func keepsBlocksForTransfer(_ request: Request) -> Bool {
        request.status != .finishedAborted && request.kvTransfer?.doRemoteDecode == true && kvConnector?.config.produces == true
    }

    /// Starts recording KV cache events (`--kv-events-config`) with `hasher`'s block hashes.
    public func recordKVEvents(hasher: SHA256CBORBlockHasher) {
        let recorder = KVEventRecorder(hasher: hasher, blockSize: config.blockSize)
        kvCacheManager.pool.observer = recorder
        kvCacheManager.pool.reportsPublished = true
        kvEventRecorder = recorder
    }

    /// Room for `numNewTokens` more tokens after `numComputedTokens` in every pool, taking the
    /// prefix hits first; all or nothing. The sliding-window pool first frees what left the window.
    func allocateSlots(_ request: Request, numNewTokens: Int, numComputedTokens: Int,
                       hits: CachedPrefix = CachedPrefix()) -> Bool {
        let id = request.requestID
        if let sliding = slidingKVCacheManager {
            sliding.removeSkippedBlocks(requestID: id, numComputedTokens: numComputedTokens)
            guard sliding.canAllocateSlots(requestID: id, numNewTokens: numNewTokens, numComputedTokens: numComputedTokens,
                                           newComputedBlocks: hits.slidingBlocks),
                  kvCacheManager.canAllocateSlots(requestID: id, numNewTokens: numNewTokens, numComputedTokens: numComputedTokens,
                                                  newComputedBlocks: hits.blocks) else { return false }
            _ = sliding.allocateSlots(requestID: id, numNewTokens: numNewTokens, numComputedTokens: numComputedTokens,
                                      newComputedBlocks: hits.slidingBlocks)
        }
        return kvCacheManager.allocateSlots(requestID: id, numNewTokens: numNewTokens, numComputedTokens: numComputedTokens,
                                            newComputedBlocks: hits.blocks) != nil
    }

    /// The longest prefix every pool holds for a new request (its blocks in each pool).
    func cachedPrefix(_ request: Request) -> CachedPrefix {
        let full = kvCacheManager.computedBlocks(requestID: request.requestID, blockHashes: request.blockHashes,
                                                 numTokens: request.numTokens)
        guard let sliding = slidingKVCacheManager else { return CachedPrefix(blocks: full.blocks, numComputedTokens: full.numComputedTokens) }
        let other = sliding.computedBlocks(requestID: request.requestID, blockHashes: request.blockHashes,
                                           numTokens: request.numTokens)
        let numBlocks = min(full.blocks.count, other.blocks.count)
        return CachedPrefix(blocks: Array(full.blocks.prefix(numBlocks)), slidingBlocks: Array(other.blocks.prefix(numBlocks)),
                            numComputedTokens: numBlocks * config.blockSize)
    }

    /// Frees a request's blocks in every pool.
    func freeBlocks(_ request: Request) {
        kvCacheManager.free(requestID: request.requestID)
        slidingKVCacheManager?.free(requestID: request.requestID)
    }

    /// Unfinished requests (waiting or running).
    public var numUnfinishedRequests: Int { requests.count }

    /// Running requests whose next step is a decode (one token left to compute).
    public var numRunningDecodes: Int { running.count { $0.numTokens - $0.numComputedTokens == 1 } }

    /// The unfinished request with `requestID`.
    public func request(_ requestID: String) -> Request? { requests[requestID] }

    /// Queues a validated request (the engine core checks lengths and ids).
    func add(_ request: Request) {
        if config.enablePrefixCaching { request.updateBlockHashes(manager: kvCacheManager) }
        requests[request.requestID] = request
        enqueue(request, atFront: false)
    }

    /// Aborts the named requests wherever they are; unknown or finished ids are ignored.
    func abort(_ requestIDs: [String]) {
        for id in requestIDs {
            guard let request = requests[id] else { continue }
            if request.status == .running {
                running.removeAll { $0 === request }
            } else {
                waiting.removeAll { $0 === request }
            }
            finish(request, as: .finishedAborted)
        }
    }

    /// Marks `request` finished, frees its blocks and forgets it (the caller removes it from its queue).
    func finish(_ request: Request, as status: RequestStatus) {
        request.status = status
        // A prefill kept for a decode instance holds its blocks until the connector lets them go.
        if !keepsBlocksForTransfer(request) { freeBlocks(request) }
        requests[request.requestID] = nil
        finishedRequestIDs.append(request.requestID)
        if config.speculativeConfig?.method == .suffix { finishedForProposer.append(request) }
    }

    /// Puts `request` into the waiting queue: FCFS appends (or puts a preempted request first);
    /// the priority policy keeps (priority, arrival) order, stable among equals.
    func enqueue(_ request: Request, atFront: Bool) {
        switch config.schedulingPolicy {
        case .fcfs:
            if atFront { waiting.insert(request, at: 0) } else { waiting.append(request) }
        case .priority:
            let index = waiting.firstIndex { Self.isBefore(request, $0) } ?? waiting.count
            waiting.insert(request, at: index)
        }
    }

    /// Priority order: smaller priority first, then earlier arrival.
    static func isBefore(_ a: Request, _ b: Request) -> Bool {
        (a.priority, a.arrivalTime) < (b.priority, b.arrivalTime)
    }

    /// Index in `running` of the request to preempt: the newest (FCFS) or the one with the largest
    /// (priority, arrival) — the last such in `running` on a full tie.
    func victimIndex() -> Int {
        switch config.schedulingPolicy {
        case .fcfs:
            return running.count - 1
        case .priority:
            var best = 0
            for index in running.indices.dropFirst() where !Self.isBefore(running[index], running[best]) {
                best = index
            }
            return best
        }
    }

    /// Preemption by recompute: frees every block, forgets the computed tokens (outputs stay and
    /// are recomputed with the prompt) and queues the request at the front.
    func preempt(_ request: Request) {
        freeBlocks(request)
        request.specTokenIDs = []
        request.draftLength = nil
        request.numDraftComputedTokens = 0
        request.draftKVTail = []
        request.draftPauseSteps = 0
        request.numFailedVerifications = 0
        request.status = .preempted
        request.numComputedTokens = 0
        request.numPreemptions += 1
        numPreemptions += 1
        enqueue(request, atFront: true)
    }

    /// Counters and gauges for logs and metrics (KV usage and prefix-cache counts of the
    /// full-attention pool).
    public var stats: SchedulerStats {
        let cache = kvCacheManager.prefixCacheStats
        var stats = SchedulerStats(numRunning: running.count, numWaiting: waiting.count, kvCacheUsage: kvCacheManager.usage,
                                   prefixCacheQueries: cache.numQueries, prefixCacheHits: cache.numHits,
                                   numPreemptions: numPreemptions, numPromptTokens: numPromptTokens,
                                   numGenerationTokens: numGenerationTokens)
        stats.specDecoding = specDecodeStats
        stats.promptTokenSources = promptTokenSources
        stats.kvBlocksWritten = kvCacheManager.pool.numBlocksWritten
        stats.kvPeakBlocksInUse = kvCacheManager.pool.peakBlocksInUse
        return stats
    }
}

/// A new request's prefix-cache hit: its blocks in the full-attention pool and, with a sliding
/// window, in the sliding-window pool, and the tokens they hold.
struct CachedPrefix {
    var blocks: [KVCacheBlock] = []
    var slidingBlocks: [KVCacheBlock] = []
    var numComputedTokens = 0
}
