import Engine
import Foundation
import Hummingbird
import ServiceLifecycle

/// The HTTP application plus graceful shutdown: when the service group shuts down (SIGTERM or
/// SIGINT), the server stops accepting connections (Hummingbird closes its listener and lets
/// open connections finish their responses), new requests on open connections get 503, requests
/// in flight run for up to `ServerOptions.shutdownTimeout` seconds, and those still running are
/// then aborted (their streams end with finish reason abort). Returns when every response ended.
struct DrainingServer<App: ApplicationProtocol>: Service {
    let app: App
    let context: ServingContext
    let log: @Sendable (String) -> Void

    func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            group.addTask {
                do { try await gracefulShutdown() } catch { return }  // cancelled: no drain
                await drain()
            }
            try await group.waitForAll()
        }
    }

    /// Refuses new requests, waits for the engine to go idle or the grace period to end, then
    /// aborts what still runs.
    func drain() async {
        context.drain.beginDraining()
        let engine = context.engine
        let timeout = max(context.options.shutdownTimeout, 0)
        let stats = engine.stats
        log("shutting down: waiting up to \(timeout) s (--shutdown-timeout) for \(stats.numRunning) running and \(stats.numWaiting) waiting requests")
        let deadline = EngineMetrics.monotonicSeconds() + timeout
        while !engine.isIdle && EngineMetrics.monotonicSeconds() < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        if !engine.isIdle {
            let left = engine.stats
            log("shutdown timeout: aborting \(left.numRunning) running and \(left.numWaiting) waiting requests")
            engine.abortAll()
        }
    }
}
