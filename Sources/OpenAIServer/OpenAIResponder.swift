import Engine
import Foundation
import Hummingbird

/// Routes requests to the OpenAI-compatible endpoints and turns every failure into an OpenAI error body.
public struct OpenAIResponder: HTTPResponder {
    public typealias Context = BasicRequestContext
    /// The version `/version` reports.
    public static let version = "0.1.0"

    public let context: ServingContext

    public init(context: ServingContext) {
        self.context = context
    }

    private static let routes: [String: HTTPRequest.Method] = [
        "/health": .get, "/version": .get, "/metrics": .get, "/v1/models": .get, "/tokenize": .post, "/detokenize": .post,
        "/v1/completions": .post, "/v1/chat/completions": .post,
    ]

    public func respond(to request: Request, context requestContext: BasicRequestContext) async throws -> Response {
        do {
            return try await route(request)
        } catch let error as APIError {
            return JSONResponse.error(error)
        } catch {
            return JSONResponse.error(APIError(status: 500, message: "internal error: \(error)"))
        }
    }

    private func route(_ request: Request) async throws -> Response {
        let path = request.uri.path
        guard let method = Self.routes[path] else {
            throw APIError(status: 404, message: "Not Found: \(path)")
        }
        guard request.method == method || (method == .get && request.method == .head) else {
            throw APIError(status: 405, message: "Method Not Allowed: \(request.method) \(path) (use \(method))")
        }
        if path.hasPrefix("/v1/"), let key = context.options.apiKey,
           request.headers[.authorization] != "Bearer \(key)" {
            throw APIError(status: 401, message: "Unauthorized: a valid 'Authorization: Bearer' API key is required")
        }
        switch path {
        case "/health":
            return Response(status: .ok)
        case "/version":
            return JSONResponse.make(JSONBody.data(["version": Self.version]))
        case "/metrics":
            context.metrics.update(stats: context.engine.stats)
            var headers = HTTPFields()
            headers[.contentType] = EngineMetrics.contentType
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: context.metrics.render())))
        case "/v1/models":
            return JSONResponse.make(JSONBody.data(["object": "list", "data": [[
                "id": context.options.servedModelName, "object": "model", "created": context.created,
                "owned_by": "swiftlet", "root": context.options.servedModelName, "parent": NSNull(),
                "max_model_len": context.maxModelLen, "permission": [Any](),
            ] as [String: Any]]]))
        default:
            break
        }
        let body = try await readBody(request)
        if context.options.logRequests {
            print("request \(path): \(body.count) bytes")
        }
        switch path {
        case "/tokenize": return try TokenizeHandler(context: context).tokenize(body: body)
        case "/detokenize": return try TokenizeHandler(context: context).detokenize(body: body)
        case "/v1/completions": return try await CompletionsHandler(context: context).respond(body: body)
        default: return try await ChatCompletionsHandler(context: context).respond(body: body)
        }
    }

    private func readBody(_ request: Request) async throws -> Data {
        let limit = context.options.maxRequestBodySize
        let tooLarge = APIError(status: 413, message: "the request body is larger than the limit of \(limit) bytes (--max-request-body-size)")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch {
            throw tooLarge
        }
    }
}
