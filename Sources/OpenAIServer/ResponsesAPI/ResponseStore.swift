import Foundation
import SwiftletJSON

/// Responses kept for `previous_response_id` and `GET /v1/responses/{id}`: in memory, at most
/// `capacity` of them and `maxBytes` of their conversations' JSON (a chain of responses repeats
/// its history in each); the oldest go first when a new one would pass either.
public final class ResponseStore: @unchecked Sendable {
    struct Entry: Sendable {
        var response: ResponseObject
        /// The conversation it ended (input and history as chat messages, then its answer), without
        /// the system message: a later request with this id as `previous_response_id` continues it.
        var conversation: [JSONValue]
        /// The conversation's JSON size, what the byte bound counts.
        var bytes = 0
    }

    public let capacity: Int
    public let maxBytes: Int
    private let lock = NSLock()
    private var totalBytes = 0
    private var entries: [String: Entry] = [:]
    /// Ids oldest first.
    private var order: [String] = []

    public init(capacity: Int = 1000, maxBytes: Int = 256 << 20) {
        self.capacity = max(0, capacity)
        self.maxBytes = max(0, maxBytes)
    }

    /// How many responses are kept.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }

    func put(_ entry: Entry) {
        var entry = entry
        entry.bytes = (try? ResponseJSON.encoder.encode(entry.conversation).count) ?? 0
        lock.lock()
        defer { lock.unlock() }
        guard capacity > 0, entry.bytes <= maxBytes else { return }
        let id = entry.response.id
        if let replaced = entries.updateValue(entry, forKey: id) {
            totalBytes -= replaced.bytes
            order.removeAll { $0 == id }
        }
        order.append(id)
        totalBytes += entry.bytes
        while order.count > capacity || totalBytes > maxBytes {
            if let removed = entries.removeValue(forKey: order.removeFirst()) { totalBytes -= removed.bytes }
        }
    }

    func get(_ id: String) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        return entries[id]
    }
}
