import Testing
import ToolParsers

struct MistralToolParserTests {
    let parser = MistralToolParser()

    private func withoutIDs(_ extraction: ToolCallExtraction) -> ToolCallExtraction {
        ToolCallExtraction(content: extraction.content, calls: extraction.calls.map {
            #expect(Self.isMistralID($0.id))
            return ExtractedToolCall(name: $0.name, arguments: $0.arguments)
        })
    }

    static func isMistralID(_ id: String?) -> Bool {
        guard let id else { return false }
        return id.count == 9 && id.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }

    @Test func plainTextIsContent() {
        #expect(parser.extract(from: "Bonjour") == ToolCallExtraction(content: "Bonjour"))
    }

    @Test func arrayFormWithDefaultArgumentsAndTrailingText() {
        let text = #"Calling. [TOOL_CALLS] [{"name": "add", "arguments": {"a": 3.5, "b": 4}}, {"name": "now"}] </s>"#
        #expect(withoutIDs(parser.extract(from: text)) == ToolCallExtraction(content: "Calling. ", calls: [
            ExtractedToolCall(name: "add", arguments: #"{"a": 3.5, "b": 4}"#),
            ExtractedToolCall(name: "now", arguments: "{}"),
        ]))
    }

    @Test func namedFormKeepsArgumentsAsWritten() {
        let text = #"[TOOL_CALLS]add[ARGS]{"a":3.5,"b":4}[TOOL_CALLS]no_brace[TOOL_CALLS]echo{"s": "x"}"#
        #expect(withoutIDs(parser.extract(from: text)) == ToolCallExtraction(content: nil, calls: [
            ExtractedToolCall(name: "add", arguments: #"{"a":3.5,"b":4}"#),
            ExtractedToolCall(name: "echo", arguments: #"{"s": "x"}"#),
        ]))
    }

    @Test(arguments: [
        #"[TOOL_CALLS] [{"name": "add", "arguments": {"a": }}]"#,
        #"x[TOOL_CALLS] [{"arguments": {}}]"#,
        #"[TOOL_CALLS] [{"name": "a"}] [TOOL_CALLS]"#,
        "[TOOL_CALLS]",
        "[TOOL_CALLS]name only",
    ])
    func malformedIsWholeContent(text: String) {
        #expect(parser.extract(from: text) == ToolCallExtraction(content: text))
    }

    @Test func streamingGivesEachCallAnID() {
        let stream = parser.makeStreamingParser()
        #expect(stream.feed("Hi [TOOL_") == ToolStreamDelta(content: "Hi "))
        let named = stream.feed(#"CALLS]get{"city": "#)
        #expect(named.calls.count == 1 && named.calls[0].name == "get" && named.calls[0].arguments == #"{"city": "#)
        #expect(Self.isMistralID(named.calls[0].id))
        #expect(stream.feed(#""Paris"}"#) == ToolStreamDelta(calls: [ToolCallDelta(index: 0, arguments: #""Paris"}"#)]))
        #expect(stream.finish().isEmpty)
    }

    @Test(arguments: [
        "No tools [TOOL not a token",
        #"Calling. [TOOL_CALLS] [{"name": "add", "arguments": {"a": 3.5, "b": [4, {"c": null}]}}, {"name": "now"}] </s>"#,
        #"[TOOL_CALLS][{"arguments": {"x": "y"}, "name": "late"}]"#,
        #"[TOOL_CALLS]add[ARGS]{"a":3.5,"b":4}[TOOL_CALLS]no_brace[TOOL_CALLS]echo{"s": "[TOOL"}"#,
        #"[TOOL_CALLS] [{"arguments": {"a": }, "name": "add"}]"#,
        "[TOOL_CALLS]   ",
    ])
    func streamingMatchesExtraction(text: String) {
        StreamHarness.checkStreaming(parser, text)
    }
}
