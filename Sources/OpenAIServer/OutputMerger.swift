import Engine
import Foundation

/// Runs several engine requests (one per prompt) and hands back their outputs as they come, tagged
/// with the prompt index. Cancelling aborts every request that is still running.
final class OutputMerger: Sendable {
    enum Event: Sendable {
        case output(Int, RequestOutput)
        case failed(Int, any Error)
        case ended(Int)
    }

    let events: AsyncStream<Event>
    private let tasks: [Task<Void, Never>]
    private let engine: AsyncEngine
    private let requestIDs: [String]
    private let metrics: EngineMetrics
    /// Set once every request ended; `cancel` then does nothing.
    private let state = MergerState()

    init(engine: AsyncEngine, metrics: EngineMetrics, prompts: [[Int]], params: SamplingParams, requestIDs: [String],
         priority: Int, cacheSalt: String?, transfer: AsyncEngine.Transfer? = nil) {
        let (events, continuation) = AsyncStream<Event>.makeStream()
        self.events = events
        self.engine = engine
        self.requestIDs = requestIDs
        self.metrics = metrics
        var tasks: [Task<Void, Never>] = []
        for (index, prompt) in prompts.enumerated() {
            metrics.requestArrived(id: requestIDs[index], at: EngineMetrics.monotonicSeconds())
            let stream = engine.generate(prompt: prompt, params: params, requestID: requestIDs[index],
                                         priority: priority, cacheSalt: cacheSalt, transfer: index == 0 ? transfer : nil)
            tasks.append(Task {
                do {
                    for try await output in stream {
                        metrics.record(output, at: EngineMetrics.monotonicSeconds())
                        continuation.yield(.output(index, output))
                    }
                    continuation.yield(.ended(index))
                } catch {
                    continuation.yield(.failed(index, error))
                }
            })
        }
        self.tasks = tasks
        let waiter = tasks
        let state = self.state
        Task {
            for task in waiter { await task.value }
            state.finish()?()
            continuation.finish()
        }
    }

    /// Aborts every request as soon as the client of `watcher`'s connection goes away, from the
    /// connection's event loop (not waiting for the response task to notice).
    func abortOnDisconnect(_ watcher: ConnectionWatcher?) {
        guard let watcher else { return }
        let token = watcher.register { [weak self] in self?.cancel() }
        state.onFinish { watcher.unregister(token) }
    }

    /// Aborts every request (the client went away); does nothing once they all ended.
    func cancel() {
        guard state.cancel() else { return }
        for task in tasks { task.cancel() }
        for id in requestIDs {
            engine.abort(id)
            metrics.requestFinished(id: id, reason: .abort, promptTokens: 0, generationTokens: 0,
                                    at: EngineMetrics.monotonicSeconds())
        }
    }

    /// Waits for every request to finish and returns the last output of each, in prompt order; an
    /// engine failure is a 400 naming it.
    func collect() async throws -> [RequestOutput] {
        do {
            return try await withTaskCancellationHandler {
                try await collectOutputs()
            } onCancel: {
                cancel()
            }
        } catch {
            throw APIError.badRequest("\(error)")
        }
    }

    private func collectOutputs() async throws -> [RequestOutput] {
        var finals = [RequestOutput?](repeating: nil, count: requestIDs.count)
        for await event in events {
            switch event {
            case .output(let index, let output): finals[index] = output
            case .failed(_, let error):
                cancel()
                throw error
            case .ended: break
            }
        }
        return finals.compactMap { $0 }
    }
}

/// An `OutputMerger`'s life: running, cancelled or finished, and what to do when it finishes.
final class MergerState: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = false
    private var cancelled = false
    private var finishAction: (@Sendable () -> Void)?

    /// Marks the requests finished; returns the action to run then, if one was set.
    func finish() -> (@Sendable () -> Void)? {
        lock.lock()
        defer { lock.unlock() }
        finished = true
        defer { finishAction = nil }
        return finishAction
    }

    /// Runs `action` when the requests finish (at once when they have).
    func onFinish(_ action: @escaping @Sendable () -> Void) {
        lock.lock()
        if finished {
            lock.unlock()
            action()
            return
        }
        finishAction = action
        lock.unlock()
    }

    /// True the first time, while the requests still run.
    func cancel() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if finished || cancelled { return false }
        cancelled = true
        return true
    }
}
