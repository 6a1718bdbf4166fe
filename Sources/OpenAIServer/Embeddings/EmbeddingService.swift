import Engine
import Foundation

/// Runs an `EmbeddingEngine` on its own serial queue (the engine is touched only there, which is why
/// the class may be shared across tasks), one call at a time, so the HTTP event loops never wait on
/// a forward pass; each call batches its own inputs. More than `maxWaitingRequests` calls waiting
/// at once get a 503, as the generation server answers past --max-waiting-requests. `metrics` are
/// vLLM's for a pooling model: each embedded input is one request (as vLLM's engine counts them),
/// finished with reason "stop", its prompt tokens computed here.
public final class EmbeddingService: @unchecked Sendable {
    public let engine: EmbeddingEngine
    public let maxWaitingRequests: Int
    public let metrics: EngineMetrics
    private let queue = DispatchQueue(label: "swiftlet.embeddings")
    private let lock = NSLock()
    // Guarded by `lock`: calls entered and not left (the 503 limit), inputs waiting for the queue and
    // on it, prompt tokens embedded so far, requests recorded so far (their metric ids).
    private var waiting = 0
    private var waitingInputs = 0
    private var runningInputs = 0
    private var numPromptTokens = 0
    private var numRecorded = 0

    public init(engine: EmbeddingEngine, maxWaitingRequests: Int = 1024, modelName: String = "embedding-model") {
        self.engine = engine
        self.maxWaitingRequests = max(1, maxWaitingRequests)
        metrics = EngineMetrics(modelName: modelName, maxModelLen: engine.maxModelLen)
    }

    /// Embeds texts or token-id lists (exactly one is non-nil) as `EmbeddingEngine.embed` does.
    func embed(texts: [String]?, tokenIDs: [[Int]]?, addSpecialTokens: Bool, truncatePromptTokens: Int?,
               truncationSide: TruncationSide, normalize: Bool?) async throws -> [EmbeddingRequestOutput] {
        try enter()
        defer { leave() }
        return try await run(inputs: texts?.count ?? tokenIDs?.count ?? 0) { engine in
            if let tokenIDs {
                return try engine.embed(tokenIDs: tokenIDs, truncatePromptTokens: truncatePromptTokens,
                                        truncationSide: truncationSide, normalize: normalize)
            }
            return try engine.embed(texts ?? [], truncatePromptTokens: truncatePromptTokens, truncationSide: truncationSide,
                                    addSpecialTokens: addSpecialTokens, normalize: normalize)
        }
    }

    /// Scores text pairs as `EmbeddingEngine.score` does.
    func score(_ first: [String], _ second: [String], truncatePromptTokens: Int?, truncationSide: TruncationSide,
               normalize: Bool?) async throws -> [ScoringRequestOutput] {
        try enter()
        defer { leave() }
        return try await run(inputs: first.count + second.count) { engine in
            try engine.score(first, second, truncatePromptTokens: truncatePromptTokens, truncationSide: truncationSide,
                             normalize: normalize)
        }
    }

    func tokenize(_ text: String, addSpecialTokens: Bool) async throws -> [Int] {
        try await run(inputs: nil) { engine in try engine.tokenize(text, addSpecialTokens: addSpecialTokens) }
    }

    /// The Prometheus text of `GET /metrics`.
    func renderMetrics() -> String {
        lock.lock()
        var stats = SchedulerStats(numRunning: runningInputs, numWaiting: waitingInputs, kvCacheUsage: 0, prefixCacheQueries: 0,
                                   prefixCacheHits: 0, numPreemptions: 0, numPromptTokens: numPromptTokens, numGenerationTokens: 0)
        stats.promptTokenSources.localCompute = numPromptTokens
        lock.unlock()
        metrics.update(stats: stats)
        return metrics.render()
    }

    /// Runs `work` on the engine's queue; the engine's refusals come back as 400s naming
    /// truncate_prompt_tokens or the input. With `inputs` (an embedding call of that many inputs)
    /// the gauges follow it and, when it succeeds, each input it embedded is recorded as a request.
    private func run<T: Sendable>(inputs: Int?, _ work: @escaping @Sendable (EmbeddingEngine) throws -> T) async throws -> T {
        let arrival = EngineMetrics.monotonicSeconds()
        let count = inputs ?? 0
        adjust(waiting: count, running: 0)
        do {
            return try await withCheckedThrowingContinuation { continuation in
                queue.async { [self] in
                    let start = EngineMetrics.monotonicSeconds()
                    adjust(waiting: -count, running: count)
                    let result = Result { try work(engine) }
                    if inputs != nil, case .success = result {
                        record(lengths: engine.lastPromptLengths, arrival: arrival, start: start)
                    }
                    adjust(waiting: 0, running: -count)
                    continuation.resume(with: result)
                }
            }
        } catch let error as GenerationError {
            let param = error.description.hasPrefix("truncate_prompt_tokens") ? "truncate_prompt_tokens" : "input"
            throw APIError.badRequest(error.description, param: param)
        }
    }

    private func adjust(waiting deltaWaiting: Int, running deltaRunning: Int) {
        lock.lock()
        waitingInputs += deltaWaiting
        runningInputs += deltaRunning
        lock.unlock()
    }

    /// One finished request per embedded input: arrival, first run, end, prompt length.
    private func record(lengths: [Int], arrival: Double, start: Double) {
        lock.lock()
        let first = numRecorded
        numRecorded += lengths.count
        numPromptTokens += lengths.reduce(0, +)
        lock.unlock()
        let end = EngineMetrics.monotonicSeconds()
        for (offset, length) in lengths.enumerated() {
            let id = "embd-\(first + offset)"
            metrics.requestArrived(id: id, at: arrival)
            metrics.requestScheduled(id: id, at: start)
            metrics.requestFinished(id: id, reason: .stop, promptTokens: length, generationTokens: 0, at: end)
        }
    }

    func enter() throws {
        lock.lock()
        defer { lock.unlock() }
        guard waiting < maxWaitingRequests else {
            throw APIError(status: 503, message: "the server is overloaded: \(waiting) requests are waiting (--max-waiting-requests \(maxWaitingRequests)); retry later")
        }
        waiting += 1
    }

    func leave() {
        lock.lock()
        waiting -= 1
        lock.unlock()
    }
}
