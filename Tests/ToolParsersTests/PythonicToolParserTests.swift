import Testing
import ToolParsers

struct PythonicToolParserTests {
    let parser = PythonicToolParser()

    @Test func plainTextIsContent() {
        #expect(parser.extract(from: "Sure, here you go.") == ToolCallExtraction(content: "Sure, here you go."))
    }

    @Test func oneCallWithLiterals() {
        let text = #"[get_weather(city='Paris', days=3, metric=True, note=None, ratio=.5, big=1_000, hex=0x1F, tags=["a", 'b\'c'], opts={'k': 1e16, 2: False, 'k': 'last'})]"#
        #expect(parser.extract(from: text) == ToolCallExtraction(content: nil, calls: [
            ExtractedToolCall(name: "get_weather", arguments: #"{"city": "Paris", "days": 3, "metric": true, "note": null, "ratio": 0.5, "big": 1000, "hex": 31, "tags": ["a", "b'c"], "opts": {"k": "last", "2": false}}"#),
        ]))
    }

    @Test func twoCallsAndNoArguments() {
        let text = "[now(), register_user(name=\"John\\nDoe\", age=-37)]\n"
        #expect(parser.extract(from: text) == ToolCallExtraction(content: nil, calls: [
            ExtractedToolCall(name: "now", arguments: "{}"),
            ExtractedToolCall(name: "register_user", arguments: #"{"name": "John\nDoe", "age": -37}"#),
        ]))
    }

    @Test(arguments: [
        "[]",
        "[1, 2, 3]",
        "Text first [f()]",
        " [f()]",
        "[f(1)]",
        "[f(a=1, a=2)]",
        "[f(a=g())]",
        "[f(a=(1, 2))]",
        "[f(a=1),]",
        "[f(a=1)] and more",
        "[f(a=1)",
        "[mod.f(a=1)]",
        "[f (a=1)]",
        "[f(a=b'x')]",
    ])
    func malformedIsWholeContent(text: String) {
        #expect(parser.extract(from: text) == ToolCallExtraction(content: text))
    }

    @Test func streamsNameAtTheParenthesisAndArgumentsByKeyword() {
        let stream = parser.makeStreamingParser()
        #expect(stream.feed("[get_wea").isEmpty)
        #expect(stream.feed("ther(city='Pa") == ToolStreamDelta(calls: [ToolCallDelta(index: 0, name: "get_weather", arguments: "{")]))
        #expect(stream.feed("ris', n=2") == ToolStreamDelta(calls: [ToolCallDelta(index: 0, arguments: #""city": "Paris""#)]))
        #expect(stream.feed(")]") == ToolStreamDelta(calls: [ToolCallDelta(index: 0, arguments: #", "n": 2}"#)]))
        #expect(stream.finish().isEmpty)
    }

    /// Text after the list makes the finished text content; a stream has sent the call by then, and
    /// the text from where it failed follows as content.
    @Test func textAfterTheListStreamsAsContentAfterTheCall() {
        #expect(StreamHarness.run(parser, pieces: ["[f(a=1)] trailing"]) == StreamHarness.Result(
            content: "trailing", calls: [ExtractedToolCall(name: "f", arguments: #"{"a": 1}"#)]))
    }

    @Test(arguments: [
        "Just text.",
        "[1] First point",
        "[Note] something",
        #"[get_weather(city='Paris, (France)', days=3), now(), f(x={'a': [1, 2.50, "]"]}, y="it's")]"#,
        "[f] trailing",
        "[f(a='''tri\"ple''')]  \n",
    ])
    func streamingMatchesExtraction(text: String) {
        StreamHarness.checkStreaming(parser, text)
    }
}
