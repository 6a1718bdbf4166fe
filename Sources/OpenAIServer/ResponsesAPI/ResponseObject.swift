import Foundation
import SwiftletJSON

/// The `response` object of the Responses API (what `POST /v1/responses` and
/// `GET /v1/responses/{id}` answer and the stream's lifecycle events carry).
struct ResponseObject: Encodable, Sendable {
    var id: String
    var object = "response"
    var createdAt: Int
    /// `in_progress` while streaming, then `completed`, or `incomplete` when `max_output_tokens` cut it.
    var status: String
    var error: Nullable<Never> = .null
    var incompleteDetails: Nullable<IncompleteDetails> = .null
    var instructions: Nullable<String>
    var maxOutputTokens: Nullable<Int>
    var model: String
    var output: [ResponseOutputItem] = []
    var parallelToolCalls: Bool
    var previousResponseId: Nullable<String>
    var reasoning: Nullable<Never> = .null
    var store: Bool
    var temperature: Double
    /// The request's `text` (its format), `{"format": {"type": "text"}}` when it sent none.
    var text: JSONValue
    var toolChoice: JSONValue
    var tools: [JSONValue]
    var topP: Double
    var truncation = "disabled"
    var usage: Nullable<ResponseUsage> = .null
    var user: Nullable<String>
    var metadata: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, object, createdAt = "created_at", status, error, incompleteDetails = "incomplete_details", instructions
        case maxOutputTokens = "max_output_tokens", model, output, parallelToolCalls = "parallel_tool_calls"
        case previousResponseId = "previous_response_id", reasoning, store, temperature, text, toolChoice = "tool_choice"
        case tools, topP = "top_p", truncation, usage, user, metadata
    }
}

/// Why a response is `incomplete`.
struct IncompleteDetails: Encodable, Sendable {
    var reason: String
}

/// One item of `output`.
enum ResponseOutputItem: Encodable, Sendable {
    case reasoning(ResponseReasoningItem)
    case message(ResponseOutputMessage)
    case functionCall(ResponseFunctionCallItem)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .reasoning(let item): try item.encode(to: encoder)
        case .message(let item): try item.encode(to: encoder)
        case .functionCall(let item): try item.encode(to: encoder)
        }
    }
}

/// The assistant's text answer.
struct ResponseOutputMessage: Encodable, Sendable {
    var id: String
    var type = "message"
    var status: String
    var role = "assistant"
    var content: [ResponseOutputText]
}

/// A text part of the answer.
struct ResponseOutputText: Encodable, Sendable {
    var type = "output_text"
    var text: String
    var annotations: [Never] = []
    var logprobs: [Never] = []
}

/// The model's reasoning (split off by `--reasoning-parser`).
struct ResponseReasoningItem: Encodable, Sendable {
    var id: String
    var type = "reasoning"
    var summary: [Never] = []
    var content: [ResponseReasoningText]
    var status: String
}

/// A piece of reasoning text.
struct ResponseReasoningText: Encodable, Sendable {
    var type = "reasoning_text"
    var text: String
}

/// A function call the model made.
struct ResponseFunctionCallItem: Encodable, Sendable {
    var id: String
    var type = "function_call"
    var callId: String
    var name: String
    var arguments: String
    var status: String

    enum CodingKeys: String, CodingKey {
        case id, type, callId = "call_id", name, arguments, status
    }
}

/// `usage` in the Responses spelling.
struct ResponseUsage: Encodable, Sendable {
    var inputTokens: Int
    var inputTokensDetails: CachedTokens
    var outputTokens: Int
    var outputTokensDetails: ReasoningTokens
    var totalTokens: Int

    struct CachedTokens: Encodable, Sendable {
        var cachedTokens: Int
        enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
    }

    struct ReasoningTokens: Encodable, Sendable {
        var reasoningTokens: Int
        enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
    }

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens", inputTokensDetails = "input_tokens_details", outputTokens = "output_tokens"
        case outputTokensDetails = "output_tokens_details", totalTokens = "total_tokens"
    }
}
