import Engine
import Foundation
import ServiceLifecycle

/// vLLM's periodic stats line (`EngineMetrics.logLine`: throughputs, running and waiting requests,
/// KV cache usage, prefix cache hit rate), every `interval` seconds while the engine is busy;
/// `--disable-log-stats` leaves it out. Ends on graceful shutdown.
public struct StatsLogger: Service {
    let engine: AsyncEngine
    /// Seconds between lines.
    let interval: Double
    let log: @Sendable (String) -> Void

    public init(engine: AsyncEngine, interval: Double, log: @escaping @Sendable (String) -> Void) {
        self.engine = engine
        self.interval = interval
        self.log = log
    }

    /// The line for one interval, or nil when it is quiet: as vLLM, a line is logged while this or
    /// the previous interval produced tokens (so the one after a burst shows the drop to zero),
    /// and also while requests run or wait.
    public static func line(previous: SchedulerStats, now: SchedulerStats, interval: Double,
                            previousWasActive: Bool) -> (line: String?, active: Bool) {
        let active = now.numPromptTokens != previous.numPromptTokens
            || now.numGenerationTokens != previous.numGenerationTokens
        guard active || previousWasActive || now.numRunning > 0 || now.numWaiting > 0 else { return (nil, false) }
        return (EngineMetrics.logLine(previous: previous, now: now, interval: interval), active)
    }

    public func run() async throws {
        guard interval > 0 else { return }
        var previous = engine.stats
        var previousTime = EngineMetrics.monotonicSeconds()
        var previousWasActive = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let nanoseconds = UInt64(min(interval, 86_400) * 1e9)
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(nanoseconds: nanoseconds) }
            } catch {
                return
            }
            let now = engine.stats
            let time = EngineMetrics.monotonicSeconds()
            let result = Self.line(previous: previous, now: now, interval: time - previousTime,
                                   previousWasActive: previousWasActive)
            if let line = result.line { log(line) }
            previous = now
            previousTime = time
            previousWasActive = result.active
        }
    }
}
