import Engine
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The OpenAI-compatible HTTP server around an `AsyncEngine`.
public enum OpenAIServer {
    /// The Hummingbird application serving `context` on `host:port` (port 0: an ephemeral one).
    public static func application(context: ServingContext, host: String, port: Int,
                                   onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        Application(
            responder: OpenAIResponder(context: context),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "swiftlet"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) }
        )
    }

    /// Serves `context` on `host:port` until SIGTERM or SIGINT, then shuts down gracefully
    /// (`DrainingServer`: no new requests, in-flight ones get `shutdownTimeout` seconds, then are
    /// aborted), logging vLLM's stats line every `logStatsInterval` seconds when set. Returns once
    /// every response ended; the caller then shuts the engine down.
    /// - Parameters:
    ///   - log: where the stats and shutdown lines go.
    ///   - onServerRunning: called with the bound port (the real one for port 0).
    public static func run(context: ServingContext, host: String, port: Int, log: @escaping @Sendable (String) -> Void,
                           onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = application(context: context, host: host, port: port, onServerRunning: onServerRunning)
        var services: [any Service] = [DrainingServer(app: app, context: context, log: log)]
        if let interval = context.options.logStatsInterval, interval > 0 {
            services.append(StatsLogger(engine: context.engine, interval: interval, log: log))
        }
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: Logger(label: "swiftlet.serve"))
        // A safety net: a response that never ends cannot hold the process forever.
        let limit = max(context.options.shutdownTimeout, 0) + 30
        configuration.maximumGracefulShutdownDuration = .milliseconds(Int64(min(limit, 1e9) * 1000))
        try await ServiceGroup(configuration: configuration).run()
    }
}
