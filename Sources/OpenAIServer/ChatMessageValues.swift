import ChatTemplates
import SwiftletJSON

/// A chat message as the chat template sees it, built as vLLM builds it: `role`, `content` (the
/// text parts joined), `name`, `tool_call_id` for tool results, and for assistant turns
/// `tool_calls` with their JSON-text arguments read into objects, and `reasoning` (also given as
/// `reasoning_content`, the older name clients send).
enum ChatMessageValues {
    static func value(_ message: ChatMessageInput, raw: JSONValue?, index: Int) throws -> TemplateValue {
        var fields: [String: TemplateValue] = ["role": .string(message.role), "content": .string(message.content?.text ?? "")]
        if let name = message.name { fields["name"] = .string(name) }
        if message.role == "tool", let toolCallID = message.toolCallId { fields["tool_call_id"] = .string(toolCallID) }
        if message.role == "assistant", let raw {
            if let calls = raw["tool_calls"], !calls.isNull {
                let converted = try toolCalls(calls, path: "messages[\(index)].tool_calls")
                if !converted.isEmpty { fields["tool_calls"] = .array(converted) }
            }
            if let reasoning = (raw["reasoning"] ?? raw["reasoning_content"])?.stringValue {
                fields["reasoning"] = .string(reasoning)
                fields["reasoning_content"] = .string(reasoning)
            }
        }
        return TemplateValue(message: fields)
    }

    /// Each call with its `arguments` as an object: JSON text is parsed; text that is not a JSON
    /// object becomes `{}` (a bad turn in the history must not fail every later request).
    private static func toolCalls(_ value: JSONValue, path: String) throws -> [TemplateValue] {
        guard let items = value.arrayValue else { throw APIError.badRequest("\(path) must be a list", param: path) }
        return try items.map { item in
            guard var call = item.objectValue else {
                throw APIError.badRequest("assistant tool_calls entries must be objects.", param: path)
            }
            guard (call["type"]?.stringValue ?? "function") == "function", var function = call["function"]?.objectValue else {
                throw APIError.badRequest("chat completions only support assistant tool_calls of type 'function'.", param: path)
            }
            var arguments: JSONValue = [:]
            switch function["arguments"] {
            case .object(let object)?: arguments = .object(object)
            case .string(let text)? where !text.isEmpty:
                if let parsed = try? JSONValue(parsing: text), parsed.objectValue != nil { arguments = parsed }
            default: break
            }
            function = replacing("arguments", with: arguments, in: function)
            call = replacing("function", with: .object(function), in: call)
            return TemplateValue(.object(call))
        }
    }

    private static func replacing(_ key: String, with value: JSONValue, in object: JSONObject) -> JSONObject {
        guard object[key] != nil else {
            var copy = object
            copy.append(value, forKey: key)
            return copy
        }
        return JSONObject(members: object.map { (key: $0.key, value: $0.key == key ? value : $0.value) })
    }
}
