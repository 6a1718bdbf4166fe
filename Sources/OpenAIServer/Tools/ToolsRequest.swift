import ChatTemplates
import SwiftletJSON

/// `tool_choice`: what the model must do with the request's tools.
enum ToolChoice: Equatable, Sendable {
    case none
    case auto
    /// At least one call to any of the tools (vLLM's `"required"`).
    case required
    /// Exactly one call to this function (`{"type": "function", "function": {"name": ...}}`).
    case function(String)
}

/// One function tool of a chat request (`{"type": "function", "function": {...}}`).
struct FunctionTool: Equatable, Sendable {
    var name: String
    var description: String?
    /// The arguments' JSON Schema; nil when the tool gives none.
    var parameters: JSONValue?
    var strict: Bool?

    /// As vLLM hands the tool to the chat template (pydantic's `model_dump()`): `description` and
    /// `parameters` always present (null when absent), `strict` only when given.
    var templateValue: TemplateValue {
        var function: JSONObject = ["name": .string(name), "description": description.map { .string($0) } ?? .null,
                                    "parameters": parameters ?? .null]
        if let strict { function.append(.bool(strict), forKey: "strict") }
        return TemplateValue(.object(["type": "function", "function": .object(function)]))
    }
}

/// The tool fields of a chat request, checked as vLLM checks them: `tools`, `tool_choice` and
/// `parallel_tool_calls`.
struct ToolsRequest: Equatable, Sendable {
    var tools: [FunctionTool]
    var choice: ToolChoice
    /// Only an explicit false limits the answer to one call.
    var parallelToolCalls: Bool

    /// The tool fields of `body`; nil when it has no tools and no tool choice that asks for one.
    /// `autoEnabled`: the server runs with `--enable-auto-tool-choice` and a tool-call parser.
    static func read(from body: JSONObject, autoEnabled: Bool) throws -> ToolsRequest? {
        var tools = try readTools(body["tools"])
        var choiceValue = body["tool_choice"].flatMap { $0.isNull ? nil : $0 }
        // OpenAI reads an empty tools list as none given: "auto" and "required" fall back to "none".
        if tools?.isEmpty == true, choiceValue?.objectValue == nil {
            tools = nil
            if choiceValue == "auto" || choiceValue == "required" { choiceValue = "none" }
        }
        let choice: ToolChoice
        switch choiceValue {
        case nil: choice = tools == nil ? .none : .auto
        case .string("none")?: choice = .none
        case let value?:
            guard tools != nil else {
                throw APIError.badRequest("When using `tool_choice`, `tools` must be set.", param: "tool_choice")
            }
            switch value.stringValue {
            case "auto"?: choice = .auto
            case "required"?: choice = .required
            case let other?:
                throw APIError.badRequest("Invalid value for `tool_choice`: \(other)! Only named tools, \"none\", \"auto\" or \"required\" are supported.",
                                          param: "tool_choice")
            case nil: choice = .function(try namedFunction(value))
            }
        }
        guard let tools else { return nil }
        if case .function(let name) = choice, !tools.contains(where: { $0.name == name }) {
            throw APIError.badRequest("The tool `\(name)` specified in `tool_choice` does not match any of the specified `tools`",
                                      param: "tool_choice")
        }
        if choice == .auto && !autoEnabled {
            throw APIError.badRequest("\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set",
                                      param: "tool_choice")
        }
        let parallel = body["parallel_tool_calls"]?.boolValue ?? true
        return ToolsRequest(tools: tools, choice: choice, parallelToolCalls: parallel)
    }

    /// The tools as the chat template sees them.
    var templateTools: [TemplateValue] { tools.map(\.templateValue) }

    /// Whether the answer must be tool calls (a named function or `"required"`).
    var forcesCalls: Bool {
        switch choice {
        case .required, .function: return true
        case .none, .auto: return false
        }
    }

    private static let namedUsage = #"Correct usage: `{"type": "function", "function": {"name": "my_function"}}`"#

    private static func namedFunction(_ value: JSONValue) throws -> String {
        guard value.objectValue != nil else {
            throw APIError.badRequest("Invalid value for `tool_choice`: it must be a string or an object. \(namedUsage)", param: "tool_choice")
        }
        guard let function = value["function"], function.objectValue != nil else {
            throw APIError.badRequest("Invalid value for `function` in `tool_choice`! \(namedUsage)", param: "tool_choice.function")
        }
        guard let nameValue = function["name"] else {
            throw APIError.badRequest("Expected field `name` in `function` in `tool_choice`! \(namedUsage)", param: "tool_choice.function.name")
        }
        guard let name = nameValue.stringValue, !name.isEmpty else {
            throw APIError.badRequest("Invalid `name` in `function` in `tool_choice`! \(namedUsage)", param: "tool_choice.function.name")
        }
        return name
    }

    private static func readTools(_ value: JSONValue?) throws -> [FunctionTool]? {
        guard let value, !value.isNull else { return nil }
        guard let items = value.arrayValue else { throw APIError.badRequest("`tools` must be a list", param: "tools") }
        return try items.enumerated().map { index, item in
            let path = "tools[\(index)]"
            guard item.objectValue != nil else { throw APIError.badRequest("\(path) must be an object", param: path) }
            if let type = item["type"], type.stringValue != "function" {
                throw APIError.badRequest("\(path).type must be \"function\"", param: "\(path).type")
            }
            guard let function = item["function"], function.objectValue != nil else {
                throw APIError.badRequest("\(path).function must be an object with a name", param: "\(path).function")
            }
            guard let name = function["name"]?.stringValue else {
                throw APIError.badRequest("\(path).function.name must be a string", param: "\(path).function.name")
            }
            var description: String?
            if let text = function["description"], !text.isNull {
                guard let string = text.stringValue else {
                    throw APIError.badRequest("\(path).function.description must be a string", param: "\(path).function.description")
                }
                description = string
            }
            var parameters: JSONValue?
            if let schema = function["parameters"], !schema.isNull {
                guard schema.objectValue != nil else {
                    throw APIError.badRequest("\(path).function.parameters must be a JSON Schema object", param: "\(path).function.parameters")
                }
                parameters = schema
            }
            return FunctionTool(name: name, description: description, parameters: parameters,
                                strict: function["strict"]?.boolValue)
        }
    }
}
