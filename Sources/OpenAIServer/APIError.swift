import Foundation

/// An error answered to the client as OpenAI's `{"error": {"message", "type", "param", "code"}}` body.
public struct APIError: Error, CustomStringConvertible, Sendable {
    /// The HTTP status code.
    public var status: Int
    public var message: String
    /// The request field at fault, when one is.
    public var param: String?

    public init(status: Int, message: String, param: String? = nil) {
        self.status = status
        self.message = message
        self.param = param
    }

    public var description: String { message }

    /// vLLM's error type names per status.
    public var type: String {
        switch status {
        case 400: return "BadRequestError"
        case 401: return "Unauthorized"
        case 404: return "NotFoundError"
        case 405: return "MethodNotAllowed"
        case 413: return "RequestEntityTooLarge"
        case 503: return "ServiceUnavailableError"
        default: return "InternalServerError"
        }
    }

    /// The JSON body.
    public var body: [UInt8] { ResponseJSON.bytes(ErrorResponse(self)) }

    static func badRequest(_ message: String, param: String? = nil) -> APIError {
        APIError(status: 400, message: message, param: param)
    }

    /// vLLM's 404 when a request names a model other than the served one (absent is fine).
    static func checkModel(_ requested: String?, served: String) throws {
        if let requested, requested != served {
            throw APIError(status: 404, message: "The model `\(requested)` does not exist.", param: "model")
        }
    }

    /// Turns a JSON decoding failure into a 400 naming the field.
    static func decoding(_ error: any Error) -> APIError {
        guard let error = error as? DecodingError else { return .badRequest("invalid request body: \(error)") }
        // Keys come back camelCased by the snake_case decoding strategy: name them as the client sent them.
        func snakeCase(_ key: String) -> String {
            var out = ""
            for character in key {
                if character.isUppercase {
                    out += "_" + character.lowercased()
                } else if character.isNumber, let last = out.last, !last.isNumber {
                    out += "_" + String(character)   // text_1 decodes as text1
                } else {
                    out.append(character)
                }
            }
            return out
        }
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? snakeCase($0.stringValue) }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .badRequest("missing required field '\(field)'", param: field)
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return .badRequest("field '\(field)' has the wrong type: \(context.debugDescription)", param: field)
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return .badRequest("malformed JSON body: \(context.debugDescription)") }
            let field = path(context.codingPath)
            return .badRequest("field '\(field)' is invalid: \(context.debugDescription)", param: field)
        @unknown default:
            return .badRequest("invalid request body")
        }
    }
}
