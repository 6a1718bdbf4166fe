import KVEvents
import Foundation

/// What the server needs besides the engine: its name for the model, limits and the API key.
public struct ServerOptions: Sendable {
    /// The name clients must send as `model` (and `/v1/models` lists).
    public var servedModelName: String
    /// When set, `/v1/*` requires `Authorization: Bearer <apiKey>`.
    public var apiKey: String?
    /// Largest request body accepted, in bytes (413 above it).
    public var maxRequestBodySize: Int
    /// Requests refused with 503 while more than this many wait in the engine's queue.
    public var maxWaitingRequests: Int
    /// Log one line per request.
    public var logRequests: Bool
    /// When set, a request without its own `seed` gets `seed + k` for the k-th such request (vLLM `--seed`:
    /// reproducible runs).
    public var seed: UInt64?
    /// CORS headers and preflight answers (vLLM's defaults allow every origin).
    public var cors: CORSPolicy
    /// Seconds in-flight requests may keep running after SIGTERM/SIGINT before they are aborted
    /// (vLLM `--shutdown-timeout`).
    public var shutdownTimeout: Double
    /// Seconds between stats log lines; nil logs none (`--disable-log-stats`).
    public var logStatsInterval: Double?
    /// The tool-call format of the model's answers (vLLM `--tool-call-parser`: hermes, llama3_json, mistral, pythonic).
    public var toolCallParser: String?
    /// `tool_choice: "auto"` reads calls from the answers with `toolCallParser` (vLLM `--enable-auto-tool-choice`).
    public var enableAutoToolChoice: Bool
    /// Structured-output settings (`--structured-outputs-config`).
    public var structuredOutputs = StructuredOutputsConfig()
    /// Splits answers into reasoning and content (vLLM `--reasoning-parser`: deepseek_r1, qwen3).
    public var reasoningParser: String?
    /// The KV cache element type as `--kv-cache-dtype` names it (reported to routers and in metrics).
    public var kvCacheDType = "auto"
    /// HTTPS (`--ssl-keyfile`, `--ssl-certfile`, ...); nil serves plain HTTP.
    public var tls: ServerTLSOptions?
    /// Where KV cache events are published (`--kv-events-config`), for `/kv_event_sources`; nil: off.
    public var kvEvents: KVEventsConfig?
    /// Most `/v1/responses` answers kept for `previous_response_id` (the oldest go first).
    public var maxStoredResponses = 1000

    public init(servedModelName: String, apiKey: String? = nil, maxRequestBodySize: Int = 4 << 20,
                maxWaitingRequests: Int = 1024, logRequests: Bool = false, seed: UInt64? = nil,
                cors: CORSPolicy = CORSPolicy(), shutdownTimeout: Double = 5, logStatsInterval: Double? = nil,
                toolCallParser: String? = nil, enableAutoToolChoice: Bool = false, reasoningParser: String? = nil) {
        self.reasoningParser = reasoningParser
        self.toolCallParser = toolCallParser
        self.enableAutoToolChoice = enableAutoToolChoice
        self.cors = cors
        self.shutdownTimeout = shutdownTimeout
        self.logStatsInterval = logStatsInterval
        self.seed = seed
        self.servedModelName = servedModelName
        self.apiKey = apiKey
        self.maxRequestBodySize = maxRequestBodySize
        self.maxWaitingRequests = maxWaitingRequests
        self.logRequests = logRequests
    }
}
