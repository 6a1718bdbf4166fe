import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// Notices on the connection's event loop that the client went away, so requests are aborted at
/// once rather than when the response task next fails to write (which under load may be much
/// later, while the engine keeps computing tokens no one reads). Sits first in the channel's
/// pipeline and passes everything on; "gone" is the input side closing (the client's FIN: the
/// server lets clients half-close, so this is the first sign) or the channel going inactive
/// (a reset, or the connection's end). One per connection.
final class ConnectionWatcher: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private let lock = NIOLock()
    /// Guarded by `lock`.
    private var gone = false
    private var callbacks: [Int: @Sendable () -> Void] = [:]
    private var nextToken = 0

    /// The watcher of `channel`'s connection, added to its pipeline on first use.
    static func attach(to channel: any Channel) async throws -> ConnectionWatcher {
        try await channel.eventLoop.submit {
            let pipeline = channel.pipeline.syncOperations
            if let existing = try? pipeline.handler(type: ConnectionWatcher.self) { return existing }
            let watcher = ConnectionWatcher()
            try pipeline.addHandler(watcher, position: .first)
            if !channel.isActive { watcher.fire() }
            return watcher
        }.get()
    }

    /// Calls `callback` once when the client goes away (at once when it already has). Returns
    /// a token for `unregister`.
    @discardableResult
    func register(_ callback: @escaping @Sendable () -> Void) -> Int {
        lock.lock()
        if gone {
            lock.unlock()
            callback()
            return -1
        }
        let token = nextToken
        nextToken += 1
        callbacks[token] = callback
        lock.unlock()
        return token
    }

    /// Forgets a callback (its request finished).
    func unregister(_ token: Int) {
        lock.withLock { _ = callbacks.removeValue(forKey: token) }
    }

    /// Number of callbacks waiting (for leak checks).
    var numRegistered: Int { lock.withLock { callbacks.count } }

    private func fire() {
        let pending: [@Sendable () -> Void] = lock.withLock {
            gone = true
            defer { callbacks = [:] }
            return Array(callbacks.values)
        }
        for callback in pending { callback() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fire()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { fire() }
        context.fireUserInboundEventTriggered(event)
    }
}
