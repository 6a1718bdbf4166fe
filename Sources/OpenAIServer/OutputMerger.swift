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

    init(engine: AsyncEngine, metrics: EngineMetrics, prompts: [[Int]], params: SamplingParams, requestIDs: [String],
         priority: Int, cacheSalt: String?) {
        let (events, continuation) = AsyncStream<Event>.makeStream()
        self.events = events
        self.engine = engine
        self.requestIDs = requestIDs
        self.metrics = metrics
        var tasks: [Task<Void, Never>] = []
        for (index, prompt) in prompts.enumerated() {
            metrics.requestArrived(id: requestIDs[index], at: EngineMetrics.monotonicSeconds())
            let stream = engine.generate(prompt: prompt, params: params, requestID: requestIDs[index],
                                         priority: priority, cacheSalt: cacheSalt)
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
        Task {
            for task in waiter { await task.value }
            continuation.finish()
        }
    }

    /// Aborts every request (the client went away).
    func cancel() {
        for task in tasks { task.cancel() }
        for id in requestIDs {
            engine.abort(id)
            metrics.requestFinished(id: id, reason: .abort, promptTokens: 0, generationTokens: 0,
                                    at: EngineMetrics.monotonicSeconds())
        }
    }

    /// Waits for every request to finish and returns the last output of each, in prompt order.
    func collect() async throws -> [RequestOutput] {
        try await withTaskCancellationHandler {
            try await collectOutputs()
        } onCancel: {
            cancel()
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
