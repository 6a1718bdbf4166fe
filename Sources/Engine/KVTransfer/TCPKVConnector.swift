#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SwiftletJSON

/// The KV connector over TCP: a producer keeps the blocks of finished prefills (registered by the
/// engine thread) and serves them to consumers that ask by request id and block ids; a consumer
/// pulls them. One transfer per connection: a JSON line each way, then the block bytes.
public final class TCPKVConnector: @unchecked Sendable {
    public let config: KVTransferConfig
    /// The bytes of some blocks, read from the engine's KV cache (the producer's server thread
    /// calls it; the blocks are held until the transfer is marked done).
    private let readBlocks: @Sendable ([Int]) -> [UInt8]?
    public let bytesPerBlock: Int
    private let lock = NSLock()
    // Guarded by `lock`.
    private var held: [String: (handle: KVTransferHandle, tokenIDs: [Int], deadline: Double)] = [:]
    private var released: [String] = []
    private var listener: Int32 = -1
    private var thread: Thread?
    /// The port the producer listens on (the configured one).
    public private(set) var port: Int

    /// Names the model's weights; producer and consumer must agree (KV of another file of the same
    /// shape would decode wrongly).
    public let modelFingerprint: String

    public init(config: KVTransferConfig, bytesPerBlock: Int, modelFingerprint: String,
                readBlocks: @escaping @Sendable ([Int]) -> [UInt8]?) throws {
        self.config = config
        self.modelFingerprint = modelFingerprint
        self.bytesPerBlock = bytesPerBlock
        self.readBlocks = readBlocks
        port = config.port
        if config.produces {
            let bindHost = config.ip == "127.0.0.1" || config.ip == "localhost" ? "127.0.0.1" : "0.0.0.0"
            do { listener = try TCPSocket.listen(host: bindHost, port: config.port) } catch {
                throw KVTransferConfig.ConfigError(description: "--kv-transfer-config: \(error)")
            }
            let thread = Thread { [self] in serve() }
            thread.name = "kv-connector"
            self.thread = thread
            thread.start()
        }
    }

    // MARK: Producer

    /// Keeps `handle`'s blocks for a consumer until it pulls them or `holdSeconds` pass.
    /// `tokenIDs`: the tokens whose KV the blocks hold, sent along so a consumer checks its prompt.
    func hold(requestID: String, handle: KVTransferHandle, tokenIDs: [Int], now: Double) {
        lock.lock()
        held[requestID] = (handle, tokenIDs, now + config.holdSeconds)
        lock.unlock()
    }

    /// Requests whose blocks the engine may free now: pulled, or held past their deadline.
    func releasable(now: Double) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        let expired = held.filter { $0.value.deadline <= now }.map(\.key)
        for id in expired { held[id] = nil }
        let ids = released + expired
        released.removeAll()
        return ids.sorted()
    }

    /// Requests whose blocks are still held.
    public var numHeld: Int {
        lock.lock()
        defer { lock.unlock() }
        return held.count
    }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR { continue }
                return
            }
            TCPSocket.setTimeout(connection, 30)
            handle(connection)
            close(connection)
        }
    }

    private func handle(_ connection: Int32) {
        func answer(_ header: String, _ body: [UInt8] = []) {
            try? TCPSocket.sendAll(connection, Array((header + "\n").utf8) + body)
        }
        guard let line = try? TCPSocket.receiveLine(connection), let object = (try? JSONValue(parsing: Data(line)))?.objectValue,
              let requestID = object["request_id"]?.stringValue,
              let blockIDs = object["block_ids"]?.arrayValue?.compactMap(\.intValue) else {
            answer(#"{"ok":false,"error":"bad request line"}"#)
            return
        }
        lock.lock()
        let entry = held[requestID]
        lock.unlock()
        guard let entry, entry.handle.blockIDs == blockIDs else {
            answer(#"{"ok":false,"error":"no held blocks for this request"}"#)
            return
        }
        guard object["model"]?.stringValue == modelFingerprint else {
            answer(#"{"ok":false,"error":"the consumer runs another model file"}"#)
            return
        }
        // The consumer's prompt must begin with the tokens whose KV the blocks hold.
        guard let prompt = object["token_ids"]?.arrayValue?.compactMap(\.intValue), prompt.count >= entry.tokenIDs.count,
              Array(prompt.prefix(entry.tokenIDs.count)) == entry.tokenIDs else {
            answer(#"{"ok":false,"error":"the held KV is for another prompt"}"#)
            return
        }
        guard let bytes = readBlocks(blockIDs) else {
            answer(#"{"ok":false,"error":"cannot read the blocks"}"#)
            return
        }
        answer(#"{"ok":true,"num_tokens":\#(entry.handle.numTokens),"num_blocks":\#(blockIDs.count),"bytes_per_block":\#(bytesPerBlock)}"#, bytes)
        lock.lock()
        if held.removeValue(forKey: requestID) != nil { released.append(requestID) }
        lock.unlock()
    }

    // MARK: Consumer

    public struct PullError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Pulls the KV `params` names from its producer for `promptTokenIDs`; throws on any failure,
    /// also when the producer's tokens are not this prompt's (the caller then computes the prompt
    /// itself: a lost transfer costs time, never a wrong answer).
    public func pull(_ params: KVTransferParams, promptTokenIDs: [Int], timeout: Double = 30) throws -> ExternalKV {
        guard let host = params.remoteHost, let port = params.remotePort, let blockIDs = params.remoteBlockIDs,
              let requestID = params.remoteRequestID else {
            throw PullError(description: "kv_transfer_params lacks remote_host, remote_port, remote_block_ids or remote_request_id")
        }
        let fd = try TCPSocket.connect(host: host, port: port, timeout: timeout)
        defer { close(fd) }
        let ids = blockIDs.map(String.init).joined(separator: ",")
        let tokens = promptTokenIDs.map(String.init).joined(separator: ",")
        let requestLine = #"{"request_id":"\#(Self.escape(requestID))","model":"\#(Self.escape(modelFingerprint))","block_ids":[\#(ids)],"token_ids":[\#(tokens)]}"# + "\n"
        try TCPSocket.sendAll(fd, Array(requestLine.utf8))
        guard let header = (try? JSONValue(parsing: Data(try TCPSocket.receiveLine(fd))))?.objectValue else {
            throw PullError(description: "the producer's answer is not JSON")
        }
        guard header["ok"]?.boolValue == true else {
            throw PullError(description: "the producer refused: \(header["error"]?.stringValue ?? "no reason")")
        }
        guard let numTokens = header["num_tokens"]?.intValue, let numBlocks = header["num_blocks"]?.intValue,
              let size = header["bytes_per_block"]?.intValue, numBlocks == blockIDs.count else {
            throw PullError(description: "the producer's header lacks num_tokens, num_blocks or bytes_per_block")
        }
        guard size == bytesPerBlock else {
            throw PullError(description: "the producer's blocks hold \(size) bytes, ours \(bytesPerBlock): a different model, dtype or block size")
        }
        return ExternalKV(numTokens: numTokens, bytes: try TCPSocket.receive(fd, count: numBlocks * size))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    public func shutdown() {
        if listener >= 0 {
            Glibc.shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
            listener = -1
        }
    }
}
