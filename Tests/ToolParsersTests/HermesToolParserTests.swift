import Testing
import ToolParsers

struct HermesToolParserTests {
    let parser = HermesToolParser()

    @Test func plainTextIsContent() {
        #expect(parser.extract(from: "Hello, world") == ToolCallExtraction(content: "Hello, world"))
        #expect(parser.extract(from: "") == ToolCallExtraction(content: ""))
    }

    @Test func oneCallIsRewrittenAsJSONDumpsWrites() {
        let text = #"<tool_call>{"name":"get_weather","arguments":{"city":"Paris","days":3,"t":1.50,"e":1E3,"u":"\u00e9\/"}}</tool_call>"#
        #expect(parser.extract(from: text) == ToolCallExtraction(content: nil, calls: [
            ExtractedToolCall(name: "get_weather", arguments: #"{"city": "Paris", "days": 3, "t": 1.5, "e": 1000.0, "u": "é/"}"#),
        ]))
    }

    @Test func contentBeforeAndTwoCalls() {
        let text = "Let me check.\n<tool_call>\n{\"name\": \"a\", \"arguments\": {}}\n</tool_call>\nbetween\n<tool_call>\n{\"arguments\": [1, true, null], \"name\": \"b\"}\n</tool_call>after"
        #expect(parser.extract(from: text) == ToolCallExtraction(content: "Let me check.\n", calls: [
            ExtractedToolCall(name: "a", arguments: "{}"),
            ExtractedToolCall(name: "b", arguments: "[1, true, null]"),
        ]))
    }

    @Test func unclosedLastCallIsStillRead() {
        let text = #"<tool_call>{"name": "f", "arguments": {"x": "y"}}"#
        #expect(parser.extract(from: text).calls == [ExtractedToolCall(name: "f", arguments: #"{"x": "y"}"#)])
    }

    @Test(arguments: [
        #"<tool_call>{"name": "f", "arguments": {"x": }}</tool_call>"#,
        #"ok <tool_call>{"name": "f"}</tool_call>"#,
        #"<tool_call>{"name": 3, "arguments": {}}</tool_call>"#,
        #"<tool_call>["f"]</tool_call>"#,
        #"<tool_call></tool_call>"#,
        #"<tool_call>{"name": "f", "arguments": {}} x</tool_call>"#,
        #"<tool_call>{"name": "f", "arguments": {}}</tool_call><tool_call>{"name": "g", "argu"#,
        #"<tool_call>{"name": "f", "arguments": {}}</tool_ca"#,
    ])
    func malformedIsWholeContent(text: String) {
        #expect(parser.extract(from: text) == ToolCallExtraction(content: text))
    }

    @Test func streamsContentAndCallsInPieces() {
        let stream = parser.makeStreamingParser()
        #expect(stream.feed("Hi <tool") == ToolStreamDelta(content: "Hi "))
        #expect(stream.feed(#"_call>{"name": "#).isEmpty)
        #expect(stream.feed(#""f", "#) == ToolStreamDelta(calls: [ToolCallDelta(index: 0, name: "f")]))
        #expect(stream.feed(#""arguments": {"a": "b"#) == ToolStreamDelta(calls: [ToolCallDelta(index: 0, arguments: #"{"a": "b"#)]))
        #expect(stream.feed(#"c"}}</tool_call>"#) == ToolStreamDelta(calls: [ToolCallDelta(index: 0, arguments: #"c"}"#)]))
        #expect(stream.finish().isEmpty)
    }

    @Test func partialOpeningThatNeverCompletesIsContent() {
        let stream = parser.makeStreamingParser()
        #expect(stream.feed("a <tool_ca") == ToolStreamDelta(content: "a "))
        #expect(stream.finish() == ToolStreamDelta(content: "<tool_ca"))
    }

    /// A call cut short after its name went out cannot be taken back: its text follows as content
    /// (the finished-text extraction gives the whole text as content and no call).
    @Test func truncatedCallAfterItsNameFollowsAsContent() {
        let stream = parser.makeStreamingParser()
        #expect(stream.feed(#"<tool_call>{"name": "f", "arguments": {"x": 1"#)
            == ToolStreamDelta(calls: [ToolCallDelta(index: 0, name: "f", arguments: #"{"x": "#)]))
        #expect(stream.finish() == ToolStreamDelta(content: #"<tool_call>{"name": "f", "arguments": {"x": 1"#))
    }

    @Test(arguments: [
        "plain text < not a tag <tool",
        "Let me check.\n<tool_call>\n{\"name\": \"a\", \"arguments\": {\"q\": \"x\\ny \\\"z\\\" \\ud83d\\ude00 é\", \"n\": [-0, 0.1, 2e-7, 1e16]}}\n</tool_call>\n<tool_call>{\"name\":\"b\",\"arguments\":{}}</tool_call>",
        "<tool_call>{\"extra\": {\"k\": [1]}, \"arguments\": {\"a\": 1}, \"name\": \"late\"}</tool_call>",
        "<tool_call>{\"name\": \"f\", \"arguments\": {\"x\": \"</tool\"}}",
        "<tool_call>{\"name\": \"f\", \"arguments\": {}}</tool_call>",
    ])
    func streamingMatchesExtraction(text: String) {
        StreamHarness.checkStreaming(parser, text)
    }
}
