import Engine
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Routes requests to the OpenAI-compatible endpoints and turns every failure into an OpenAI error
/// body; answers CORS preflights and adds CORS headers; refuses new requests with 503 while draining.
public struct OpenAIResponder: HTTPResponder {
    public typealias Context = ServerRequestContext
    /// The version `/version` reports.
    public static let version = "0.1.0"

    public let context: ServingContext

    public init(context: ServingContext) {
        self.context = context
    }

    private static let routes: [String: HTTPRequest.Method] = [
        "/": .get, "/health": .get, "/version": .get, "/metrics": .get, "/v1/models": .get, "/tokenize": .post, "/detokenize": .post,
        "/v1/completions": .post, "/v1/chat/completions": .post,
        "/v1/completions/render": .post, "/v1/chat/completions/render": .post, "/get_load": .get, "/get_server_info": .get,
        "/kv_event_sources": .get, "/v1/responses": .post, responseByID: .get, responseCancel: .post,
    ]
    /// The route keys of `/v1/responses/{id}` and `/v1/responses/{id}/cancel`.
    private static let responseByID = "/v1/responses/{id}", responseCancel = "/v1/responses/{id}/cancel"

    /// The route key of `path`: itself, or the pattern of a stored response's path.
    private static func routeKey(_ path: String) -> String {
        guard path.hasPrefix("/v1/responses/") else { return path }
        return path.hasSuffix("/cancel") ? responseCancel : responseByID
    }

    /// The `{id}` of a stored response's path.
    private static func responseID(_ path: String) -> String {
        var id = path.dropFirst("/v1/responses/".count)
        if id.hasSuffix("/cancel") { id = id.dropLast("/cancel".count) }
        return String(id)
    }

    public func respond(to request: Request, context requestContext: ServerRequestContext) async throws -> Response {
        await ResponderSupport.respond(to: request, cors: context.options.cors) {
            try await route(request, channel: requestContext.channel)
        }
    }

    private func route(_ request: Request, channel: any Channel) async throws -> Response {
        if context.drain.isDraining {
            throw APIError(status: 503, message: "the server is shutting down and takes no new requests; retry on another instance")
        }
        let path = request.uri.path
        let key = Self.routeKey(path)
        guard let method = Self.routes[key] else {
            throw APIError(status: 404, message: "Not Found: \(path)")
        }
        try ResponderSupport.check(request, method: method, apiKey: context.options.apiKey)
        if let answer = ResponderSupport.commonAnswer(key, modelName: context.options.servedModelName, created: context.created,
                                                      maxModelLen: context.maxModelLen) {
            return answer
        }
        switch key {
        case Self.responseByID:
            return try ResponsesHandler(context: context).retrieve(id: Self.responseID(path))
        case "/":
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: WebChatPage.html)))
        case "/metrics":
            context.metrics.update(stats: context.engine.stats)
            var headers = HTTPFields()
            headers[.contentType] = EngineMetrics.contentType
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: context.metrics.render())))
        case "/get_load":
            return ServerInfoHandler(context: context).load()
        case "/get_server_info":
            return ServerInfoHandler(context: context).serverInfo()
        case "/kv_event_sources":
            return ServerInfoHandler(context: context).kvEventSources(hostHeader: request.head.authority)
        default:
            break
        }
        let body = try await readBody(request)
        if context.options.logRequests {
            context.logLine("request \(path): \(body.count) bytes")
        }
        switch path {
        case "/tokenize": return try TokenizeHandler(context: context).tokenize(body: body)
        case "/detokenize": return try TokenizeHandler(context: context).detokenize(body: body)
        case "/v1/completions/render": return try RenderHandler(context: context).completions(body: body)
        case "/v1/chat/completions/render": return try RenderHandler(context: context).chat(body: body)
        default: break
        }
        let watcher = try? await ConnectionWatcher.attach(to: channel)
        let headerID = request.headers[Self.requestIDHeader].flatMap { $0.isEmpty ? nil : $0 }
        switch key {
        case Self.responseCancel:
            return try ResponsesHandler(context: context).cancel(id: Self.responseID(path))
        case "/v1/responses":
            return try await ResponsesHandler(context: context, headerRequestID: headerID).respond(body: body, watcher: watcher)
        case "/v1/completions":
            return try await CompletionsHandler(context: context, headerRequestID: headerID).respond(body: body, watcher: watcher)
        default:
            return try await ChatCompletionsHandler(context: context, headerRequestID: headerID).respond(body: body, watcher: watcher)
        }
    }

    static let requestIDHeader = HTTPField.Name("X-Request-Id")!

    private func readBody(_ request: Request) async throws -> Data {
        try await ResponderSupport.readBody(request, limit: context.options.maxRequestBodySize)
    }
}
