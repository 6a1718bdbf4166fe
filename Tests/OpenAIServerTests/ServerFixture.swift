import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import OpenAIServer
import Testing

/// One engine on the default model, shared by the server tests (small context and KV cache).
enum ServerFixture {
    static let modelName = "smollm2"

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The engine and its core; the core is only read (config, tokenizer) outside the engine thread.
    struct Loaded: @unchecked Sendable {
        let core: EngineCore
        let engine: AsyncEngine
    }

    static let loaded: Result<Loaded, any Error> = Result {
        let path = repoRoot.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw FixtureError("missing \(path): run scripts/fetch-model")
        }
        var config = EngineConfig(maxModelLen: 128, maxNumSeqs: 16, maxNumBatchedTokens: 256, kvCacheMemoryBytes: 24 << 20)
        config.enablePromptLogprobs = true
        let core = try EngineCore.load(path: path, config: config)
        let engine = try AsyncEngine(core: core)
        engine.start()
        return Loaded(core: core, engine: engine)
    }

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func context(apiKey: String? = nil, maxRequestBodySize: Int = 1 << 20, maxWaitingRequests: Int = 64,
                        cors: CORSPolicy = CORSPolicy()) throws -> ServingContext {
        let loaded = try loaded.get()
        let core = loaded.core, engine = loaded.engine
        let template = try ModelFiles.open(repoRoot.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path).chatTemplate()
        return try ServingContext(engine: engine, core: core, chatTemplate: template, options: ServerOptions(
            servedModelName: modelName, apiKey: apiKey, maxRequestBodySize: maxRequestBodySize,
            maxWaitingRequests: maxWaitingRequests, cors: cors))
    }

    /// Runs `body` against a live server on an ephemeral port.
    static func withServer(apiKey: String? = nil, maxRequestBodySize: Int = 1 << 20, maxWaitingRequests: Int = 64,
                           cors: CORSPolicy = CORSPolicy(),
                           _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withServing(apiKey: apiKey, maxRequestBodySize: maxRequestBodySize, maxWaitingRequests: maxWaitingRequests,
                              cors: cors) { client, _ in try await body(client) }
    }

    /// `withServer`, also handing `body` the serving context (its metrics and drain state).
    static func withServing(apiKey: String? = nil, maxRequestBodySize: Int = 1 << 20, maxWaitingRequests: Int = 64,
                            cors: CORSPolicy = CORSPolicy(),
                            _ body: @Sendable (any TestClientProtocol, ServingContext) async throws -> Void) async throws {
        let context = try context(apiKey: apiKey, maxRequestBodySize: maxRequestBodySize,
                                  maxWaitingRequests: maxWaitingRequests, cors: cors)
        let app = try OpenAIServer.application(context: context, host: "127.0.0.1", port: 0)
        try await app.test(.live) { client in try await body(client, context) }
    }

    /// Polls `condition` every 50 ms for up to `seconds` (generous: the machine is shared); true once it holds.
    static func eventually(within seconds: Double = 60, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        let data = Data(response.body.readableBytesView)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, _ body: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// The `data:` payloads of an SSE body, in order.
    static func events(_ text: String) -> [String] {
        text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { $0.hasPrefix("data: ") ? String($0.dropFirst(6)) : "NOT-SSE: \($0)" }
    }
}

/// Every server suite runs one test at a time: they share one engine, and the disconnect test waits
/// for it to be idle.
@Suite(.serialized) struct ServerSuites {}
