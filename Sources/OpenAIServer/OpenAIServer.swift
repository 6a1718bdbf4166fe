import Engine
import Foundation
import Hummingbird

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
}
