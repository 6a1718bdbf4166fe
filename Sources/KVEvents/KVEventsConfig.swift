import Foundation
import SwiftletJSON

/// `--kv-events-config`, vLLM's `KVEventsConfig` JSON: whether the engine publishes KV cache events
/// and where. Unknown fields and impossible values are refused with a message.
public struct KVEventsConfig: Sendable, Equatable {
    public var enableKVCacheEvents = false
    /// "null" (publish nothing) or "zmq".
    public var publisher = "null"
    /// ZeroMQ PUB address: `tcp://*:5557` binds (a `*`, `::`, `ipc://` or `inproc://` address
    /// binds, any other connects, as vLLM decides).
    public var endpoint = "tcp://*:5557"
    /// ROUTER address where subscribers ask for missed batches by sequence number; nil: no replay.
    public var replayEndpoint: String?
    /// Batches kept for replay.
    public var bufferSteps = 10_000
    /// ZeroMQ send high-water mark of the PUB socket.
    public var hwm = 100_000
    /// Batches waiting for the publisher thread before new ones are dropped (counted).
    public var maxQueueSize = 100_000
    /// The first frame of every message.
    public var topic = ""

    public init() {}

    public enum ConfigError: Error, Equatable, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            switch self { case .invalid(let message): return message }
        }
    }

    static let fields: Set<String> = ["enable_kv_cache_events", "publisher", "endpoint", "replay_endpoint", "buffer_steps",
                                      "hwm", "max_queue_size", "topic"]

    /// Parses the flag's JSON object.
    public init(json: String) throws {
        guard let object = (try? JSONValue(parsing: Data(json.utf8)))?.objectValue else {
            throw ConfigError.invalid("--kv-events-config must be a JSON object, got '\(json)'")
        }
        if let unknown = object.map(\.key).first(where: { !Self.fields.contains($0) }) {
            throw ConfigError.invalid("--kv-events-config: unknown field '\(unknown)'; known: \(Self.fields.sorted().joined(separator: ", "))")
        }
        func present(_ key: String) -> JSONValue? {
            guard let value = object[key], !value.isNull else { return nil }
            return value
        }
        func string(_ key: String) throws -> String? {
            guard let value = present(key) else { return nil }
            guard let text = value.stringValue else { throw ConfigError.invalid("--kv-events-config: '\(key)' must be a string") }
            return text
        }
        func count(_ key: String) throws -> Int? {
            guard let value = present(key) else { return nil }
            guard let int = value.intValue, int > 0 else {
                throw ConfigError.invalid("--kv-events-config: '\(key)' must be a positive integer")
            }
            return int
        }
        if let value = present("enable_kv_cache_events") {
            guard let flag = value.boolValue else {
                throw ConfigError.invalid("--kv-events-config: 'enable_kv_cache_events' must be true or false")
            }
            enableKVCacheEvents = flag
        }
        if let value = try string("publisher") { publisher = value }
        guard publisher == "null" || publisher == "zmq" else {
            throw ConfigError.invalid("--kv-events-config: publisher must be 'null' or 'zmq', got '\(publisher)'")
        }
        if let value = try string("endpoint") { endpoint = value }
        replayEndpoint = try string("replay_endpoint")
        if let value = try count("buffer_steps") { bufferSteps = value }
        if let value = try count("hwm") { hwm = value }
        if let value = try count("max_queue_size") { maxQueueSize = value }
        if let value = try string("topic") { topic = value }
        for (key, address) in [("endpoint", endpoint), ("replay_endpoint", replayEndpoint ?? "tcp://*:0")] where !Self.isAddress(address) {
            throw ConfigError.invalid("--kv-events-config: '\(key)' must be a ZeroMQ address such as tcp://*:5557, got '\(address)'")
        }
    }

    /// Events are recorded and published only with both set, as vLLM.
    public var publishes: Bool { enableKVCacheEvents && publisher == "zmq" }

    static func isAddress(_ text: String) -> Bool {
        ["tcp://", "ipc://", "inproc://"].contains { text.hasPrefix($0) && text.count > $0.count }
    }

    /// Whether vLLM's publisher binds this address (else it connects to it).
    public static func binds(_ address: String) -> Bool {
        address.contains("*") || address.contains("::") || address.hasPrefix("ipc://") || address.hasPrefix("inproc://")
    }
}
