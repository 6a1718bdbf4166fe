import ChatTemplates
import SwiftletJSON

/// `chat_template_kwargs`: extra variables for the chat template (e.g. Qwen3's `enable_thinking`),
/// and `reasoning_effort`, which turns thinking on or off where the request does not say
/// (`"none"` is off), as vLLM does.
struct ChatTemplateKwargs: Sendable {
    var values: [String: TemplateValue] = [:]
    /// `enable_thinking` as the template sees it (true when not given).
    var enableThinking = true

    /// The variables the renderer sets itself cannot be replaced.
    static let reserved: Set<String> = ["messages", "tools", "add_generation_prompt", "bos_token", "eos_token"]
    /// The values vLLM takes for `reasoning_effort`.
    static let reasoningEfforts = ["none", "minimal", "low", "medium", "high", "xhigh", "max"]

    init(body: JSONObject) throws {
        if let kwargs = body["chat_template_kwargs"], !kwargs.isNull {
            guard let object = kwargs.objectValue else {
                throw APIError.badRequest("chat_template_kwargs must be an object", param: "chat_template_kwargs")
            }
            for (key, value) in object {
                guard key != "chat_template" else {
                    throw APIError.badRequest("Chat template is passed with request, but --trust-request-chat-template is not set. Refused request with untrusted chat template.",
                                              param: "chat_template_kwargs")
                }
                guard !Self.reserved.contains(key) else {
                    throw APIError.badRequest("chat_template_kwargs cannot set '\(key)', which the server sets", param: "chat_template_kwargs")
                }
                values[key] = TemplateValue(value)
            }
        }
        if let effort = body["reasoning_effort"], !effort.isNull {
            guard let name = effort.stringValue, Self.reasoningEfforts.contains(name) else {
                throw APIError.badRequest("reasoning_effort must be one of \(Self.reasoningEfforts.joined(separator: ", "))", param: "reasoning_effort")
            }
        }
        if values["enable_thinking"] == nil, let effort = body["reasoning_effort"]?.stringValue {
            values["enable_thinking"] = .bool(effort != "none")
        }
        if case .bool(let flag)? = values["enable_thinking"] { enableThinking = flag }
    }
}
