import Foundation
import SwiftletJSON

/// Responses kept for `previous_response_id` and `GET /v1/responses/{id}`: in memory, at most
/// `capacity` of them; the oldest goes first when a new one would pass it.
public final class ResponseStore: @unchecked Sendable {
    struct Entry: Sendable {
        var response: ResponseObject
        /// The conversation it ended (input and history as chat messages, then its answer), without
        /// the system message: a later request with this id as `previous_response_id` continues it.
        var conversation: [JSONValue]
    }

    public let capacity: Int
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    /// Ids oldest first.
    private var order: [String] = []

    public init(capacity: Int = 1000) {
        self.capacity = max(0, capacity)
    }

    /// How many responses are kept.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }

    func put(_ entry: Entry) {
        lock.lock()
        defer { lock.unlock() }
        guard capacity > 0 else { return }
        let id = entry.response.id
        if entries.updateValue(entry, forKey: id) == nil { order.append(id) }
        while order.count > capacity {
            entries.removeValue(forKey: order.removeFirst())
        }
    }

    func get(_ id: String) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        return entries[id]
    }
}
