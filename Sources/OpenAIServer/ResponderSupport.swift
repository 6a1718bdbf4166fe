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
