import Foundation
import SwiftletJSON

/// A Responses request as the chat completion request it runs as: `instructions` the system
/// message, the previous response's conversation, then the input items as messages; sampling
/// fields, `text.format` and function tools in their chat spelling. (Fields this server cannot
/// carry out are refused by `UnhonouredFields` when the body is decoded.)
struct ResponsesChatRequest {
    /// The chat completion body (never streaming: the Responses handler streams its own events).
    var body: JSONObject
    /// The conversation without the system message: what a later `previous_response_id` continues.
    var conversation: [JSONValue]

    init(_ request: ResponsesRequest, object: JSONObject, history: [JSONValue]) throws {
        var conversation = history
        switch request.input {
        case .text(let text):
            conversation.append(Self.message(role: "user", content: text))
        case .items(let items):
            guard !items.isEmpty else { throw APIError.badRequest("input must not be empty", param: "input") }
            for item in items {
                switch item {
                case .message(let role, let text):
                    conversation.append(Self.message(role: role == "developer" ? "system" : role, content: text))
                case .functionCall(let callId, let name, let arguments):
                    // Calls made together are one assistant message, as the stored answer has them.
                    let call: JSONValue = .object(["id": .string(callId), "type": "function",
                                                   "function": .object(["name": .string(name), "arguments": .string(arguments)])])
                    if let last = conversation.last, last["role"]?.stringValue == "assistant", var calls = last["tool_calls"]?.arrayValue {
                        calls.append(call)
                        conversation[conversation.count - 1] = .object(["role": "assistant", "content": last["content"] ?? .null,
                                                                        "tool_calls": .array(calls)])
                    } else {
                        conversation.append(.object(["role": "assistant", "content": .null, "tool_calls": .array([call])]))
                    }
                case .reasoning:
                    break
                case .functionCallOutput(let callId, let output):
                    conversation.append(.object(["role": "tool", "tool_call_id": .string(callId), "content": .string(output)]))
                }
            }
        }
        self.conversation = conversation
        var body = JSONObject()
        let system = request.instructions.map { [Self.message(role: "system", content: $0)] } ?? []
        body.append(.array(system + conversation), forKey: "messages")
        if let model = request.model { body.append(.string(model), forKey: "model") }
        if let value = request.maxOutputTokens { body.append(.number(JSONNumber(value)), forKey: "max_tokens") }
        for key in ["temperature", "top_p", "top_k", "min_p", "repetition_penalty", "seed", "priority", "cache_salt", "request_id",
                    "user", "parallel_tool_calls"] {
            if let value = object[key], !value.isNull { body.append(value, forKey: key) }
        }
        if let format = object["text"]?["format"], !format.isNull {
            body.append(try Self.responseFormat(format), forKey: "response_format")
        }
        if let tools = object["tools"], !tools.isNull {
            guard let list = tools.arrayValue else { throw APIError.badRequest("tools must be a list", param: "tools") }
            body.append(.array(try list.map(Self.chatTool)), forKey: "tools")
        }
        if let choice = object["tool_choice"], !choice.isNull {
            body.append(try Self.chatToolChoice(choice), forKey: "tool_choice")
        }
        self.body = body
    }

    static func message(role: String, content: String) -> JSONValue {
        .object(["role": .string(role), "content": .string(content)])
    }

    /// `text.format` as the chat API's `response_format`.
    private static func responseFormat(_ format: JSONValue) throws -> JSONValue {
        switch format["type"]?.stringValue {
        case "text": return .object(["type": "text"])
        case "json_object": return .object(["type": "json_object"])
        case "json_schema":
            guard let schema = format["schema"], case .object = schema else {
                throw APIError.badRequest("text.format of type json_schema needs a schema object", param: "text.format.schema")
            }
            var spec: JSONObject = ["name": format["name"] ?? "response", "schema": schema]
            if let strict = format["strict"] { spec.append(strict, forKey: "strict") }
            return .object(["type": "json_schema", "json_schema": .object(spec)])
        default:
            throw APIError.badRequest("text.format.type must be text, json_object or json_schema", param: "text.format.type")
        }
    }

    /// A Responses function tool (`{"type": "function", "name", "parameters", ...}`) as a chat tool.
    private static func chatTool(_ tool: JSONValue) throws -> JSONValue {
        guard tool["type"]?.stringValue == "function" else {
            throw APIError.badRequest("tools of type '\(tool["type"]?.stringValue ?? "?")' are not supported; function tools are", param: "tools")
        }
        guard let name = tool["name"], name.stringValue != nil else {
            throw APIError.badRequest("a function tool needs a name", param: "tools")
        }
        var function: JSONObject = ["name": name]
        for key in ["description", "parameters", "strict"] {
            if let value = tool[key], !value.isNull { function.append(value, forKey: key) }
        }
        return .object(["type": "function", "function": .object(function)])
    }

    /// `tool_choice`: a mode string as is, `{"type": "function", "name"}` in the chat spelling.
    private static func chatToolChoice(_ choice: JSONValue) throws -> JSONValue {
        if choice.stringValue != nil { return choice }
        guard choice["type"]?.stringValue == "function", let name = choice["name"]?.stringValue else {
            throw APIError.badRequest("tool_choice must be none, auto, required or {\"type\": \"function\", \"name\": ...}", param: "tool_choice")
        }
        return .object(["type": "function", "function": .object(["name": .string(name)])])
    }
}
