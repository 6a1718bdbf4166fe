import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What every responder does around its routes: CORS preflights and headers, failures turned into
/// OpenAI error bodies, and reading a body under the size limit.
enum ResponderSupport {
    static func respond(to request: Request, cors: CORSPolicy, route: () async throws -> Response) async -> Response {
        let origin = request.headers[.origin]
        if let origin, request.method == .options, let method = request.headers[.accessControlRequestMethod] {
            let answer = cors.preflight(origin: origin, method: method, requestHeaders: request.headers[.accessControlRequestHeaders])
            var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
            append(answer.headers, to: &headers)
            return Response(status: HTTPResponse.Status(code: answer.status), headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
        }
        var response: Response
        do {
            response = try await route()
        } catch let error as APIError {
            response = JSONResponse.error(error)
        } catch {
            response = JSONResponse.error(APIError(status: 500, message: "internal error: \(error)"))
        }
        if let origin {
            append(cors.responseHeaders(origin: origin, hasCookie: request.headers[.cookie] != nil), to: &response.headers)
        }
        return response
    }

    private static func append(_ fields: [(String, String)], to headers: inout HTTPFields) {
        for (name, value) in fields {
            if let fieldName = HTTPField.Name(name) { headers.append(HTTPField(name: fieldName, value: value)) }
        }
    }

    /// The checks both servers make before routing: the route's method (HEAD may read a GET
    /// route; else 405) and, on /v1/ paths, the API key (401). `method` is the route's.
    static func check(_ request: Request, method: HTTPRequest.Method, apiKey: String?) throws {
        let path = request.uri.path
        guard request.method == method || (method == .get && request.method == .head) else {
            throw APIError(status: 405, message: "Method Not Allowed: \(request.method) \(path) (use \(method))")
        }
        if path.hasPrefix("/v1/"), let apiKey, request.headers[.authorization] != "Bearer \(apiKey)" {
            throw APIError(status: 401, message: "Unauthorized: a valid 'Authorization: Bearer' API key is required")
        }
    }

    /// `/health`, `/version` and `/v1/models` as both servers answer them; nil for other routes.
    static func commonAnswer(_ route: String, modelName: String, created: Int, maxModelLen: Int) -> Response? {
        switch route {
        case "/health":
            return Response(status: .ok)
        case "/version":
            return JSONResponse.make(ResponseJSON.bytes(VersionResponse(version: OpenAIResponder.version)))
        case "/v1/models":
            return JSONResponse.make(ResponseJSON.bytes(ModelList(data: [ModelCard(
                id: modelName, created: created, root: .some(modelName), maxModelLen: .some(maxModelLen),
                permission: [ModelPermission(id: "modelperm-\(RequestDecoding.randomID())", created: created)])])))
        default:
            return nil
        }
    }

    /// The whole body, or a 413 when it is over `limit` bytes (`--max-request-body-size`).
    static func readBody(_ request: Request, limit: Int) async throws -> Data {
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
