/// Where the engine hands each step's KV cache events (vLLM's `EventPublisher`). `publish` is
/// called from the engine thread and must not block it.
public protocol EventPublisher: AnyObject, Sendable {
    func publish(_ batch: KVEventBatch)
    /// Sends what is queued (briefly) and releases the sockets; later batches are dropped.
    func shutdown()
}

/// The publisher for `--kv-events-config` (the zmq publisher, or nil when events are off).
public enum EventPublisherFactory {
    public static func make(_ config: KVEventsConfig, dataParallelRank: Int = 0) throws -> (any EventPublisher)? {
        guard config.publishes else { return nil }
        return try ZmqEventPublisher(config: config, dataParallelRank: dataParallelRank)
    }
}
