import Testing
import ToolParsers

struct Llama3JSONToolParserTests {
    let parser = Llama3JSONToolParser()

    @Test func plainTextIsContent() {
        #expect(parser.extract(from: "The answer is 42.") == ToolCallExtraction(content: "The answer is 42."))
        #expect(parser.extract(from: "<|python_tag|>print(1)") == ToolCallExtraction(content: "<|python_tag|>print(1)"))
    }

    @Test func oneCallWithParameters() {
        let text = #"{"name": "get_weather", "parameters": {"city": "Paris", "unit": null}}"#
        #expect(parser.extract(from: text) == ToolCallExtraction(content: nil, calls: [
            ExtractedToolCall(name: "get_weather", arguments: #"{"city": "Paris", "unit": null}"#),
        ]))
    }

    @Test func twoCallsAfterThePythonTagSeparatedBySemicolon() {
        let text = #"<|python_tag|>{"name": "a", "arguments": {"x":[1,2]}}; {"name": "b", "parameters": {}}"#
        #expect(parser.extract(from: text) == ToolCallExtraction(content: nil, calls: [
            ExtractedToolCall(name: "a", arguments: #"{"x": [1, 2]}"#),
            ExtractedToolCall(name: "b", arguments: "{}"),
        ]))
    }

    @Test func textAroundACallIsDroppedAsVLLMDoes() {
        let text = #"Sure: {"name": "f", "arguments": {"q": "{not a brace}"}} done"#
        #expect(parser.extract(from: text) == ToolCallExtraction(content: nil, calls: [
            ExtractedToolCall(name: "f", arguments: #"{"q": "{not a brace}"}"#),
        ]))
    }

    @Test func aCallInsideAListIsFoundAsVLLMFindsIt() {
        #expect(parser.extract(from: #"[{"name": "f", "arguments": {}}]"#).calls == [ExtractedToolCall(name: "f", arguments: "{}")])
    }

    @Test func argumentsWinOverParameters() {
        let text = #"{"name": "f", "parameters": {"p": 1}, "arguments": {"a": 2}}"#
        #expect(parser.extract(from: text).calls == [ExtractedToolCall(name: "f", arguments: #"{"a": 2}"#)])
    }

    @Test(arguments: [
        "use {braces} here",
        #"{"name": "f"}"#,
        #"{"arguments": {}}"#,
        #"{"name": "f", "arguments": {}}; {"name": "g", "arguments": "#,
    ])
    func malformedIsWholeContent(text: String) {
        #expect(parser.extract(from: text) == ToolCallExtraction(content: text))
    }

    /// vLLM streams an output as calls only when it begins with the tag or `{`; text before a call
    /// streams as content there (the finished-text extraction drops it).
    @Test func textBeforeACallStreamsAsContent() {
        let text = #"Sure: {"name": "f", "arguments": {}}"#
        #expect(StreamHarness.run(parser, pieces: [text]) == StreamHarness.Result(content: text))
    }

    @Test func streamsNameThenArguments() {
        let stream = parser.makeStreamingParser()
        #expect(stream.feed("  <|python").isEmpty)
        #expect(stream.feed(#"_tag|>{"name": "f", "#) == ToolStreamDelta(calls: [ToolCallDelta(index: 0, name: "f")]))
        #expect(stream.feed(#""parameters": {"n": 1.0"#) == ToolStreamDelta(calls: [ToolCallDelta(index: 0, arguments: #"{"n": "#)]))
        #expect(stream.feed("}}") == ToolStreamDelta(calls: [ToolCallDelta(index: 0, arguments: "1.0}")]))
        #expect(stream.finish().isEmpty)
    }

    @Test(arguments: [
        "Plain answer without braces.",
        "use {braces} here",
        "   ",
        "<|python_tag|>",
        "<|python_tag|>no call",
        #"<|python_tag|>{"name": "a", "arguments": {"x":[1,2], "s": "a;b"}}; {"name": "b", "parameters": {"d": {"e": -1.25e+3}}}"#,
        #"  {"name": "f", "arguments": {}} ; {"name": "g", "arguments": {"k": "\u00fc"}}"#,
        #"{"name": "f", "arguments": {}}{"name": "g", "arguments": {}}"#,
        #"{"oops", "name": "f"}"#,
    ])
    func streamingMatchesExtraction(text: String) {
        StreamHarness.checkStreaming(parser, text)
    }
}
