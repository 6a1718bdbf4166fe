import ChatTemplates
import Engine
import Foundation
import SwiftletTokenizers
import ReasoningParsers
import ToolParsers

/// The engine and model facts every handler reads.
public struct ServingContext: Sendable {
    public let engine: AsyncEngine
    public let tokenizer: Tokenizer
    public let chatTemplate: ChatPromptTemplate?
    public let maxModelLen: Int
    public let vocabSize: Int
    public let maxLogprobs: Int
    public let defaults: SamplingParams
    public let options: ServerOptions
    public let created = Int(Date().timeIntervalSince1970)
    /// vLLM's Prometheus metrics, served at /metrics.
    public let metrics: EngineMetrics
    /// Compiles structured-output constraints (nil when the engine has no tokenizer).
    public let structuredOutputs: StructuredOutputManager?
    /// The tool-call parser for `tool_choice: "auto"` (`--enable-auto-tool-choice --tool-call-parser NAME`); nil when off.
    let autoToolCalls: (any AutoToolCalls)?
    /// Set when shutdown begins: new requests are refused with 503.
    public let drain = DrainState()
    private let seedCounter = SeedCounter()
    /// The KV cache's shape, which routers and endpoint pickers read (`/get_server_info`, metrics).
    public let cache: CacheFacts
    /// Prefill/decode disaggregation's connector (`--kv-transfer-config`); nil: off.
    public let kvConnector: TCPKVConnector?
    /// Stored `/v1/responses` answers (`previous_response_id`, `GET /v1/responses/{id}`).
    public let responseStore: ResponseStore

    /// `useGenerationConfig` false ignores the model's generation_config defaults (vLLM `--generation-config vllm`).
    public init(engine: AsyncEngine, core: EngineCore, chatTemplate: ChatPromptTemplate?, options: ServerOptions,
                useGenerationConfig: Bool = true) throws {
        guard let tokenizer = core.tokenizer else { throw APIError(status: 500, message: "the engine has no tokenizer") }
        self.engine = engine
        self.tokenizer = tokenizer
        self.chatTemplate = chatTemplate
        maxModelLen = core.config.maxModelLen
        vocabSize = core.vocabSize
        maxLogprobs = core.config.maxLogprobs
        defaults = useGenerationConfig ? core.defaultSamplingParams : SamplingParams()
        self.options = options
        cache = CacheFacts(config: core.config, dtype: options.kvCacheDType)
        kvConnector = core.scheduler.kvConnector
        responseStore = ResponseStore(capacity: options.maxStoredResponses)
        metrics = EngineMetrics(modelName: options.servedModelName, maxModelLen: core.config.maxModelLen,
                                cacheConfigLabels: cache.metricLabels)
        structuredOutputs = core.structuredOutputs
        structuredOutputs?.maxCachedGrammars = options.structuredOutputs.maxCachedGrammars
        if let name = options.reasoningParser, !ReasoningParserRegistry.names.contains(name) {
            throw APIError(status: 500, message: "unknown reasoning parser '\(name)'; known: \(ReasoningParserRegistry.names.joined(separator: ", "))")
        }
        if options.enableAutoToolChoice {
            guard let name = options.toolCallParser else {
                throw APIError(status: 500, message: "--enable-auto-tool-choice requires --tool-call-parser")
            }
            guard let parser = ParserToolCalls(name: name) else {
                throw APIError(status: 500, message: "unknown tool-call parser '\(name)'; known: \(ServingContext.toolCallParserNames.joined(separator: ", "))")
            }
            autoToolCalls = parser
        } else {
            autoToolCalls = nil
        }
        engine.attach(metrics: metrics)
    }

    /// The names `--tool-call-parser` takes.
    public static var toolCallParserNames: [String] { ToolParserRegistry.names }

    /// The names `--reasoning-parser` takes.
    public static var reasoningParserNames: [String] { ReasoningParserRegistry.names }

    /// The reasoning parser for one request (qwen3 reads whether the template was asked to think).
    func reasoningParser(enableThinking: Bool) -> (any ReasoningParser)? {
        options.reasoningParser.flatMap { ReasoningParserRegistry.make($0, enableThinking: enableThinking) }
    }

    /// Checks `model` against the served name (absent is fine, as vLLM).
    func checkModel(_ model: String?) throws {
        try APIError.checkModel(model, served: options.servedModelName)
    }

    /// One line per engine request when request logging is on (vLLM's "Received request" line), so a
    /// request id sent by a client or router can be traced to the replica that ran it.
    func logReceived(ids: [String], prompts: [[Int]], params: SamplingParams) {
        guard options.logRequests else { return }
        for (id, prompt) in zip(ids, prompts) {
            logLine("Received request \(id): \(prompt.count) prompt tokens, max_tokens \(params.maxTokens), n \(params.n)")
        }
    }

