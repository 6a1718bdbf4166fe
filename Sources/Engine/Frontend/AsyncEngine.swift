import Foundation

/// The engine for servers: an `EngineCore` stepping on its own long-lived thread. Requests come in
/// through one inbox; each request's outputs go out through its own `AsyncThrowingStream`.
/// Cancelling the stream (the client went away) aborts the request and frees its blocks. The loop
/// sleeps on a condition variable while there is nothing to do.
public final class AsyncEngine: @unchecked Sendable {
    public typealias Stream = AsyncThrowingStream<RequestOutput, any Error>

    private enum Command {
        case add(id: String, prompt: [Int], params: SamplingParams, priority: Int, cacheSalt: String?,
                 transfer: Transfer?, continuation: Stream.Continuation)
        case abort(id: String)
        case abortAll
    }

    private let core: EngineCore
    private let processor: OutputProcessor
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var inbox: [Command] = []
    private var stopping = false
    /// True from taking commands off the inbox until the step's stats are published (so `isIdle`
    /// never reads stale stats while a request is on its way in).
    private var busy = false
    /// Told when each request is first scheduled (its queue time), once attached.
    private var metrics: EngineMetrics?
    private var nextID = 0
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)
    /// Engine thread only.
    private var continuations: [String: Stream.Continuation] = [:]
    /// A copy of the core's stats after each step, for metrics and logs (guarded by `condition`).
    private var latestStats: SchedulerStats

    public init(core: EngineCore) throws {
        guard let tokenizer = core.tokenizer else {
            throw GenerationError.invalidParams("the engine was made without a tokenizer")
        }
        self.core = core
        processor = OutputProcessor(tokenizer: tokenizer)
        latestStats = core.stats
    }

    /// Starts the engine thread (once).
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard thread == nil else { return }
        let thread = Thread { [self] in run() }
        thread.name = "swiftlet-engine"
        thread.stackSize = 8 << 20
        self.thread = thread
        thread.start()
    }

    /// Submits a request; the stream yields its state after every step that changed it and ends
    /// when it finishes (or throws when the request is refused). The prompt is cut to its last
    /// `params.truncatePromptTokens` tokens first; stop strings end the request early.
    /// A request's part in prefill/decode disaggregation: its `kv_transfer_params` and, on a
    /// decode instance, the KV pulled for its prompt.
    public struct Transfer: Sendable {
        public var params: KVTransferParams
        public var externalKV: ExternalKV?
        public init(params: KVTransferParams, externalKV: ExternalKV?) {
            self.params = params
            self.externalKV = externalKV
        }
    }

    public func generate(prompt: [Int], params: SamplingParams, requestID: String? = nil, priority: Int = 0,
                         cacheSalt: String? = nil, transfer: Transfer? = nil) -> Stream {
        condition.lock()
        let id = requestID ?? "req-\(nextID)"
        nextID += 1
        condition.unlock()
        return Stream { continuation in
            continuation.onTermination = { [weak self] termination in
                if case .cancelled = termination { self?.abort(id) }
            }
            send(.add(id: id, prompt: prompt, params: params, priority: priority, cacheSalt: cacheSalt,
                      transfer: transfer, continuation: continuation))
        }
    }

    /// Aborts a request wherever it is; its stream ends with finish reason abort.
    public func abort(_ requestID: String) {
        send(.abort(id: requestID))
    }

    /// Aborts every request, waiting or running; their streams end with finish reason abort.
    public func abortAll() {
        send(.abortAll)
    }

    /// Records each request's first scheduling in `metrics` (`requestScheduled`), keyed by the
    /// request id the caller gave (the `vllm:request_queue_time_seconds` histogram).
    public func attach(metrics: EngineMetrics) {
        condition.lock()
        defer { condition.unlock() }
        self.metrics = metrics
    }

    /// True when no request is queued, waiting or running (as of the last step).
    public var isIdle: Bool {
        condition.lock()
        defer { condition.unlock() }
        return inbox.isEmpty && !busy && latestStats.numRunning == 0 && latestStats.numWaiting == 0
    }

    /// The engine's counters as of its last step.
    public var stats: SchedulerStats {
        condition.lock()
        defer { condition.unlock() }
        return latestStats
    }

    /// Aborts everything, stops the thread and waits for it.
    public func shutdown() {
        condition.lock()
        let running = thread != nil && !stopping
        stopping = true
        condition.signal()
        condition.unlock()
        if running { finished.wait() }
    }

    private func send(_ command: Command) {
        condition.lock()
        inbox.append(command)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while inbox.isEmpty && !stopping && !core.hasUnfinishedRequests { condition.wait() }
            let commands = inbox
            inbox = []
            let stop = stopping
            busy = true
            let metrics = self.metrics
            condition.unlock()

            for command in commands { handle(command) }
            if stop {
                for id in Array(processor.parents.keys) { handle(.abort(id: id)) }
                core.shutdown()
                break
            }
            if core.hasUnfinishedRequests {
                do {
                    let coreOutputs = try core.step()
                    if let metrics { recordScheduling(coreOutputs, in: metrics) }
                    let step = processor.process(coreOutputs)
                    try processor.apply(step, to: core)
                    // Publish the stats first, so a client that got its last output reads them current.
                    let stats = core.stats
                    condition.lock()
                    latestStats = stats
                    condition.unlock()
                    for output in step.outputs {
                        continuations[output.requestID]?.yield(output)
                        if output.finished { continuations.removeValue(forKey: output.requestID)?.finish() }
                    }
                } catch {
                    // A failed step leaves no request in a known state: end them all with the error.
                    for id in Array(processor.parents.keys) {
                        let aborted = processor.abort(id)
                        core.abortRequests(aborted.childIDs)
                        continuations.removeValue(forKey: id)?.finish(throwing: error)
                    }
                }
            }
            let stats = core.stats
            condition.lock()
            latestStats = stats
            busy = false
            condition.unlock()
        }
        finished.signal()
    }

    /// Tells `metrics` when requests were first scheduled. With n > 1 the request's first child
    /// (index 0) runs alone first, so its scheduling is the request's.
    private func recordScheduling(_ outputs: [EngineCoreOutput], in metrics: EngineMetrics) {
        for output in outputs {
            guard let time = output.firstScheduledTime else { continue }
            let id = output.requestID
            if processor.parents[id] != nil {
                metrics.requestScheduled(id: id, at: time)
                continue
            }
            for (parentID, parent) in processor.parents
            where OutputProcessor.childID(parentID, 0, n: parent.params.n) == id {
                metrics.requestScheduled(id: parentID, at: time)
                break
            }
        }
    }

    private func handle(_ command: Command) {
        switch command {
        case .add(let id, let prompt, let params, let priority, let cacheSalt, let transfer, let continuation):
            guard continuations[id] == nil && processor.parents[id] == nil else {
                continuation.finish(throwing: EngineCoreError.duplicateRequestID(id))
                return
            }
            do {
                let truncated = try params.truncatedPrompt(prompt, maxModelLen: core.config.maxModelLen)
                for child in processor.add(requestID: id, prompt: truncated, params: params, priority: priority, cacheSalt: cacheSalt) {
                    // (the server refuses kv_transfer_params with n > 1 or a truncated prompt)
                    try core.addRequest(requestID: child.id, promptTokenIDs: truncated, params: child.params,
                                        priority: priority, cacheSalt: cacheSalt, kvTransfer: transfer?.params,
                                        externalKV: truncated.count == prompt.count ? transfer?.externalKV : nil)
                }
                continuations[id] = continuation
            } catch {
                _ = processor.abort(id)
                continuation.finish(throwing: error)
            }
        case .abortAll:
            for id in Array(processor.parents.keys) { handle(.abort(id: id)) }
        case .abort(let id):
            let aborted = processor.abort(id)
            core.abortRequests(aborted.childIDs)
            if let output = aborted.output, let continuation = continuations.removeValue(forKey: id) {
                continuation.yield(output)
                continuation.finish()
            }
        }
    }
}
