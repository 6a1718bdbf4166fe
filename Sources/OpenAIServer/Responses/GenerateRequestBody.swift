import Engine
import SwiftletJSON

/// One prompt ready for the engine, as vLLM's render endpoints return it (its token-in
/// `GenerateRequest`): the prompt's token ids and the sampling parameters the request asked for.
/// Routers read `token_ids` to route by prefix.
struct GenerateRequestBody: Encodable, Sendable {
    var requestID: String
    var tokenIDs: [Int]
    var features: Nullable<String> = .null
    var samplingParams: RenderedSamplingParams
    var model: String
    var stream: Bool
    var streamOptions: Nullable<RenderedStreamOptions>
    var cacheSalt: Nullable<String>
    var priority: Int
    var kvTransferParams: Nullable<String> = .null
    var tokenOffsets: Nullable<[[Int]]> = .null

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id", tokenIDs = "token_ids", features, samplingParams = "sampling_params", model, stream
        case streamOptions = "stream_options", cacheSalt = "cache_salt", priority, kvTransferParams = "kv_transfer_params"
        case tokenOffsets = "token_offsets"
    }

    init(requestID: String, tokenIDs: [Int], params: SamplingParams, fields: SamplingFields, model: String) {
        self.requestID = requestID
        self.tokenIDs = tokenIDs
        samplingParams = RenderedSamplingParams(params)
        self.model = model
        stream = fields.stream ?? false
        streamOptions = Nullable(fields.streamOptions.map {
            RenderedStreamOptions(includeUsage: $0.includeUsage ?? false, continuousUsageStats: $0.continuousUsageStats ?? false)
        })
        cacheSalt = Nullable(fields.cacheSalt)
        priority = fields.priority ?? 0
    }
}

struct RenderedStreamOptions: Encodable, Sendable {
    var includeUsage: Bool
    var continuousUsageStats: Bool

    enum CodingKeys: String, CodingKey {
        case includeUsage = "include_usage", continuousUsageStats = "continuous_usage_stats"
    }
}

/// `SamplingParams` under vLLM's field names, after the server's defaults and checks.
struct RenderedSamplingParams: Encodable, Sendable {
    var n: Int
    var presencePenalty: Double
    var frequencyPenalty: Double
    var repetitionPenalty: Double
    var temperature: Double
    var topP: Double
    var topK: Int
    var minP: Double
    var seed: Nullable<UInt64>
    var stop: [String]
    var stopTokenIDs: [Int]
    var ignoreEOS: Bool
    var maxTokens: Int
    var minTokens: Int
    var logprobs: Nullable<Int>
    var promptLogprobs: Nullable<Int>
    var includeStopStrInOutput: Bool
    var skipSpecialTokens: Bool
    var spacesBetweenSpecialTokens: Bool
    var logitBias: Nullable<[String: Double]>
    var allowedTokenIDs: Nullable<[Int]>
    var badWords: Nullable<[String]>
    var truncatePromptTokens: Nullable<Int>
    var structuredOutputs: Nullable<JSONValue>

    enum CodingKeys: String, CodingKey {
        case n, presencePenalty = "presence_penalty", frequencyPenalty = "frequency_penalty"
        case repetitionPenalty = "repetition_penalty", temperature, topP = "top_p", topK = "top_k", minP = "min_p", seed, stop
        case stopTokenIDs = "stop_token_ids", ignoreEOS = "ignore_eos", maxTokens = "max_tokens", minTokens = "min_tokens"
        case logprobs, promptLogprobs = "prompt_logprobs", includeStopStrInOutput = "include_stop_str_in_output"
        case skipSpecialTokens = "skip_special_tokens", spacesBetweenSpecialTokens = "spaces_between_special_tokens"
        case logitBias = "logit_bias", allowedTokenIDs = "allowed_token_ids", badWords = "bad_words"
        case truncatePromptTokens = "truncate_prompt_tokens", structuredOutputs = "structured_outputs"
    }

    init(_ params: SamplingParams) {
        n = params.n
        presencePenalty = params.presencePenalty
        frequencyPenalty = params.frequencyPenalty
        repetitionPenalty = params.repetitionPenalty
        temperature = params.temperature
        topP = params.topP
        // vLLM spells "no top-k" as 0 since v0.11 (-1 before).
        topK = params.topK
        minP = params.minP
        seed = Nullable(params.seed)
        stop = params.stop
        stopTokenIDs = params.stopTokenIDs
        ignoreEOS = params.ignoreEOS
        maxTokens = params.maxTokens
        minTokens = params.minTokens
        logprobs = Nullable(params.logprobs)
        promptLogprobs = Nullable(params.promptLogprobs)
        includeStopStrInOutput = params.includeStopStrInOutput
        skipSpecialTokens = params.skipSpecialTokens
        spacesBetweenSpecialTokens = params.spacesBetweenSpecialTokens
        let bias = params.logitBias.map { (String($0.key), $0.value) }
        logitBias = bias.isEmpty ? .null : .some(Dictionary(uniqueKeysWithValues: bias))
        allowedTokenIDs = Nullable(params.allowedTokenIDs)
        badWords = params.badWords.isEmpty ? .null : .some(params.badWords)
        truncatePromptTokens = Nullable(params.truncatePromptTokens)
        structuredOutputs = Nullable(params.structuredOutputs.map(Self.structured))
    }

    /// vLLM's `StructuredOutputsParams` fields for the constraint.
    static func structured(_ params: StructuredOutputsParams) -> JSONValue {
        var members: [(key: String, value: JSONValue)]
        switch params.constraint {
        case .json(let schema): members = [("json", schema)]
        case .jsonObject: members = [("json_object", .bool(true))]
        case .regex(let pattern): members = [("regex", .string(pattern))]
        case .choice(let options): members = [("choice", .array(options.map(JSONValue.string)))]
        case .grammar(let grammar): members = [("grammar", .string(grammar))]
        case .structuralTag: members = [("structural_tag", .string("(built from the request's tools)"))]
        }
        members.append(("disable_any_whitespace", .bool(params.disableAnyWhitespace)))
        members.append(("disable_additional_properties", .bool(params.disableAdditionalProperties)))
        if let pattern = params.whitespacePattern { members.append(("whitespace_pattern", .string(pattern))) }
        return .object(JSONObject(members: members))
    }
}
