import ArgumentParser
import Foundation
import OpenAIServer
import Swiftlet

/// `swiftlet serve`: the OpenAI-compatible HTTP server (like `vllm serve`).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model over an OpenAI-compatible HTTP API (/v1/completions, /v1/chat/completions, /v1/responses, /v1/models, /tokenize, /detokenize, /health, /version; /v1/embeddings for an embedding model).")

    @Argument(help: "A .gguf file or a Hugging Face model directory (default: the model `make serve` fetches).")
    var model: String = ModelLoadOptions.defaultModel

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on.")
    var port = 8000

    @Option(name: .long, help: "Require 'Authorization: Bearer KEY' on /v1/* requests.")
    var apiKey: String?

    @OptionGroup var engine: EngineOptions

    @OptionGroup var serving: ServingModelOptions

    @OptionGroup var pooling: PoolingOptions

    @Option(name: .long, help: "The tool-call format of the model's answers: hermes, llama3_json, llama4_json, mistral or pythonic.")
    var toolCallParser: String?

    @Flag(name: .long, help: "Serve tool_choice \"auto\": calls are read from the answers with --tool-call-parser.")
    var enableAutoToolChoice = false

    @Option(name: .long, help: "Structured-output settings as a JSON object: disable_any_whitespace, disable_additional_properties, whitespace_pattern, compile_timeout (seconds, default 10), max_cached_grammars (default 256), enable_in_reasoning, backend (auto).")
    var structuredOutputsConfig: String?

    @Flag(name: .long, help: "Do not log each request.")
    var disableLogRequests = false

    @Option(name: .long, help: "Largest request body, e.g. 4MiB (413 above it).")
    var maxRequestBodySize = "4MiB"

    @Option(name: .long, help: "Refuse new requests with 503 while this many wait in the queue.")
    var maxWaitingRequests = 1024

    @Option(name: .long, help: "Seconds in-flight requests may still run after SIGTERM/SIGINT before they are aborted.")
    var shutdownTimeout = 5.0

    @Flag(name: .long, help: "Do not log the periodic stats line (throughput, running/waiting requests, KV cache usage).")
    var disableLogStats = false

    @OptionGroup var cors: ServeCORSOptions

    @Option(name: .long, help: "PEM private key: serve HTTPS (with --ssl-certfile).")
    var sslKeyfile: String?

    @Option(name: .long, help: "PEM certificate chain: serve HTTPS (with --ssl-keyfile).")
    var sslCertfile: String?

    @Option(name: .long, help: "PEM bundle of CA certificates that client certificates are checked against.")
    var sslCaCerts: String?

    @Option(name: .long, help: "Client certificates: 0 not asked for, 1 checked when given, 2 required (Python's ssl.CERT_* values, as vLLM).")
    var sslCertReqs = 0

    func run() async throws {
        let bodyLimit = try ByteSize.parse(maxRequestBodySize)
        guard shutdownTimeout >= 0 && shutdownTimeout.isFinite else {
            throw ValidationError("--shutdown-timeout must be a non-negative number of seconds, got \(shutdownTimeout)")
        }
        let corsPolicy = try cors.policy()
        let tls: ServerTLSOptions?
        do {
            tls = try ServerTLSOptions(keyFile: sslKeyfile, certFile: sslCertfile, caCerts: sslCaCerts, certReqs: sslCertReqs)
            _ = try tls?.configuration()
        } catch { throw ValidationError("\(error)") }
        var structured = StructuredOutputsConfig()
        if let structuredOutputsConfig {
            do { structured = try StructuredOutputsConfig(json: structuredOutputsConfig) } catch {
                throw ValidationError("--structured-outputs-config: \(error)")
            }
        }
        if let toolCallParser, !ServingContext.toolCallParserNames.contains(toolCallParser) {
            throw ValidationError("--tool-call-parser must be one of \(ServingContext.toolCallParserNames.joined(separator: ", ")), got '\(toolCallParser)'")
        }
        if enableAutoToolChoice && toolCallParser == nil {
            throw ValidationError("--enable-auto-tool-choice requires --tool-call-parser")
        }
        if let embedder = try pooling.embeddingEngine(model: model, engine: engine) {
            try await serveEmbeddings(embedder, bodyLimit: bodyLimit, cors: corsPolicy, tls: tls)
            return
        }
        let config = try engine.config()
        let loaded = try ServingEngineLoader(model: model, config: config, maxLogprobs: serving.maxLogprobs, chatTemplate: serving.chatTemplate)
        let (core, template, asyncEngine) = (loaded.core, loaded.template, loaded.engine)
        defer { asyncEngine.shutdown() }
        let name = serving.servedModelName ?? model
        var options = ServerOptions(servedModelName: name, apiKey: apiKey, maxRequestBodySize: bodyLimit,
                                    maxWaitingRequests: maxWaitingRequests, logRequests: !disableLogRequests, seed: serving.seed,
                                    cors: corsPolicy, shutdownTimeout: shutdownTimeout,
                                    logStatsInterval: disableLogStats ? nil : Self.logStatsInterval,
                                    toolCallParser: toolCallParser, enableAutoToolChoice: enableAutoToolChoice,
                                    reasoningParser: serving.reasoningParser)
        options.structuredOutputs = structured
        options.kvCacheDType = engine.kvCacheDType
        options.tls = tls
        options.kvEvents = config.kvEventsConfig.flatMap { $0.publishes ? $0 : nil }
        let context = try ServingContext(engine: asyncEngine, core: core, chatTemplate: template, options: options,
                                         useGenerationConfig: serving.generationConfig == "auto")
        try await OpenAIServer.run(context: context, host: host, port: port, log: { printError($0) }) { port in
            printError("serving \(name) on \(tls == nil ? "http" : "https")://\(host):\(port)")
        }
        printError("server stopped")
    }

    /// An embedding model (a BERT directory, or a generative model with --runner pooling): the pooling server.
    private func serveEmbeddings(_ embedder: EmbeddingEngine, bodyLimit: Int, cors: CORSPolicy, tls: ServerTLSOptions?) async throws {
        let name = serving.servedModelName ?? model
        var options = ServerOptions(servedModelName: name, apiKey: apiKey, maxRequestBodySize: bodyLimit,
                                    maxWaitingRequests: maxWaitingRequests, logRequests: !disableLogRequests, seed: nil,
                                    cors: cors, shutdownTimeout: shutdownTimeout, logStatsInterval: nil,
                                    toolCallParser: nil, enableAutoToolChoice: false, reasoningParser: nil)
        options.tls = tls
        printError(PoolingOptions.summary(embedder, name: name))
        let service = EmbeddingService(engine: embedder, maxWaitingRequests: maxWaitingRequests, modelName: name)
        try await EmbeddingServer.run(service: service, options: options, host: host, port: port) { port in
            printError("serving \(name) on \(tls == nil ? "http" : "https")://\(host):\(port)")
        }
        printError("server stopped")
    }

    /// Seconds between stats lines.
    static let logStatsInterval = 5.0
}
