import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle

/// The OpenAI-compatible server for an embedding model (vLLM's pooling runner): `/v1/embeddings`,
/// `/score` and `/rerank` (each also under vLLM's other paths), `/v1/models`, `/tokenize`, `/metrics`,
/// `/health`, `/version`. The generation endpoints answer 404 naming
/// what the model supports. API key, CORS and TLS work as on the generation server.
public enum EmbeddingServer {
    public static func application(service: EmbeddingService, options: ServerOptions, host: String, port: Int,
                                   onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws -> some ApplicationProtocol
    {
        let http1 = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [MalformedRequestResponder()]))
        let server: HTTPServerBuilder = try options.tls.map { try .tls(http1, tlsConfiguration: $0.configuration()) } ?? http1
        return Application(
            responder: EmbeddingResponder(service: service, options: options, created: Int(Date().timeIntervalSince1970)),
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "swiftlet"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) }
        )
    }

    /// Serves until SIGTERM or SIGINT.
    public static func run(service: EmbeddingService, options: ServerOptions, host: String, port: Int,
                           onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = try application(service: service, options: options, host: host, port: port, onServerRunning: onServerRunning)
        let configuration = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: Logger(label: "swiftlet.serve"))
        try await ServiceGroup(configuration: configuration).run()
    }
}

struct EmbeddingResponder: HTTPResponder {
    typealias Context = ServerRequestContext
    let service: EmbeddingService
    let options: ServerOptions
    let created: Int

    private static let routes: [String: HTTPRequest.Method] = [
        "/health": .get, "/version": .get, "/metrics": .get, "/v1/models": .get, "/v1/embeddings": .post, "/tokenize": .post,
        "/score": .post, "/v1/score": .post, "/rerank": .post, "/v1/rerank": .post, "/v2/rerank": .post,
    ]
    private static let generationPaths = ["/v1/completions", "/v1/chat/completions", "/v1/responses",
                                          "/v1/completions/render", "/v1/chat/completions/render"]

    func respond(to request: Request, context requestContext: ServerRequestContext) async throws -> Response {
        await ResponderSupport.respond(to: request, cors: options.cors) { try await route(request) }
    }

    private func route(_ request: Request) async throws -> Response {
        let path = request.uri.path
        guard let method = Self.routes[path] else {
            if Self.generationPaths.contains(path) {
                throw APIError(status: 404, message: "Not Found: \(path): \(options.servedModelName) is an embedding model; it serves /v1/embeddings")
            }
            throw APIError(status: 404, message: "Not Found: \(path)")
        }
        try ResponderSupport.check(request, method: method, apiKey: options.apiKey)
        if let answer = ResponderSupport.commonAnswer(path, modelName: options.servedModelName, created: created,
                                                      maxModelLen: service.engine.maxModelLen) {
            return answer
        }
        if path == "/metrics" {
            return Response(status: .ok, headers: [.contentType: EngineMetrics.contentType],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: service.renderMetrics())))
        }
        let body = try await ResponderSupport.readBody(request, limit: options.maxRequestBodySize)
        if path == "/tokenize" {
            let tokenize = try RequestDecoding.decode(TokenizeHandler.TokenizeRequest.self, from: body)
            guard let prompt = tokenize.prompt, tokenize.messages == nil else {
                throw APIError.badRequest("an embedding model tokenizes 'prompt' only", param: "prompt")
            }
            let tokens = try await service.tokenize(prompt, addSpecialTokens: tokenize.addSpecialTokens ?? true)
            return JSONResponse.make(ResponseJSON.bytes(TokenizeResponse(count: tokens.count, maxModelLen: service.engine.maxModelLen,
                                                                         tokens: tokens)))
        }
        let scores = ScoreHandler(service: service, modelName: options.servedModelName)
        switch path {
        case "/score", "/v1/score": return JSONResponse.make(ResponseJSON.bytes(try await scores.score(body: body)))
        case "/rerank", "/v1/rerank", "/v2/rerank": return JSONResponse.make(ResponseJSON.bytes(try await scores.rerank(body: body)))
        default: return try await EmbeddingsHandler(service: service, modelName: options.servedModelName).respond(body: body)
        }
    }
}
