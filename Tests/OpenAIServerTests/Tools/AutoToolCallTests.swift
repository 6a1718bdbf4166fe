import Engine
import StructuredOutputs
import SwiftletJSON
import Testing
@testable import OpenAIServer

/// `tool_choice: "auto"` through the hermes parser: the calls a finished answer gives, and the same
/// calls streamed at every split of the text.
@Suite struct AutoToolCallTests {
    static let text = "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"now\", \"arguments\": {}}\n</tool_call>"

    func request(parallel: Bool = true) throws -> ToolsRequest {
        let body = #"{"tools": [{"function": {"name": "get_weather"}}, {"function": {"name": "now"}}], "parallel_tool_calls": \#(parallel)}"#
        guard case .object(let object) = try JSONValue(parsing: body) else { throw APIError.badRequest("?") }
        return try #require(try ToolsRequest.read(from: object, autoEnabled: true))
    }

    @Test func finishedAnswer() throws {
        let hermes = try #require(ParserToolCalls(name: "hermes"))
        #expect(hermes.keepsSpecialTokens)
        let message = ToolCallMessage(text: Self.text, request: try request(), auto: hermes)
        #expect(message.content == "Let me check.\n")
        #expect(message.toolCalls.map(\.function) == [FunctionCallOutput(name: "get_weather", arguments: #"{"city": "Paris"}"#),
                                                       FunctionCallOutput(name: "now", arguments: "{}")])
        #expect(message.toolCalls.allSatisfy { $0.id.hasPrefix("chatcmpl-tool-") })
        #expect(ToolCallMessage.finishReason("stop", request: try request(), callsMade: true) == "tool_calls")
        #expect(ToolCallMessage(text: Self.text, request: try request(parallel: false), auto: hermes).toolCalls.count == 1)
        // Plain text stays content; no parser (auto off) leaves the calls in the text.
        #expect(ToolCallMessage(text: "Sunny.", request: try request(), auto: hermes) == ToolCallMessage(content: "Sunny.", toolCalls: []))
        #expect(ToolCallMessage(text: Self.text, request: try request(), auto: nil).toolCalls.isEmpty)
        #expect(ParserToolCalls(name: "no-such-format") == nil)
    }

    @Test func streamedAtEverySplit() throws {
        let hermes = try #require(ParserToolCalls(name: "hermes"))
        for cut in stride(from: 0, through: Self.text.count, by: 1) {
            let streams = ChatChoiceStreams(parsing: ChatOutputParsing(tools: try request(), auto: hermes))
            let first = streams.delta(choice: 0, text: String(Self.text.prefix(cut)), finished: false)
            let last = streams.delta(choice: 0, text: String(Self.text.dropFirst(cut)), finished: true)
            var content = "", names: [Int: String] = [:], arguments: [Int: String] = [:]
            for delta in [first, last] {
                content += delta.content ?? ""
                for piece in delta.toolCalls {
                    if let name = piece.function?.name?.value {
                        #expect(piece.id?.hasPrefix("chatcmpl-tool-") == true && piece.type == "function")
                        names[piece.index] = name
                    }
                    arguments[piece.index, default: ""] += piece.function?.arguments ?? ""
                }
            }
            #expect(content == "Let me check.\n", "cut at \(cut)")
            #expect(names == [0: "get_weather", 1: "now"], "cut at \(cut)")
            #expect(arguments == [0: #"{"city": "Paris"}"#, 1: "{}"], "cut at \(cut)")
            #expect(streams.finishReason(choice: 0, engineReason: "stop") == "tool_calls")
        }
    }

    /// With hermes, `auto` is constrained by a structural tag: free text, and after `<tool_call>` one
    /// call of the request's tools, `</tool_call>`. Other formats have none.
    @Test func hermesCallConstraint() throws {
        let hermes = try #require(ParserToolCalls(name: "hermes"))
        let constraint = try #require(try hermes.callConstraint(for: try request(parallel: false)))
        let call: (String) -> JSONValue = { name in
            ["properties": ["name": ["type": "string", "enum": [.string(name)]], "arguments": ["type": "object", "properties": [:]]],
             "required": ["name", "arguments"]]
        }
        let expected = StructuralTag(triggers: ["<tool_call>"], structures: [
            .init(begin: "<tool_call>", schema: ["type": "object", "anyOf": [call("get_weather"), call("now")]], end: "</tool_call>"),
        ], stopAfterFirst: true)
        #expect(constraint == StructuredOutputsParams(.structuralTag(expected)))
        _ = try StructuralTagCompiler.compile(expected)
        #expect(try #require(ParserToolCalls(name: "pythonic")).callConstraint(for: try request()) == nil)
    }
}
