import ReasoningParsers
import SwiftletJSON
import Testing
@testable import OpenAIServer

/// Reasoning first, then tools: the message fields of a finished answer, and the same fields
/// streamed at every split of the text.
@Suite struct ChatOutputParsingTests {
    static let text = "<think>Paris is in France.</think>Let me look.<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>"

    func tools() throws -> ToolsRequest {
        guard case .object(let object) = try JSONValue(parsing: #"{"tools": [{"function": {"name": "get_weather"}}]}"#) else {
            throw APIError.badRequest("?")
        }
        return try #require(try ToolsRequest.read(from: object, autoEnabled: true))
    }

    @Test func reasoningThenTools() throws {
        let parsing = ChatOutputParsing(tools: try tools(), auto: ParserToolCalls(name: "hermes"), reasoning: DeepSeekR1ReasoningParser())
        let message = parsing.message(for: Self.text)
        #expect(message.reasoning == "Paris is in France.")
        #expect(message.content == "Let me look.")
        #expect(message.toolCalls.map(\.function) == [FunctionCallOutput(name: "get_weather", arguments: #"{"city": "Paris"}"#)])
        // Reasoning alone; an answer cut short inside the reasoning is all reasoning (deepseek_r1).
        let reasoningOnly = ChatOutputParsing(reasoning: DeepSeekR1ReasoningParser())
        #expect(reasoningOnly.message(for: "a</think>b").reasoning == "a")
        #expect(reasoningOnly.message(for: "a</think>b").content == "b")
        #expect(reasoningOnly.message(for: "still thinking").content == nil)
        var hidden = reasoningOnly
        hidden.includeReasoning = false
        #expect(hidden.message(for: "a</think>b").reasoning == nil)
        #expect(hidden.message(for: "a</think>b").content == "b")
        #expect(!ChatOutputParsing().isActive)
    }

    @Test func streamedAtEverySplit() throws {
        let parsing = ChatOutputParsing(tools: try tools(), auto: ParserToolCalls(name: "hermes"), reasoning: DeepSeekR1ReasoningParser())
        for cut in 0...Self.text.count {
            let streams = ChatChoiceStreams(parsing: parsing)
            var reasoning = "", content = "", arguments = "", names: [String] = []
            for (piece, finished) in [(String(Self.text.prefix(cut)), false), (String(Self.text.dropFirst(cut)), true)] {
                let delta = streams.delta(choice: 0, text: piece, finished: finished)
                reasoning += delta.reasoning ?? ""
                content += delta.content ?? ""
                for call in delta.toolCalls {
                    if let name = call.function?.name?.value { names.append(name) }
                    arguments += call.function?.arguments ?? ""
                }
            }
            #expect(reasoning == "Paris is in France.", "cut at \(cut)")
            #expect(content == "Let me look.", "cut at \(cut)")
            #expect(names == ["get_weather"] && arguments == #"{"city": "Paris"}"#, "cut at \(cut)")
            #expect(streams.finishReason(choice: 0, engineReason: "stop") == "tool_calls")
        }
        // A prompt that closed the reasoning streams everything as the answer.
        let closed = ChatChoiceStreams(parsing: ChatOutputParsing(reasoning: DeepSeekR1ReasoningParser(), promptEndsReasoning: true))
        #expect(closed.delta(choice: 0, text: "x</think>y", finished: true) == ChatChoiceStreams.Delta(content: "x</think>y"))
    }

    @Test func templateKwargs() throws {
        func kwargs(_ json: String) throws -> ChatTemplateKwargs {
            guard case .object(let object) = try JSONValue(parsing: json) else { throw APIError.badRequest("?") }
            return try ChatTemplateKwargs(body: object)
        }
        #expect(try kwargs(#"{"chat_template_kwargs": {"enable_thinking": false}}"#).enableThinking == false)
        #expect(try kwargs(#"{"reasoning_effort": "none"}"#).values["enable_thinking"] == .bool(false))
        #expect(try kwargs(#"{"reasoning_effort": "low", "chat_template_kwargs": {"enable_thinking": false}}"#).enableThinking == false)
        #expect(try kwargs(#"{"reasoning_effort": "high"}"#).enableThinking == true)
        #expect(try kwargs(#"{}"#).values.isEmpty)
        for body in [#"{"chat_template_kwargs": {"messages": []}}"#, #"{"chat_template_kwargs": [1]}"#] {
            #expect(performing: { try kwargs(body) }, throws: { ($0 as? APIError)?.param == "chat_template_kwargs" })
        }
    }
}
