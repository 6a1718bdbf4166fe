import Engine
import SwiftletJSON

/// `POST /v1/completions` without streaming, in vLLM's field order.
struct CompletionResponse: Encodable, Sendable {
    var id: String
    var object = "text_completion"
    var created: Int
    var model: String
    var choices: [CompletionResponseChoice]
    var serviceTier: Nullable<Never> = .null
    var systemFingerprint: Nullable<String> = .null
    var usage: UsageInfo
    var kvTransferParams: Nullable<KVTransferResponseParams> = .null
    var ecTransferParams: Nullable<Never> = .null
    var metrics: Nullable<Never> = .null

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, serviceTier = "service_tier", systemFingerprint = "system_fingerprint"
        case usage, kvTransferParams = "kv_transfer_params", ecTransferParams = "ec_transfer_params", metrics
    }
}

struct CompletionResponseChoice: Encodable, Sendable {
    var index: Int
    var text: String
    var logprobs: Nullable<CompletionLogProbs>
    var finishReason: Nullable<String>
    var stopReason: Nullable<StopReasonValue>
    var tokenIDs: Nullable<[Int]> = .null
    var promptLogprobs: Nullable<[Nullable<PromptLogprobsEntry>]>
    var promptTokenIDs: Nullable<[Int]> = .null
    var routedExperts: Nullable<Never> = .null
    var weightVersions: Nullable<Never> = .null

    enum CodingKeys: String, CodingKey {
        case index, text, logprobs, finishReason = "finish_reason", stopReason = "stop_reason", tokenIDs = "token_ids"
        case promptLogprobs = "prompt_logprobs", promptTokenIDs = "prompt_token_ids", routedExperts = "routed_experts"
        case weightVersions = "weight_versions"
    }
}

extension CompletionResponse {
    /// The response for finished requests, one per prompt with n completions each; `promptTexts`
    /// (per prompt) go before each completion's text when the prompt is echoed.
    init(id: String, created: Int, model: String, outputs: [RequestOutput], n: Int, promptTexts: [String]?,
         tokenText: @escaping @Sendable (Int) -> String) {
        let logprobs = CompletionLogprobsBuilder(tokenText: tokenText)
        var choices: [CompletionResponseChoice] = []
        for (promptIndex, output) in outputs.enumerated() {
            let promptLogprobs = PromptLogprobsEntry.list(output.promptLogprobs, tokenText: tokenText)
            for completion in output.outputs {
                choices.append(CompletionResponseChoice(
                    index: promptIndex * n + completion.index,
                    text: (promptTexts?[promptIndex] ?? "") + completion.text,
                    logprobs: logprobs.make(completion, fromToken: 0),
                    finishReason: Nullable(completion.finishReason?.apiName),
                    stopReason: Nullable(StopReasonValue(completion.stopReason)),
                    promptLogprobs: promptLogprobs))
            }
        }
        self.init(id: id, created: created, model: model, choices: choices, usage: UsageInfo(outputs: outputs))
    }
}

/// One streamed completions chunk: every choice field is set (vLLM passes all of them), and
/// `kv_transfer_params` is null; the usage trailer has no choices and no null fields.
struct CompletionChunk: Encodable, Sendable {
    var id: String
    var object = "text_completion"
    var created: Int
    var model: String
    var choices: [CompletionStreamChoice]
    var usage: UsageInfo?
    var kvTransferParams: Nullable<Never>?

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage, kvTransferParams = "kv_transfer_params"
    }
}

struct CompletionStreamChoice: Encodable, Sendable {
    var index: Int
    var text: String
    var logprobs: Nullable<CompletionLogProbs>
    var finishReason: Nullable<String>
    var stopReason: Nullable<StopReasonValue>
    /// The prompt's ids on the chunk that echoes the prompt.
    var promptTokenIDs: Nullable<[Int]>
    var tokenIDs: Nullable<[Int]> = .null
    var weightVersions: Nullable<Never> = .null

    enum CodingKeys: String, CodingKey {
        case index, text, logprobs, finishReason = "finish_reason", stopReason = "stop_reason"
        case promptTokenIDs = "prompt_token_ids", tokenIDs = "token_ids", weightVersions = "weight_versions"
    }
}
