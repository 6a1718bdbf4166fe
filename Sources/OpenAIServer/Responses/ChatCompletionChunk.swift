import SwiftletJSON

/// One streamed chat chunk (`chat.completion.chunk`). Optional fields are left out when nil,
/// which mirrors vLLM's `exclude_unset`: each kind of chunk sets the fields vLLM sets for it.
struct ChatCompletionChunk: Encodable, Sendable {
    var id: String
    var object = "chat.completion.chunk"
    var created: Int
    var model: String
    var choices: [ChatCompletionStreamChoice]
    var usage: UsageInfo?
    /// Set (as null) on the role chunk only.
    var promptTokenIDs: Nullable<[Int]>?
    var promptText: Nullable<String>?
    /// Set (as null) on content and final chunks.
    var kvTransferParams: Nullable<Never>?

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage, promptTokenIDs = "prompt_token_ids", promptText = "prompt_text"
        case kvTransferParams = "kv_transfer_params"
    }
}

struct ChatCompletionStreamChoice: Encodable, Sendable {
    var index: Int
    var delta: DeltaMessage
    var logprobs: Nullable<ChatCompletionLogProbs>
    var finishReason: Nullable<String>
    /// Set on the final chunk only.
    var stopReason: Nullable<StopReasonValue>?
    /// Set (as null) on content and final chunks.
    var tokenIDs: Nullable<[Int]>?
    /// Set (as null) on the final chunk only.
    var weightVersions: Nullable<Never>?

    enum CodingKeys: String, CodingKey {
        case index, delta, logprobs, finishReason = "finish_reason", stopReason = "stop_reason", tokenIDs = "token_ids"
        case weightVersions = "weight_versions"
    }
}

/// A message delta: the role on the first chunk, then content, reasoning or tool-call pieces; `{}`
/// when a final chunk has nothing new.
struct DeltaMessage: Encodable, Sendable {
    var role: String?
    var content: String?
    var reasoning: String?
    /// nil (left out) when the delta has no tool-call pieces.
    var toolCalls: [DeltaToolCall]?

    enum CodingKeys: String, CodingKey {
        case role, content, reasoning, toolCalls = "tool_calls"
    }
}
