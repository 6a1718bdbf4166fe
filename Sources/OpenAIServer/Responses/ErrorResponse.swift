import SwiftletJSON

/// OpenAI's (and vLLM's) error body: `{"error": {"message", "type", "param", "code"}}`, with
/// vLLM's `code`: the HTTP status as a number.
struct ErrorResponse: Encodable, Sendable {
    struct ErrorInfo: Encodable, Sendable {
        var message: String
        var type: String
        var param: Nullable<String>
        var code: Int
    }

    var error: ErrorInfo

    init(_ error: APIError) {
        self.error = ErrorInfo(message: error.message, type: error.type, param: Nullable(error.param), code: error.status)
    }
}
