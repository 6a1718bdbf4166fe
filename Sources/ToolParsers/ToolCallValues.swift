// ToolParsers: turns generated text into OpenAI tool calls, per model family, as vLLM's
// `--tool-call-parser` names them. A leaf: imports SwiftletJSON only, and not Foundation.

/// One tool call found in a finished generation.
public struct ExtractedToolCall: Equatable, Sendable {
    /// Only where the format gives calls ids (mistral: 9 ASCII letters and digits); else nil, and the
    /// server makes one.
    public var id: String?
    public var name: String
    /// The arguments as JSON text, as vLLM sends `function.arguments` (Python `json.dumps` spacing,
    /// `", "` and `": "`; mistral's `name{...}` form sends the text as the model wrote it).
    public var arguments: String

    public init(id: String? = nil, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// What a finished generation holds: the text outside the calls, and the calls.
public struct ToolCallExtraction: Equatable, Sendable {
    /// Text outside the calls: nil when there is none beside calls; the whole text when there are no calls.
    public var content: String?
    public var calls: [ExtractedToolCall]

    public init(content: String?, calls: [ExtractedToolCall] = []) {
        self.content = content
        self.calls = calls
    }
}

/// A piece of one call in a stream.
public struct ToolCallDelta: Equatable, Sendable {
    /// Which call (0, 1, ...), in the order the calls open.
    public var index: Int
    /// Set in the first delta of a call where the format gives ids.
    public var id: String?
    /// Set once, in the first delta of a call.
    public var name: String?
    /// A fragment of the arguments text; a call's fragments joined are its `ExtractedToolCall.arguments`.
    public var arguments: String?

    public init(index: Int, id: String? = nil, name: String? = nil, arguments: String? = nil) {
        self.index = index
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// What one piece of streamed text lets the server send now.
public struct ToolStreamDelta: Equatable, Sendable {
    public var content: String?
    public var calls: [ToolCallDelta]

    public init(content: String? = nil, calls: [ToolCallDelta] = []) {
        self.content = content
        self.calls = calls
    }

    /// Nothing to send: no content text and no call pieces.
    public var isEmpty: Bool { (content ?? "").isEmpty && calls.isEmpty }
}
