import Engine
import SwiftletJSON

/// `POST /v1/chat/completions` without streaming, in vLLM's field order; the fields vLLM writes
/// and this server never fills are null.
struct ChatCompletionResponse: Encodable, Sendable {
    var id: String
    var object = "chat.completion"
    var created: Int
    var model: String
    var choices: [ChatCompletionResponseChoice]
    var serviceTier: Nullable<Never> = .null
    var systemFingerprint: Nullable<String> = .null
    var usage: UsageInfo
    var promptLogprobs: Nullable<[Nullable<PromptLogprobsEntry>]>
    var promptTokenIDs: Nullable<[Int]> = .null
    var promptText: Nullable<String> = .null
    var kvTransferParams: Nullable<KVTransferResponseParams> = .null
    var ecTransferParams: Nullable<Never> = .null
    var metrics: Nullable<Never> = .null

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, serviceTier = "service_tier", systemFingerprint = "system_fingerprint"
        case usage, promptLogprobs = "prompt_logprobs", promptTokenIDs = "prompt_token_ids", promptText = "prompt_text"
        case kvTransferParams = "kv_transfer_params", ecTransferParams = "ec_transfer_params", metrics
    }
}

struct ChatCompletionResponseChoice: Encodable, Sendable {
    var index: Int
    var message: ChatMessageOutput
    var logprobs: Nullable<ChatCompletionLogProbs>
    var finishReason: Nullable<String>
    var stopReason: Nullable<StopReasonValue>
    var tokenIDs: Nullable<[Int]> = .null
    var routedExperts: Nullable<Never> = .null
    var weightVersions: Nullable<Never> = .null

    enum CodingKeys: String, CodingKey {
        case index, message, logprobs, finishReason = "finish_reason", stopReason = "stop_reason", tokenIDs = "token_ids"
        case routedExperts = "routed_experts", weightVersions = "weight_versions"
    }
}

/// The assistant's message. `annotations` is left out when null and `tool_calls` when empty, as vLLM does.
struct ChatMessageOutput: Encodable, Sendable {
    var role = "assistant"
    var content: Nullable<String>
    var refusal: Nullable<Never> = .null
    var audio: Nullable<Never> = .null
    var functionCall: Nullable<Never> = .null
    /// nil (left out) when the answer has no tool calls.
    var toolCalls: [ToolCallOutput]?
    var reasoning: Nullable<String> = .null

    enum CodingKeys: String, CodingKey {
        case role, content, refusal, audio, functionCall = "function_call", toolCalls = "tool_calls", reasoning
    }
}

extension ChatCompletionResponse {
    /// The response for a finished request.
    /// `parsing`: how the text splits into reasoning, content and tool calls (nil: all content).
    init(id: String, created: Int, model: String, output: RequestOutput?, tokenText: @escaping @Sendable (Int) -> String,
         parsing: ChatOutputParsing? = nil) {
        let logprobs = ChatLogprobsBuilder(tokenText: tokenText)
        self.init(
            id: id, created: created, model: model,
            choices: (output?.outputs ?? []).map { completion in
                var message = ChatMessageOutput(content: .some(completion.text))
                var finishReason = completion.finishReason?.apiName
                if let parsing, parsing.isActive {
                    let parsed = parsing.message(for: completion.text)
                    message.reasoning = Nullable(parsed.reasoning)
                    message.content = Nullable(parsed.content)
                    message.toolCalls = parsed.toolCalls.isEmpty ? nil : parsed.toolCalls
                    finishReason = parsing.finishReason(finishReason, callsMade: !parsed.toolCalls.isEmpty)
                }
                return ChatCompletionResponseChoice(
                    index: completion.index, message: message,
                    logprobs: logprobs.make(completion, fromToken: 0),
                    finishReason: Nullable(finishReason),
                    stopReason: Nullable(StopReasonValue(completion.stopReason)))
            },
            usage: UsageInfo(outputs: output.map { [$0] } ?? []),
            promptLogprobs: PromptLogprobsEntry.list(output?.promptLogprobs, tokenText: tokenText))
    }
}
