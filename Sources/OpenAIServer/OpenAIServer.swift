import Engine
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import ServiceLifecycle

/// The OpenAI-compatible HTTP server around an `AsyncEngine`.
public enum OpenAIServer {
    /// The Hummingbird application serving `context` on `host:port` (port 0: an ephemeral one).
    /// With `context.options.tls` it speaks HTTPS only; a bad certificate or key file throws here.
    public static func application(context: ServingContext, host: String, port: Int,
                                   onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws -> some ApplicationProtocol
    {
        // Requests the HTTP parser cannot read get an OpenAI error body too.
        let http1 = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [MalformedRequestResponder()]))
        let server: HTTPServerBuilder = try context.options.tls.map { try .tls(http1, tlsConfiguration: $0.configuration()) }
            ?? http1
        return Application(
            responder: OpenAIResponder(context: context),
            server: server,
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
        let app = try application(context: context, host: host, port: port, onServerRunning: onServerRunning)
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
