import Testing
import ToolParsers

struct ToolParserRegistryTests {
    @Test func namesAreVLLMsSorted() {
        #expect(ToolParserRegistry.names == ["hermes", "llama3_json", "llama4_json", "mistral", "pythonic"])
        #expect(ToolParserRegistry.make("nope") == nil)
        #expect(ToolParserRegistry.make("hermes")?.callOpening == "<tool_call>")
        #expect(ToolParserRegistry.make("mistral")?.callOpening == "[TOOL_CALLS]")
        #expect(ToolParserRegistry.make("llama4_json").map { type(of: $0).name } == "llama3_json")
    }

    /// Mangled calls (cut, doubled and dropped characters) never trap, streamed or not, and streamed
    /// call pieces always come in order.
    @Test(arguments: ToolParserRegistry.names)
    func mangledOutputNeverTraps(name: String) throws {
        let parser = try #require(ToolParserRegistry.make(name))
        let samples = [
            #"pre <tool_call>{"name": "f", "arguments": {"a": [1, 2.5e3, "\u00e9\ud83d"], "b": {"c": null}}}</tool_call>"#,
            #"<|python_tag|>{"name": "f", "parameters": {"x": "y"}}; {"name": "g", "arguments": {}}"#,
            #"[TOOL_CALLS] [{"name": "f", "arguments": {"a": 1}}][TOOL_CALLS]g[ARGS]{"b": 2}"#,
            #"[f(a='x\'y', b=[1, {'k': None}], c=-0x1F), g()]"#,
        ]
        var generator = Lcg(seed: 7)
        for sample in samples {
            let characters = Array(sample)
            for _ in 0..<150 {
                var mangled = characters
                for _ in 0..<3 {
                    let at = Int(generator.next() % UInt64(mangled.count))
                    switch generator.next() % 3 {
                    case 0: mangled.remove(at: at)
                    case 1: mangled.insert(mangled[at], at: at)
                    default: mangled.removeSubrange(at...)
                    }
                    if mangled.isEmpty { break }
                }
                let text = String(mangled)
                _ = parser.extract(from: text)
                _ = StreamHarness.run(parser, pieces: StreamHarness.splits(of: text, randomCount: 1).last ?? [text])
            }
        }
    }
}
