import KVCache

/// Continuous batching under one token budget per step (vLLM v1 `Scheduler`): running requests
/// first, then waiting ones; chunked prefill falls out of the budget; when blocks run out the
/// newest (FCFS) or least important (priority) running request is preempted by recompute.
/// Synchronous and deterministic; owns the requests and the KV block bookkeeping.
public final class Scheduler {
    public let config: SchedulerConfig
    /// The block bookkeeping (block tables of every request holding KV).
    public let kvCacheManager: KVCacheManager
    /// Queued requests in scheduling order (new, or preempted and waiting to recompute).
    public internal(set) var waiting: [Request] = []
    /// Requests holding blocks, in admission order.
    public internal(set) var running: [Request] = []
    /// Every unfinished request by id.
    var requests: [String: Request] = [:]
    /// Finished or aborted since the last `schedule()`.
    var finishedRequestIDs: [String] = []
    // Cumulative counters for `stats`.
    var numPreemptions = 0
    var numPromptTokens = 0
    var numGenerationTokens = 0

    public init(config: SchedulerConfig) {
        self.config = config
        kvCacheManager = KVCacheManager(numBlocks: config.numBlocks, blockSize: config.blockSize,
                                        enablePrefixCaching: config.enablePrefixCaching)
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
        kvCacheManager.free(requestID: request.requestID)
        requests[request.requestID] = nil
        finishedRequestIDs.append(request.requestID)
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
        kvCacheManager.free(requestID: request.requestID)
        request.status = .preempted
        request.numComputedTokens = 0
        request.numPreemptions += 1
        numPreemptions += 1
        enqueue(request, atFront: true)
    }

    /// Counters and gauges for logs and metrics.
    public var stats: SchedulerStats {
        let cache = kvCacheManager.prefixCacheStats
        return SchedulerStats(numRunning: running.count, numWaiting: waiting.count, kvCacheUsage: kvCacheManager.usage,
                              prefixCacheQueries: cache.numQueries, prefixCacheHits: cache.numHits,
                              numPreemptions: numPreemptions, numPromptTokens: numPromptTokens,
                              numGenerationTokens: numGenerationTokens)
    }
}
