import Foundation
import SwiftletJSON

/// The head of one line of an OpenAI batch input file; its `body` is read as a JSON value apart,
/// since its type depends on `url`.
struct BatchRequestInput: Decodable, Sendable {
    /// The caller's id, copied to the output line so results can be matched to requests.
    var customId: String
    /// Always `POST` today.
    var method: String
    /// The endpoint the body is for: `/v1/completions` or `/v1/chat/completions`.
    var url: String

    enum CodingKeys: String, CodingKey {
        case customId = "custom_id", method, url
    }
}

/// One line of the batch output file (OpenAI's and vLLM's `BatchRequestOutput`).
struct BatchRequestOutput: Encodable, Sendable {
    var id = "vllm-\(RequestDecoding.randomID())"
    var customId: String
    var response: Nullable<BatchResponseData>
    /// Why the line failed: a message, or the endpoint's error body.
    var error: Nullable<BatchLineError>

    enum CodingKeys: String, CodingKey {
        case id, customId = "custom_id", response, error
    }

    /// A line that ran: its body and status 200.
    init(customId: String, body: BatchResponseBody) {
        self.customId = customId
        response = .some(BatchResponseData(statusCode: 200, body: .some(body)))
        error = .null
    }

    /// A line the endpoint refused: its status, no body, the error body as `error`.
    init(customId: String, refused: APIError) {
        self.customId = customId
        response = .some(BatchResponseData(statusCode: refused.status, body: .null))
        error = .some(.response(ErrorResponse(refused)))
    }

    /// A line that could not be run at all (unreadable, unknown url): 400 and a message.
    init(customId: String, message: String) {
        self.customId = customId
        response = .some(BatchResponseData(statusCode: 400, body: .null))
        error = .some(.message(message))
    }
}

/// The HTTP-like result of one line.
struct BatchResponseData: Encodable, Sendable {
    var statusCode: Int
    var requestId = "vllm-batch-\(RequestDecoding.randomID())"
    var body: Nullable<BatchResponseBody>

    enum CodingKeys: String, CodingKey {
        case statusCode = "status_code", requestId = "request_id", body
    }
}

/// What an endpoint answered.
enum BatchResponseBody: Encodable, Sendable {
    case completion(CompletionResponse)
    case chat(ChatCompletionResponse)
    case embedding(EmbeddingsResponse)
    case score(ScoreResponse)
    case rerank(RerankResponse)

    /// The token counts of the response.
    var usage: UsageInfo {
        switch self {
        case .completion(let response): return response.usage
        case .chat(let response): return response.usage
        case .embedding(let response): return response.usage
        case .score(let response): return response.usage
        case .rerank(let response): return UsageInfo(promptTokens: response.usage.promptTokens, completionTokens: 0)
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .completion(let response): try response.encode(to: encoder)
        case .chat(let response): try response.encode(to: encoder)
        case .embedding(let response): try response.encode(to: encoder)
        case .score(let response): try response.encode(to: encoder)
        case .rerank(let response): try response.encode(to: encoder)
        }
    }
}

/// `error` of an output line: vLLM writes a plain message for lines it could not run and the
/// endpoint's error body for requests the endpoint refused.
enum BatchLineError: Encodable, Sendable {
    case message(String)
    case response(ErrorResponse)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .message(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .response(let body): try body.encode(to: encoder)
        }
    }
}
