import CZMQ
import Foundation

/// Publishes KV event batches over ZeroMQ as vLLM's `ZmqEventPublisher` does: a PUB socket sends
/// each batch as the multipart message [topic, 8-byte big-endian sequence number, msgpack
/// payload]; with a replay endpoint, a ROUTER socket answers a request [start sequence] with every
/// buffered batch from there on as [sequence, payload] and then [-1, empty]. Batches queue to one
/// publisher thread, which alone touches the sockets; a full queue drops (and counts) batches
/// rather than stall the engine.
public final class ZmqEventPublisher: EventPublisher, @unchecked Sendable {
    public struct PublisherError: Error, CustomStringConvertible {
        public let description: String
    }

    private let context: UnsafeMutableRawPointer
    private let pub: UnsafeMutableRawPointer
    private let replay: UnsafeMutableRawPointer?
    private let topic: [UInt8]
    private let bufferSteps: Int
    private let maxQueueSize: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [KVEventBatch] = []
    private var running = true
    private var thread: Thread?
    /// Batches dropped because the queue was full.
    public private(set) var droppedBatches = 0
    // Publisher thread only.
    private var nextSequence: Int64 = 0
    private var buffer: [(sequence: Int64, payload: [UInt8])] = []

    public init(config: KVEventsConfig, dataParallelRank: Int = 0) throws {
        guard let context = zmq_ctx_new() else { throw PublisherError(description: "zmq_ctx_new failed") }
        self.context = context
        guard let pub = zmq_socket(context, ZMQ_PUB) else {
            zmq_ctx_term(context)
            throw PublisherError(description: "cannot create a ZeroMQ PUB socket: \(Self.lastError())")
        }
        self.pub = pub
        var hwm = Int32(clamping: config.hwm)
        zmq_setsockopt(pub, ZMQ_SNDHWM, &hwm, MemoryLayout<Int32>.size)
        let endpoint = Self.offset(config.endpoint, by: dataParallelRank)
        let attached = KVEventsConfig.binds(endpoint) ? zmq_bind(pub, endpoint) : zmq_connect(pub, endpoint)
        guard attached == 0 else {
            let message = "cannot \(KVEventsConfig.binds(endpoint) ? "bind" : "connect") the KV event publisher to \(endpoint): \(Self.lastError())"
            Self.close(pub)
            zmq_ctx_term(context)
            throw PublisherError(description: message)
        }
        if let address = config.replayEndpoint.map({ Self.offset($0, by: dataParallelRank) }) {
            guard let router = zmq_socket(context, ZMQ_ROUTER), zmq_bind(router, address) == 0 else {
                let message = "cannot bind the KV event replay socket to \(address): \(Self.lastError())"
                Self.close(pub)
                zmq_ctx_term(context)
                throw PublisherError(description: message)
            }
            replay = router
        } else {
            replay = nil
        }
        topic = Array(config.topic.utf8)
        bufferSteps = config.bufferSteps
        maxQueueSize = config.maxQueueSize
        // The thread holds the publisher until `shutdown` ends it.
        let thread = Thread { self.loop() }
        thread.name = "zmq-publisher"
        self.thread = thread
        thread.start()
    }

    public func publish(_ batch: KVEventBatch) {
        condition.lock()
        defer { condition.unlock() }
        guard running else { return }
        guard queue.count < maxQueueSize else {
            droppedBatches += 1
            return
        }
        queue.append(batch)
        condition.signal()
    }

    public func shutdown() {
        condition.lock()
        guard running else { condition.unlock(); return }
        running = false
        condition.signal()
        condition.unlock()
        // The thread drains the queue, closes the sockets and ends the context.
        while thread?.isFinished == false { usleep(2_000) }
    }

    private func loop() {
        while true {
            if replay != nil { serviceReplay() }
            condition.lock()
            if queue.isEmpty && running { _ = condition.wait(until: Date().addingTimeInterval(0.05)) }
            let batches = queue
            queue.removeAll(keepingCapacity: true)
            let stop = !running
            condition.unlock()
            for batch in batches { send(batch) }
            if stop && batches.isEmpty { break }
        }
        Self.close(pub)
        if let replay { Self.close(replay) }
        zmq_ctx_term(context)
    }

    private func send(_ batch: KVEventBatch) {
        let sequence = nextSequence
        nextSequence += 1
        let payload = batch.encoded()
        Self.sendMultipart(pub, [topic, Self.bigEndian(sequence), payload])
        buffer.append((sequence, payload))
        if buffer.count > bufferSteps { buffer.removeFirst(buffer.count - bufferSteps) }
    }

    /// Answers every waiting replay request (frames: client id, empty, start sequence).
    private func serviceReplay() {
        guard let replay else { return }
        while let frames = Self.receiveMultipart(replay) {
            guard frames.count == 3, frames[2].count == 8 else { continue }
            let client = frames[0]
            let start = frames[2].reduce(Int64(0)) { $0 << 8 | Int64($1) }
            for entry in buffer where entry.sequence >= start {
                Self.sendMultipart(replay, [client, [], Self.bigEndian(entry.sequence), entry.payload])
            }
            Self.sendMultipart(replay, [client, [], Self.bigEndian(-1), []])
        }
    }

    private static func bigEndian(_ value: Int64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> Int64(56 - 8 * $0)) }
    }

    private static func sendMultipart(_ socket: UnsafeMutableRawPointer, _ frames: [[UInt8]]) {
        for (index, frame) in frames.enumerated() {
            let flags = index + 1 < frames.count ? ZMQ_SNDMORE : 0
            _ = frame.withUnsafeBytes { zmq_send(socket, $0.baseAddress, $0.count, flags) }
        }
    }

    /// One whole multipart message if one is waiting, without blocking.
    private static func receiveMultipart(_ socket: UnsafeMutableRawPointer) -> [[UInt8]]? {
        var frames: [[UInt8]] = []
        while true {
            var message = zmq_msg_t()
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            let size = zmq_msg_recv(&message, socket, frames.isEmpty ? ZMQ_DONTWAIT : 0)
            guard size >= 0 else { return frames.isEmpty ? nil : frames }
            let data = zmq_msg_data(&message)
            frames.append(data.map { Array(UnsafeRawBufferPointer(start: $0, count: Int(size))) } ?? [])
            if zmq_msg_more(&message) == 0 { return frames }
        }
    }

    private static func close(_ socket: UnsafeMutableRawPointer) {
        var linger: Int32 = 0
        zmq_setsockopt(socket, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
        zmq_close(socket)
    }

    private static func lastError() -> String {
        String(cString: zmq_strerror(zmq_errno()))
    }

    /// vLLM's port offset for data-parallel rank `rank` (tcp: port + rank; inproc: `_dp<rank>`).
    static func offset(_ endpoint: String, by rank: Int) -> String {
        guard rank > 0 else { return endpoint }
        if endpoint.hasPrefix("inproc") { return "\(endpoint)_dp\(rank)" }
        guard endpoint.hasPrefix("tcp"), let colon = endpoint.lastIndex(of: ":"),
              let port = Int(endpoint[endpoint.index(after: colon)...]) else { return endpoint }
        return "\(endpoint[..<colon]):\(port + rank)"
    }
}
