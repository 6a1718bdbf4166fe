import SwiftletJSON
import Testing
@testable import OpenAIServer

/// The schema a forced tool choice constrains to, the calls read back from the text, and the finish
/// reasons (vLLM 0.34's `get_json_schema_from_tools`, `Parser.parse` and `resolve_finish_reason`).
@Suite struct ToolCallOutputTests {
    static let body = ##"{"tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"$ref": "#/$defs/City"}}, "$defs": {"City": {"type": "string"}}}}}, {"type": "function", "function": {"name": "now"}}]"##

    func request(_ extra: String) throws -> ToolsRequest {
        guard case .object(let object) = try JSONValue(parsing: Self.body + extra + "}") else { throw APIError.badRequest("?") }
        return try #require(try ToolsRequest.read(from: object, autoEnabled: true))
    }

    func json(_ value: JSONValue?) -> String { value.map(PythonJSONText.text) ?? "nil" }

    @Test func schemas() throws {
        #expect(json(try ToolCallSchema.schema(for: request(#", "tool_choice": {"type": "function", "function": {"name": "now"}}"#)))
                == #"{"type": "object", "properties": {}}"#)
        #expect(json(try ToolCallSchema.schema(for: request(#", "tool_choice": {"type": "function", "function": {"name": "get_weather"}}"#)))
                == ##"{"type": "object", "properties": {"city": {"$ref": "#/$defs/City"}}, "$defs": {"City": {"type": "string"}}}"##)
        // "required": an array of {name, parameters}, the tools' $defs moved to its root.
        #expect(json(try ToolCallSchema.schema(for: request(#", "tool_choice": "required", "parallel_tool_calls": false"#)))
                == #"{"type": "array", "minItems": 1, "items": {"type": "object", "anyOf": ["#
                + ##"{"properties": {"name": {"type": "string", "enum": ["get_weather"]}, "parameters": {"type": "object", "properties": {"city": {"$ref": "#/$defs/City"}}}}, "required": ["name", "parameters"]}, "##
                + #"{"properties": {"name": {"type": "string", "enum": ["now"]}, "parameters": {"type": "object", "properties": {}}}, "required": ["name", "parameters"]}]}, "#
                + #""maxItems": 1, "$defs": {"City": {"type": "string"}}}"#)
        #expect(try ToolCallSchema.schema(for: request(#", "tool_choice": "none""#)) == nil)
        #expect(try ToolCallSchema.schema(for: request("")) == nil)
    }

