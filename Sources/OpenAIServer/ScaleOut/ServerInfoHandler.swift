import Engine
import Foundation
import Hummingbird

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