    /// Writes a request log line to stdout unbuffered, so a log file or pipe sees it at once.
    func logLine(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// 503 while the waiting queue is full.
    func checkCapacity() throws {
        let waiting = engine.stats.numWaiting
        if waiting >= options.maxWaitingRequests {
            throw APIError(status: 503, message: "the server is overloaded: \(waiting) requests are waiting (--max-waiting-requests \(options.maxWaitingRequests)); retry later")
        }
    }

    /// Sampling params from the request fields over the model's generation_config defaults.
    func samplingParams(_ fields: SamplingFields, maxTokens: Int?, logprobs: Int?, promptLen: Int,
                        structured: StructuredOutputsParams? = nil) throws -> SamplingParams {
        var params = defaults
        if let value = fields.n { params.n = value }
        if let value = fields.temperature { params.temperature = value }
        if let value = fields.topP { params.topP = value }
        if let value = fields.topK { params.topK = value }
        if let value = fields.minP { params.minP = value }
        if let value = fields.seed {
            params.seed = UInt64(truncatingIfNeeded: value)
        } else if let base = options.seed {
            params.seed = base &+ seedCounter.next()
        }
        if let value = fields.presencePenalty { params.presencePenalty = value }
        if let value = fields.frequencyPenalty { params.frequencyPenalty = value }
        if let value = fields.repetitionPenalty { params.repetitionPenalty = value }
        if let value = fields.minTokens { params.minTokens = value }
        if let value = fields.ignoreEos { params.ignoreEOS = value }
        if let value = fields.stopTokenIds { params.stopTokenIDs = value }
        if let value = fields.stop { params.stop = value.values }
        if let value = fields.includeStopStrInOutput { params.includeStopStrInOutput = value }
        if let value = fields.skipSpecialTokens { params.skipSpecialTokens = value }
        if let value = fields.spacesBetweenSpecialTokens { params.spacesBetweenSpecialTokens = value }
        if let value = fields.promptLogprobs { params.promptLogprobs = value }
        if let value = fields.allowedTokenIds { params.allowedTokenIDs = value }
        if let value = fields.badWords { params.badWords = value }
        if let value = fields.truncatePromptTokens { params.truncatePromptTokens = value }
        params.logprobs = logprobs
        if let bias = fields.logitBias {
            var resolved: [Int: Double] = [:]
            for (key, value) in bias {
                guard let id = Int(key) else {
                    throw APIError.badRequest("logit_bias keys must be token ids, got '\(key)'", param: "logit_bias")
                }
                resolved[id] = value
            }
            params.logitBias = resolved
        }
        let effectivePromptLen = params.truncatePromptTokens.map { min($0, promptLen) } ?? promptLen
        // vLLM 0.34: max_tokens above the context length is refused; otherwise it is lowered to
        // the room the prompt leaves.
        if effectivePromptLen >= maxModelLen {
            throw APIError.badRequest("This model's maximum context length is \(maxModelLen) tokens. However, your prompt has \(effectivePromptLen) tokens. Please reduce the length of the prompt.", param: "prompt")
        }
        if let maxTokens {
            if maxTokens < 1 { throw APIError.badRequest("max_tokens must be at least 1, got \(maxTokens)", param: "max_tokens") }
            if maxTokens > maxModelLen {
                throw APIError.badRequest("max_tokens=\(maxTokens) cannot be greater than max_model_len=\(maxModelLen). Please request fewer output tokens.",
                                          param: "max_tokens")
            }
            params.maxTokens = min(maxTokens, maxModelLen - effectivePromptLen)
        } else {
            params.maxTokens = maxModelLen - effectivePromptLen
        }
        if params.temperature < 1e-5, params.n > 1 {
            throw APIError.badRequest("n must be 1 when using greedy sampling, got \(params.n).", param: "n")
        }
        do {
            try params.validate(vocabSize: vocabSize, maxLogprobs: maxLogprobs)
        } catch {
            throw APIError.badRequest(error.description, param: {
                if case .outOfRange(let field, _, _) = error { return field }
                return nil
            }())
        }
        // Compiled by the handler (compileConstraint), off the engine thread, before the request is queued.
        params.structuredOutputs = structured
        params = params.resolvingBadWords(tokenizer: tokenizer)
        if params.badWordsTokenIDs.count > Self.maxBadWords {
            throw APIError.badRequest("Too many bad words after tokenization: \(params.badWordsTokenIDs.count). The max number is \(Self.maxBadWords).",
                                      param: "bad_words")
        }
        return params
    }

    /// The text of one token, for logprobs.
    func tokenText(_ id: Int) -> String {
        (try? tokenizer.decode([id])) ?? ""
    }
}

/// Hands out 0, 1, 2, ... across requests (for `--seed`).
final class SeedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: UInt64 = 0

    func next() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        let current = value
        value &+= 1
        return current
    }
}
