import CZMQ
import Foundation
import KVEvents
import Testing

/// The publisher over real ZeroMQ sockets (ipc in a temporary directory): live PUB frames and the
/// ROUTER replay of buffered batches, read by libzmq SUB and DEALER sockets as a router would.
@Suite struct ZmqEventPublisherTests {
    final class Sockets {
        let context = zmq_ctx_new()!
        var sockets: [UnsafeMutableRawPointer] = []

        func socket(_ type: Int32, connect address: String) -> UnsafeMutableRawPointer {
            let socket = zmq_socket(context, type)!
            var timeout: Int32 = 5000
            zmq_setsockopt(socket, ZMQ_RCVTIMEO, &timeout, 4)
            if type == ZMQ_SUB { zmq_setsockopt(socket, ZMQ_SUBSCRIBE, "", 0) }
            zmq_connect(socket, address)
            sockets.append(socket)
            return socket
        }

        func receive(_ socket: UnsafeMutableRawPointer) -> [[UInt8]] {
            var frames: [[UInt8]] = []
            repeat {
                var message = zmq_msg_t()
                zmq_msg_init(&message)
                defer { zmq_msg_close(&message) }
                let size = zmq_msg_recv(&message, socket, 0)
                guard size >= 0 else { return frames }
                frames.append(Array(UnsafeRawBufferPointer(start: zmq_msg_data(&message), count: Int(size))))
                if zmq_msg_more(&message) == 0 { return frames }
            } while true
        }

        deinit {
            for socket in sockets {
                var linger: Int32 = 0
                zmq_setsockopt(socket, ZMQ_LINGER, &linger, 4)
                zmq_close(socket)
            }
            zmq_ctx_term(context)
        }
    }

    static func sequence(_ bytes: [UInt8]) -> Int64 { bytes.reduce(Int64(0)) { $0 << 8 | Int64($1) } }

    @Test func liveFramesAndReplay() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kvev-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = try KVEventsConfig(json: #"{"enable_kv_cache_events": true, "publisher": "zmq", "topic": "kv"}"#)
        config.endpoint = "ipc://\(directory.path)/pub"
        config.replayEndpoint = "ipc://\(directory.path)/replay"
        config.bufferSteps = 2
        let publisher = try ZmqEventPublisher(config: config)
        defer { publisher.shutdown() }
        let sockets = Sockets()
        let sub = sockets.socket(ZMQ_SUB, connect: config.endpoint)
        // A subscriber sees only what is sent after it joined: publish until the first one arrives.
        var first: [[UInt8]] = []
        var sent = 0
        while first.isEmpty && sent < 100 {
            publisher.publish(KVEventBatch(timestamp: 1, events: [.allBlocksCleared]))
            sent += 1
            var poll = zmq_pollitem_t(socket: sub, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
            if zmq_poll(&poll, 1, 100) > 0 { first = sockets.receive(sub) }
        }
        #expect(first.count == 3)
        #expect(first.first == Array("kv".utf8))
        #expect(first.last == KVEventBatch(timestamp: 1, events: [.allBlocksCleared]).encoded())
        let stored = KVEventBatch(timestamp: 2, events: [.blockStored(blockHashes: [7, 8], parentBlockHash: 6, tokenIDs: [1, 2, 3, 4], blockSize: 2)])
        publisher.publish(stored)
        var last = first
        while Self.sequence(last[1]) < Int64(sent) { last = sockets.receive(sub) }
        #expect(Self.sequence(last[1]) == Int64(sent))
        #expect(last[2] == stored.encoded())

        // Replay from sequence 0: only the last bufferSteps (2) batches are kept, then the end marker.
        let dealer = sockets.socket(ZMQ_DEALER, connect: config.replayEndpoint!)
        let request: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0]
        _ = zmq_send(dealer, nil, 0, ZMQ_SNDMORE)
        _ = request.withUnsafeBytes { zmq_send(dealer, $0.baseAddress, 8, 0) }
        var replayed: [Int64] = []
        while true {
            let frames = sockets.receive(dealer)
            try #require(frames.count == 3)
            let number = Self.sequence(frames[1])
            if number == -1 { #expect(frames[2].isEmpty); break }
            replayed.append(number)
            if number == Int64(sent) { #expect(frames[2] == stored.encoded()) }
        }
        #expect(replayed == [Int64(sent - 1), Int64(sent)])
    }

    @Test func anAddressInUseIsAClearError() throws {
        var config = try KVEventsConfig(json: #"{"enable_kv_cache_events": true, "publisher": "zmq"}"#)
        config.endpoint = "tcp://*:47391"
        // The first one holds the port (if something else already does, the second fails the same way).
        let first = try? ZmqEventPublisher(config: config)
        defer { first?.shutdown() }
        #expect {
            _ = try ZmqEventPublisher(config: config)
        } throws: { error in
            "\(error)".contains("cannot bind the KV event publisher to tcp://*:47391: Address already in use")
        }
    }
}
