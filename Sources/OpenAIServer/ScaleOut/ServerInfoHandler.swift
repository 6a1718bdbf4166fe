import Engine
import Foundation
import Hummingbird
import SwiftletJSON

/// The read-only endpoints routers poll: `GET /get_load` (vllm-router's `power_of_two`) and
/// `GET /get_server_info` (its `kv_aware` discovery: the model identity and the block size that
/// prefix hashes are cut by). Both answer from the HTTP task without an engine round trip.
struct ServerInfoHandler {
    let context: ServingContext

    struct LoadResponse: Encodable, Sendable {
        /// Requests in the engine: running plus waiting.
        var load: Int
        var numRequestsRunning: Int
        var numRequestsWaiting: Int
        var kvCacheUsagePerc: Double

        enum CodingKeys: String, CodingKey {
            case load, numRequestsRunning = "num_requests_running", numRequestsWaiting = "num_requests_waiting"
            case kvCacheUsagePerc = "kv_cache_usage_perc"
        }
    }

    struct ServerInfoResponse: Encodable, Sendable {
        var modelID: String
        var servedModelName: String
        var maxModelLen: Int
        var blockSize: Int
        var numGPUBlocks: Int
        var kvCacheDType: String
        var enablePrefixCaching: Bool
        var version: String

        enum CodingKeys: String, CodingKey {
            case modelID = "model_id", servedModelName = "served_model_name", maxModelLen = "max_model_len"
            case blockSize = "block_size", numGPUBlocks = "num_gpu_blocks", kvCacheDType = "kv_cache_dtype"
            case enablePrefixCaching = "enable_prefix_caching", version
        }
    }

    /// vLLM's `/kv_event_sources` entry: where this engine publishes its KV cache events.
    struct KVEventSource: Encodable, Sendable {
        var dataParallelRank: Int
        var endpoint: String
        var replayEndpoint: Nullable<String>
        var topic: String

        enum CodingKeys: String, CodingKey {
            case dataParallelRank = "data_parallel_rank", endpoint, replayEndpoint = "replay_endpoint", topic
        }
    }

    /// A bare array, as vLLM: empty when events are off. A bound wildcard address (`tcp://*:5557`)
    /// is given with the host the caller reached this server at, so a router can connect to it.
    func kvEventSources(hostHeader: String?) -> Response {
        guard let events = context.options.kvEvents else { return JSONResponse.make(ResponseJSON.bytes([KVEventSource]())) }
        let host = Self.hostName(hostHeader) ?? "127.0.0.1"
        let reachable = { (address: String) in address.replacingOccurrences(of: "://*:", with: "://\(host):") }
        let source = KVEventSource(dataParallelRank: 0, endpoint: reachable(events.endpoint),
                                   replayEndpoint: Nullable(events.replayEndpoint.map(reachable)), topic: events.topic)
        return JSONResponse.make(ResponseJSON.bytes([source]))
    }

    /// The host of a `Host` header value (`name:port`, `[v6]:port`).
    static func hostName(_ header: String?) -> String? {
        guard let header, !header.isEmpty else { return nil }
        if header.hasPrefix("["), let close = header.firstIndex(of: "]") { return String(header[...close]) }
        return header.split(separator: ":", maxSplits: 1).first.map(String.init)
    }

    func load() -> Response {
        let stats = context.engine.stats
        return JSONResponse.make(ResponseJSON.bytes(LoadResponse(
            load: stats.numRunning + stats.numWaiting, numRequestsRunning: stats.numRunning,
            numRequestsWaiting: stats.numWaiting, kvCacheUsagePerc: stats.kvCacheUsage)))
    }

    func serverInfo() -> Response {
        let name = context.options.servedModelName
        let cache = context.cache
        return JSONResponse.make(ResponseJSON.bytes(ServerInfoResponse(
            modelID: name, servedModelName: name, maxModelLen: context.maxModelLen, blockSize: cache.blockSize,
            numGPUBlocks: cache.numBlocks, kvCacheDType: cache.dtype, enablePrefixCaching: cache.enablePrefixCaching,
            version: OpenAIResponder.version)))
    }
}