    @Test func conflictingDefinitionsAreRefused() throws {
        let body = #"{"tool_choice": "required", "tools": [{"function": {"name": "a", "parameters": {"$defs": {"X": {"type": "string"}}}}}, {"function": {"name": "b", "parameters": {"$defs": {"X": {"type": "integer"}}}}}]}"#
        guard case .object(let object) = try JSONValue(parsing: body) else { return }
        let request = try #require(try ToolsRequest.read(from: object, autoEnabled: true))
        #expect(performing: { try ToolCallSchema.schema(for: request) }, throws: { error in
            (error as? APIError)?.message == "Tool definition 'X' has multiple schemas, which is not supported."
        })
    }

    @Test func namedCall() throws {
        let named = try request(#", "tool_choice": {"type": "function", "function": {"name": "get_weather"}}"#)
        let message = ToolCallMessage(text: #"{"city": "Paris"}"#, request: named, auto: nil)
        #expect(message.content == "")
        #expect(message.toolCalls.map(\.function) == [FunctionCallOutput(name: "get_weather", arguments: #"{"city": "Paris"}"#)])
        #expect(message.toolCalls.allSatisfy { $0.id.hasPrefix("chatcmpl-tool-") && $0.id.count == 46 })
        #expect(ToolCallMessage(text: "  \n", request: named, auto: nil).toolCalls.isEmpty)
        // OpenAI reports "stop" for a named function.
        #expect(ToolCallMessage.finishReason("stop", request: named, callsMade: true) == "stop")
        #expect(ToolCallMessage.finishReason("length", request: named, callsMade: true) == "length")
    }

    @Test func requiredCalls() throws {
        let required = try request(#", "tool_choice": "required""#)
        let text = "[{\"name\": \"get_weather\",\n \"parameters\": {\"city\":\"Zürich\",\"n\":1.50}}, {\"name\":\"now\",\"parameters\":{}}]"
        let message = ToolCallMessage(text: text, request: required, auto: nil)
        #expect(message.content == "")
        // Arguments as Python's json.dumps writes them (vLLM's text), non-ASCII kept.
        #expect(message.toolCalls.map(\.function) == [FunctionCallOutput(name: "get_weather", arguments: #"{"city": "Zürich", "n": 1.5}"#),
                                                       FunctionCallOutput(name: "now", arguments: "{}")])
        #expect(ToolCallMessage.finishReason("stop", request: required, callsMade: true) == "tool_calls")
        #expect(ToolCallMessage.finishReason("length", request: required, callsMade: true) == "length")
        #expect(ToolCallMessage.finishReason("stop", request: required, callsMade: false) == "stop")
        // A cut-off answer has no calls; parallel_tool_calls false keeps the first.
        #expect(ToolCallMessage(text: #"[{"name": "now", "parameters": {"#, request: required, auto: nil).toolCalls.isEmpty)
        let single = try request(#", "tool_choice": "required", "parallel_tool_calls": false"#)
        #expect(ToolCallMessage(text: text, request: single, auto: nil).toolCalls.map(\.function.name) == ["get_weather"])
        // "none": the text is the content.
        let none = try request(#", "tool_choice": "none""#)
        #expect(ToolCallMessage(text: text, request: none, auto: nil) == ToolCallMessage(content: text, toolCalls: []))
    }

    /// Streaming a required answer cut at every place gives each call once, with its name, and
    /// argument pieces that join to the parameters' text.
    @Test func requiredStreamAtEverySplit() throws {
        let required = try request(#", "tool_choice": "required""#)
        let text = "[ {\"name\": \"get_weather\", \"parameters\": {\"city\": \"Pa\\\"ris\", \"t\": [1, {\"x\": null}]}},\n{\"parameters\": {}, \"name\": \"now\"} ]"
        for cut in 0...text.count {
            let streamer = ToolCallStreamer(request: required, auto: nil)
            var pieces = streamer.feed(String(text.prefix(cut))).toolCalls
            pieces += streamer.feed(String(text.dropFirst(cut))).toolCalls
            pieces += streamer.finish().toolCalls
            var names: [Int: String] = [:], arguments: [Int: String] = [:]
            for piece in pieces {
                if let name = piece.function?.name?.value {
                    #expect(names[piece.index] == nil && piece.id != nil && piece.type == "function")
                    names[piece.index] = name
                } else {
                    #expect(piece.id == nil && piece.function?.name == .some(.null))
                }
                arguments[piece.index, default: ""] += piece.function?.arguments ?? ""
            }
            #expect(names == [0: "get_weather", 1: "now"], "cut at \(cut)")
            #expect(arguments == [0: #"{"city": "Pa\"ris", "t": [1, {"x": null}]}"#, 1: "{}"], "cut at \(cut)")
            #expect(streamer.streamedCalls)
        }
    }

    @Test func namedStream() throws {
        let named = try request(#", "tool_choice": {"type": "function", "function": {"name": "now"}}"#)
        let streamer = ToolCallStreamer(request: named, auto: nil)
        let first = streamer.feed("{").toolCalls
        #expect(first.count == 1 && first[0].id != nil && first[0].type == "function")
        #expect(first[0].function == DeltaFunctionCall(name: .some("now"), arguments: "{"))
        #expect(streamer.feed("").isEmpty)
        #expect(streamer.feed("}").toolCalls == [DeltaToolCall(index: 0, function: DeltaFunctionCall(arguments: "}"))])
        // The pieces' JSON, as vLLM's exclude_unset writes them.
        #expect(String(decoding: try CompactJSONEncoder().encode(DeltaToolCall(index: 0, function: DeltaFunctionCall(arguments: "}"))), as: UTF8.self)
                == #"{"index":0,"function":{"arguments":"}"}}"#)
        #expect(String(decoding: try CompactJSONEncoder().encode(DeltaToolCall(index: 1, function: DeltaFunctionCall(name: .null, arguments: "x"))), as: UTF8.self)
                == #"{"index":1,"function":{"name":null,"arguments":"x"}}"#)
        #expect(String(decoding: try CompactJSONEncoder().encode(ToolCallOutput(id: "chatcmpl-tool-1", name: "f", arguments: "{}")), as: UTF8.self)
                == #"{"id":"chatcmpl-tool-1","type":"function","function":{"name":"f","arguments":"{}"}}"#)
    }
}
