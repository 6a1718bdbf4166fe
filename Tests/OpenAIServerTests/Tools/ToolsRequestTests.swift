import ChatTemplates
import SwiftletJSON
import Testing
@testable import OpenAIServer

/// `tools`, `tool_choice` and `parallel_tool_calls` read and checked as vLLM 0.34 checks them.
@Suite struct ToolsRequestTests {
    static let weather = #"{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}"#

    func read(_ json: String, autoEnabled: Bool = true) throws -> ToolsRequest? {
        guard case .object(let object) = try JSONValue(parsing: json) else { return nil }
        return try ToolsRequest.read(from: object, autoEnabled: autoEnabled)
    }

    func refused(_ json: String, autoEnabled: Bool = true, param: String, message: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) { try read(json, autoEnabled: autoEnabled) } throws: { error in
            guard let error = error as? APIError else { return false }
            return error.status == 400 && error.param == param && error.message.contains(message)
        }
    }

    @Test func choices() throws {
        #expect(try read(#"{"tools": [\#(Self.weather)]}"#)?.choice == .auto)
        #expect(try read(#"{"tools": [\#(Self.weather)], "tool_choice": "required"}"#)?.choice == .required)
        #expect(try read(#"{"tools": [\#(Self.weather)], "tool_choice": "none"}"#)?.choice == ToolChoice.none)
        #expect(try read(#"{"tools": [\#(Self.weather)], "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}"#)?.choice
                == .function("get_weather"))
        #expect(try read(#"{"tools": [\#(Self.weather)], "parallel_tool_calls": false}"#)?.parallelToolCalls == false)
        #expect(try read(#"{"tools": [\#(Self.weather)]}"#)?.parallelToolCalls == true)
        // No tools: nothing to do; an empty list is none, and "auto"/"required" then fall back to "none".
        #expect(try read(#"{}"#) == nil)
        #expect(try read(#"{"tools": null, "tool_choice": "none"}"#) == nil)
        #expect(try read(#"{"tools": [], "tool_choice": "required"}"#) == nil)
        #expect(try read(#"{"tools": [], "tool_choice": "auto"}"#) == nil)
    }

    @Test func refusals() {
        refused(#"{"tool_choice": "required"}"#, param: "tool_choice", message: "When using `tool_choice`, `tools` must be set.")
        refused(#"{"tool_choice": "auto"}"#, param: "tool_choice", message: "`tools` must be set")
        refused(#"{"tools": [], "tool_choice": {"type": "function", "function": {"name": "f"}}}"#, param: "tool_choice",
                message: "The tool `f` specified in `tool_choice` does not match any of the specified `tools`")
        refused(#"{"tools": [\#(Self.weather)], "tool_choice": "sometimes"}"#, param: "tool_choice",
                message: "Invalid value for `tool_choice`: sometimes!")
        refused(#"{"tools": [\#(Self.weather)], "tool_choice": {"type": "function"}}"#, param: "tool_choice.function",
                message: "Invalid value for `function`")
        refused(#"{"tools": [\#(Self.weather)], "tool_choice": {"type": "function", "function": {}}}"#,
                param: "tool_choice.function.name", message: "Expected field `name`")
        refused(#"{"tools": [\#(Self.weather)], "tool_choice": {"type": "function", "function": {"name": ""}}}"#,
                param: "tool_choice.function.name", message: "Invalid `name`")
        refused(#"{"tools": [\#(Self.weather)]}"#, autoEnabled: false, param: "tool_choice",
                message: "\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set")
        refused(#"{"tools": {"name": "f"}}"#, param: "tools", message: "must be a list")
        refused(#"{"tools": [{"type": "retrieval", "function": {"name": "f"}}]}"#, param: "tools[0].type", message: "must be \"function\"")
        refused(#"{"tools": [{"type": "function"}]}"#, param: "tools[0].function", message: "must be an object")
        refused(#"{"tools": [{"function": {"name": 3}}]}"#, param: "tools[0].function.name", message: "must be a string")
        refused(#"{"tools": [{"function": {"name": "f", "parameters": [1]}}]}"#, param: "tools[0].function.parameters",
                message: "JSON Schema object")
    }

    /// The chat template gets each tool as vLLM's `model_dump()` gives it: description and parameters
    /// always there (null when absent), strict only when set.
    @Test func templateValues() throws {
        let request = try #require(try read(#"{"tools": [{"type": "function", "function": {"name": "f"}}, {"function": {"name": "g", "description": "G", "parameters": {"type": "object"}, "strict": true}}], "tool_choice": "none"}"#))
        let rendered = try ChatTemplate(source: "{{ tools | tojson }}").render(messages: [], tools: request.templateTools, addGenerationPrompt: false)
        #expect(rendered == #"[{"type": "function", "function": {"name": "f", "description": null, "parameters": null}}, "#
                + #"{"type": "function", "function": {"name": "g", "description": "G", "parameters": {"type": "object"}, "strict": true}}]"#)
    }
}
