/// The reasoning parsers by the names vLLM registers them under (`--reasoning-parser`).
public enum ReasoningParserRegistry {
    /// The names `make` knows, sorted.
    public static var names: [String] { [DeepSeekR1ReasoningParser.name, Qwen3ReasoningParser.name].sorted() }

    /// The parser registered as `name`, or nil for an unknown name.
    public static func make(_ name: String) -> (any ReasoningParser)? {
        make(name, enableThinking: true)
    }

    /// The parser registered as `name` for a request whose `chat_template_kwargs.enable_thinking`
    /// is `enableThinking` (only qwen3 reads it), or nil for an unknown name.
    public static func make(_ name: String, enableThinking: Bool) -> (any ReasoningParser)? {
        switch name {
        case DeepSeekR1ReasoningParser.name: DeepSeekR1ReasoningParser()
        case Qwen3ReasoningParser.name: Qwen3ReasoningParser(thinkingEnabled: enableThinking)
        default: nil
        }
    }
}
