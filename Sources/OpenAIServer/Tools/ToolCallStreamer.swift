import Engine

/// Turns one streamed choice's text deltas into chat deltas when the request has tools: content
/// for `none` (and `auto` without a parser), tool-call pieces for a named function or `"required"`,
/// and whatever the server's tool-call parser finds for `auto`. One per choice; not thread-safe.
final class ToolCallStreamer {
    /// What one text delta becomes.
    struct Delta: Equatable {
        var content: String?
        var toolCalls: [DeltaToolCall] = []

        var isEmpty: Bool { content == nil && toolCalls.isEmpty }
    }

    private enum Mode {
        case content
        case named(String)
        case required
        case auto(any AutoToolCallStream)
    }

    private let mode: Mode
    private let parallel: Bool
    private var text = ""
    private var namedStarted = false
    /// Whether any tool-call piece went out (the finish reason becomes `"tool_calls"`).
    private(set) var streamedCalls = false

    init(request: ToolsRequest, auto: (any AutoToolCalls)?) {
        parallel = request.parallelToolCalls
        switch request.choice {
        case .none: mode = .content
        case .function(let name): mode = .named(name)
        case .required: mode = .required
        case .auto: mode = auto.map { .auto($0.makeStream()) } ?? .content
        }
    }

    /// The chat delta for the next piece of generated text.
    func feed(_ piece: String) -> Delta {
        var delta: Delta
        switch mode {
        case .content:
            delta = Delta(content: piece.isEmpty ? nil : piece)
        case .named(let name):
            delta = Delta()
            if !piece.isEmpty {
                let first = !namedStarted
                namedStarted = true
                delta.toolCalls = [DeltaToolCall(id: first ? ToolCallOutput.makeID() : nil, type: first ? "function" : nil, index: 0,
                                                 function: DeltaFunctionCall(name: first ? .some(name) : nil, arguments: piece))]
            }
        case .required:
            delta = Delta(toolCalls: requiredPieces(adding: piece))
        case .auto(let stream):
            delta = stream.feed(piece)
        }
        return filtered(delta)
    }

    /// What was held back when the generation ends.
    func finish() -> Delta {
        if case .auto(let stream) = mode { return filtered(stream.finish()) }
        return Delta()
    }

    private func filtered(_ delta: Delta) -> Delta {
        var delta = delta
        if !parallel { delta.toolCalls.removeAll { $0.index != 0 } }
        if !delta.toolCalls.isEmpty { streamedCalls = true }
        return delta
    }

    /// New pieces of a `"required"` answer: a call's id, name and the arguments so far once its
    /// name is known and its parameters have begun, then only new argument text.
    private func requiredPieces(adding piece: String) -> [DeltaToolCall] {
        let sentLength = text.utf8.count
        text += piece
        let bytes = Array(text.utf8)
        var pieces: [DeltaToolCall] = []
        for (index, span) in RequiredCallScanner.spans(of: text).enumerated() {
            guard span.isReady, let name = span.name, let start = span.argumentsStart else { break }
            let end = span.argumentsEnd ?? bytes.count
            if span.wasReady(at: sentLength) {
                let from = min(end, sentLength)
                guard from < end else { continue }
                pieces.append(DeltaToolCall(index: index, function: DeltaFunctionCall(
                    name: .null, arguments: String(decoding: bytes[from..<end], as: UTF8.self))))
            } else {
                pieces.append(DeltaToolCall(id: ToolCallOutput.makeID(), type: "function", index: index, function: DeltaFunctionCall(
                    name: .some(name), arguments: String(decoding: bytes[start..<end], as: UTF8.self))))
            }
        }
        return pieces
    }
}

/// What the server needs of a tool-call parser for `tool_choice: "auto"`.
protocol AutoToolCalls: Sendable {
    /// The content and the calls in a finished answer.
    func extract(_ text: String) -> (content: String?, calls: [ToolCallOutput])
    func makeStream() -> any AutoToolCallStream
    /// Whether calls open with a marker the tokenizer may hold as a special token (`<tool_call>`,
    /// `[TOOL_CALLS]`), which detokenizing must then keep (vLLM sets `skip_special_tokens` false).
    var keepsSpecialTokens: Bool { get }
    /// The constraint that makes a call the model opens a valid call of the request's tools
    /// (a structural tag), for formats that have one; nil otherwise.
    func callConstraint(for request: ToolsRequest) throws -> StructuredOutputsParams?
}

/// A tool-call parser reading one streamed answer.
protocol AutoToolCallStream: AnyObject {
    func feed(_ text: String) -> ToolCallStreamer.Delta
    func finish() -> ToolCallStreamer.Delta
}
