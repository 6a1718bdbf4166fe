import Hummingbird
import NIOCore

/// The request context of the OpenAI server: Hummingbird's core context plus the connection's
/// channel, so handlers can notice the client going away (`ConnectionWatcher`).
public struct ServerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
