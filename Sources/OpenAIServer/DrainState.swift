import Foundation

/// Whether the server is shutting down: once draining, new requests get 503 while the ones in
/// flight finish (or are aborted when the grace period ends).
public final class DrainState: @unchecked Sendable {
    private let lock = NSLock()
    private var draining = false

    public init() {}

    /// True once shutdown began.
    public var isDraining: Bool {
        lock.lock()
        defer { lock.unlock() }
        return draining
    }

    /// Starts refusing new requests.
    public func beginDraining() {
        lock.lock()
        defer { lock.unlock() }
        draining = true
    }
}
