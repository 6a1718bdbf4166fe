/// A tool-call format: finds the calls in a finished generation, and makes a parser for a stream.
///
/// Model output is untrusted text: no input traps. Where the calls are malformed, the text comes back as
/// content, as vLLM returns it.
public protocol ToolParser: Sendable {
    /// The name vLLM's `--tool-call-parser` uses ("hermes", "llama3_json", "mistral", "pythonic").
    static var name: String { get }
    /// The text that opens a call in this format ("<tool_call>" for hermes, "[TOOL_CALLS]" for
    /// mistral), nil where none is fixed.
    var callOpening: String? { get }
    func extract(from text: String) -> ToolCallExtraction
    func makeStreamingParser() -> any StreamingToolParser
}

/// The parser of one streamed generation: text in, in pieces of any size, and what can be sent out.
public protocol StreamingToolParser: AnyObject {
    /// Feeds the next piece of generated text; returns what can be sent now. Text that may still turn
    /// out to open a call (a partial "<tool_ca") is held back.
    func feed(_ text: String) -> ToolStreamDelta
    /// The generation ended: flushes what was held back (a partial opening that never completed goes
    /// out as content).
    func finish() -> ToolStreamDelta
}

/// The parsers by the names vLLM registers them under.
public enum ToolParserRegistry {
    /// vLLM registers the llama JSON parser under two names.
    private static let makers: [String: @Sendable () -> any ToolParser] = [
        HermesToolParser.name: { HermesToolParser() },
        Llama3JSONToolParser.name: { Llama3JSONToolParser() },
        "llama4_json": { Llama3JSONToolParser() },
        MistralToolParser.name: { MistralToolParser() },
        PythonicToolParser.name: { PythonicToolParser() },
    ]

    /// The registered names, sorted.
    public static var names: [String] { makers.keys.sorted() }

    /// The parser registered as `name`, or nil.
    public static func make(_ name: String) -> (any ToolParser)? {
        makers[name]?()
    }
}
