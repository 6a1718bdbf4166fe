import Engine
import Foundation
import Logging
import OpenAIServer
import ServiceLifecycle
import Testing

extension ServerSuites {
/// The periodic stats line: when it is logged and what it says.
@Suite struct StatsLoggerTests {
    func stats(running: Int = 0, waiting: Int = 0, usage: Double = 0, queries: Int = 0, hits: Int = 0,
               prompt: Int = 0, generation: Int = 0) -> SchedulerStats {
        SchedulerStats(numRunning: running, numWaiting: waiting, kvCacheUsage: usage, prefixCacheQueries: queries,
                       prefixCacheHits: hits, numPreemptions: 0, numPromptTokens: prompt, numGenerationTokens: generation)
    }

    @Test func lineFromSnapshots() {
        let previous = stats(queries: 100, hits: 20, prompt: 50, generation: 10)
        let now = stats(running: 2, waiting: 1, usage: 0.25, queries: 200, hits: 70, prompt: 100, generation: 30)
        let result = StatsLogger.line(previous: previous, now: now, interval: 5, previousWasActive: false)
        #expect(result.line == "Avg prompt throughput: 10.0 tokens/s, Avg generation throughput: 4.0 tokens/s, Running: 2 reqs, Waiting: 1 reqs, KV cache usage: 25.0%, Prefix cache hit rate: 50.0%")
        #expect(result.active)
    }

    @Test func quietIntervals() {
        let idle = stats(queries: 200, hits: 70, prompt: 100, generation: 30)
        let quiet = StatsLogger.line(previous: idle, now: idle, interval: 5, previousWasActive: false)
        #expect(quiet.line == nil)
        #expect(!quiet.active)
        // The interval after activity is logged once more, showing the drop to zero.
        let after = StatsLogger.line(previous: idle, now: idle, interval: 5, previousWasActive: true)
        #expect(after.line == "Avg prompt throughput: 0.0 tokens/s, Avg generation throughput: 0.0 tokens/s, Running: 0 reqs, Waiting: 0 reqs, KV cache usage: 0.0%, Prefix cache hit rate: 0.0%")
        #expect(!after.active)
        // Requests stuck waiting are worth a line even without tokens.
        let stuck = stats(waiting: 3, prompt: 100, generation: 30)
        #expect(StatsLogger.line(previous: idle, now: stuck, interval: 5, previousWasActive: false).line?.contains("Waiting: 3 reqs") == true)
    }

    /// One integration check of the timer: lines come while a request runs, and the logger ends on shutdown.
    @Test func logsWhileARequestRuns() async throws {
        let engine = try ServerFixture.loaded.get().engine
        let lines = LineBox()
        let logger = StatsLogger(engine: engine, interval: 0.05) { lines.append($0) }
        let group = ServiceGroup(configuration: .init(services: [logger], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var params = SamplingParams()
            params.maxTokens = 8
            params.temperature = 0
            params.ignoreEOS = true
            // The logger's first snapshot may come after a request: run them until a line shows.
            for _ in 0..<50 where lines.values.isEmpty {
                for try await _ in engine.generate(prompt: [504, 3575], params: params) {}
                _ = await ServerFixture.eventually(within: 0.5) { !lines.values.isEmpty }
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(lines.values.first?.hasPrefix("Avg prompt throughput: ") == true)
    }
}
}

/// Lines collected from another task.
final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var values: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
