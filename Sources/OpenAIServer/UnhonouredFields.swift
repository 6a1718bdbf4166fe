import SwiftletJSON

/// Request fields of the OpenAI and vLLM APIs that this server does not carry out yet. A request
/// that sets one to anything but its default is refused with a 400 naming the field, never
/// answered with a 200 that ignored it. (Fields unknown to both APIs are ignored, as vLLM does.)
enum UnhonouredFields {
    enum Endpoint { case completions, chat, responses }

    struct Rule: Sendable {
        let field: String
        let endpoints: [Endpoint]
        /// What the field asks for, for the message.
        let feature: String
        /// Whether the value (in the whole body) asks for nothing beyond what the server does.
        let isHonoured: @Sendable (JSONValue, JSONObject) -> Bool
    }

    static func isNull(_ value: JSONValue, _ body: JSONObject) -> Bool { value.isNull }
    static func isNullOrFalse(_ value: JSONValue, _ body: JSONObject) -> Bool { value.isNull || value.boolValue == false }
    static func isNullOrEmpty(_ value: JSONValue, _ body: JSONObject) -> Bool {
        value.isNull || value.arrayValue?.isEmpty == true || value.objectValue?.isEmpty == true
    }

    static let both: [Endpoint] = [.completions, .chat]

    static let rules: [Rule] = [
        Rule(field: "functions", endpoints: [.chat], feature: "function calling", isHonoured: isNullOrEmpty),
        Rule(field: "function_call", endpoints: [.chat], feature: "function calling") { value, _ in
            value.isNull || value.stringValue == "none" || value.stringValue == "auto"
        },
        Rule(field: "use_beam_search", endpoints: both, feature: "beam search (the offline LLM API has it)", isHonoured: isNullOrFalse),
        Rule(field: "best_of", endpoints: [.completions], feature: "best_of other than n") { value, body in
            value.isNull || value.intValue == (body["n"]?.intValue ?? 1)
        },
        Rule(field: "suffix", endpoints: [.completions], feature: "suffix (fill in the middle)", isHonoured: isNull),
        Rule(field: "echo", endpoints: [.chat], feature: "echo in chat completions", isHonoured: isNullOrFalse),
        Rule(field: "chat_template", endpoints: [.chat], feature: "a per-request chat template (use --chat-template)", isHonoured: isNull),
        Rule(field: "documents", endpoints: [.chat], feature: "documents for the chat template", isHonoured: isNullOrEmpty),
        Rule(field: "mm_processor_kwargs", endpoints: both, feature: "multimodal inputs", isHonoured: isNullOrEmpty),
        Rule(field: "media_io_kwargs", endpoints: both, feature: "multimodal inputs", isHonoured: isNullOrEmpty),
        Rule(field: "modalities", endpoints: [.chat], feature: "output modalities other than text") { value, _ in
            value.isNull || value.arrayValue?.allSatisfy { $0.stringValue == "text" } == true
        },
        Rule(field: "audio", endpoints: [.chat], feature: "audio output", isHonoured: isNull),
        Rule(field: "prediction", endpoints: [.chat], feature: "predicted outputs", isHonoured: isNull),
        Rule(field: "return_tokens_as_token_ids", endpoints: both, feature: "tokens as token ids in logprobs", isHonoured: isNullOrFalse),
        Rule(field: "return_token_ids", endpoints: both, feature: "token ids in the response", isHonoured: isNullOrFalse),
        Rule(field: "logprob_token_ids", endpoints: both, feature: "logprobs of chosen token ids", isHonoured: isNull),
        Rule(field: "truncation_side", endpoints: both, feature: "truncation from the right (prompts are cut on the left)") { value, _ in
            value.isNull || value.stringValue == "left"
        },
        Rule(field: "vllm_xargs", endpoints: both, feature: "vllm_xargs", isHonoured: isNullOrEmpty),
        Rule(field: "thinking_token_budget", endpoints: both, feature: "a thinking token budget") { value, _ in
            value.isNull || value.intValue == -1
        },
        Rule(field: "repetition_detection", endpoints: both, feature: "stopping on repeated patterns", isHonoured: isNull),
        // /v1/responses fields with no chat counterpart here.
        Rule(field: "background", endpoints: [.responses], feature: "background responses", isHonoured: isNullOrFalse),
        Rule(field: "truncation", endpoints: [.responses], feature: "truncation of the conversation") { value, _ in
            value.isNull || value.stringValue == "disabled"
        },
        Rule(field: "include", endpoints: [.responses], feature: "extra output data", isHonoured: isNullOrEmpty),
        Rule(field: "top_logprobs", endpoints: [.responses], feature: "logprobs in responses") { value, _ in
            value.isNull || value.intValue == 0
        },
        Rule(field: "service_tier", endpoints: [.responses], feature: "service tiers") { value, _ in
            value.isNull || value.stringValue == "auto" || value.stringValue == "default"
        },
        Rule(field: "reasoning", endpoints: [.responses], feature: "reasoning effort settings (use --reasoning-parser)", isHonoured: isNull),
        Rule(field: "conversation", endpoints: [.responses], feature: "stored conversations (use previous_response_id)", isHonoured: isNull),
        Rule(field: "prompt", endpoints: [.responses], feature: "stored prompt templates", isHonoured: isNull),
        Rule(field: "max_tool_calls", endpoints: [.responses], feature: "a limit on tool calls", isHonoured: isNull),
    ]

    /// Throws a 400 for the first field of `body` that asks for what the server does not do.
    static func check(_ body: JSONObject, endpoint: Endpoint) throws {
        for rule in rules where rule.endpoints.contains(endpoint) {
            guard let value = body[rule.field], !rule.isHonoured(value, body) else { continue }
            throw APIError.badRequest("`\(rule.field)` asks for \(rule.feature), which this server does not support yet; leave the field out",
                                      param: rule.field)
        }
    }
}
