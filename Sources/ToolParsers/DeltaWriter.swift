/// Gathers what one `feed` or `finish` lets a streaming parser send: content text, and the pieces of
/// calls. A call's arguments that come before its name are held until the name is known, since the
/// name goes out first.
struct DeltaWriter {
    private var content = ""
    private var calls: [ToolCallDelta] = []
    /// Calls opened so far; the open one is the last.
    private(set) var callCount = 0
    private(set) var openCallNamed = false
    private var heldArguments = ""

    /// Whether any call has been sent (its name went out).
    var sentAnyCall: Bool { callCount > 1 || openCallNamed }

    mutating func addContent(_ text: String) {
        content += text
    }

    mutating func addContent(_ scalars: ArraySlice<Unicode.Scalar>) {
        content.unicodeScalars.append(contentsOf: scalars)
    }

    /// A new call begins; its name is not known yet.
    mutating func openCall() {
        callCount += 1
        openCallNamed = false
        heldArguments = ""
    }

    /// The open call's name (and id, where the format has them): sent with the arguments held so far.
    mutating func nameCall(_ name: String, id: String? = nil) {
        guard callCount > 0, !openCallNamed else { return }
        openCallNamed = true
        calls.append(ToolCallDelta(index: callCount - 1, id: id, name: name, arguments: heldArguments.isEmpty ? nil : heldArguments))
        heldArguments = ""
    }

    /// More of the open call's arguments text.
    mutating func addArguments(_ text: String) {
        guard callCount > 0, !text.isEmpty else { return }
        guard openCallNamed else { return heldArguments += text }
        let index = callCount - 1
        if let last = calls.indices.last, calls[last].index == index {
            calls[last].arguments = (calls[last].arguments ?? "") + text
        } else {
            calls.append(ToolCallDelta(index: index, arguments: text))
        }
    }

    /// What was gathered since the last call, and a fresh start.
    mutating func take() -> ToolStreamDelta {
        defer {
            content = ""
            calls = []
        }
        return ToolStreamDelta(content: content.isEmpty ? nil : content, calls: calls)
    }
}

/// A streaming parser that can also say whether the whole output was well formed, so that one state
/// machine serves both the streaming and the finished-text extraction.
protocol ToolCallStateMachine: StreamingToolParser {
    /// Whether the output turned out not to be well-formed calls (after a call was seen).
    var isMalformed: Bool { get }
}

extension ToolCallStateMachine {
    /// Runs the whole text through, then gathers the result as vLLM's non-streaming extraction gives it:
    /// the text as content when there are no calls or they are malformed; else the calls, and the
    /// content beside them (nil when empty).
    func extractAll(_ text: String) -> ToolCallExtraction {
        let pieces = [feed(text), finish()]
        guard !isMalformed else { return ToolCallExtraction(content: text) }
        var content = ""
        var calls: [ExtractedToolCall] = []
        for piece in pieces {
            content += piece.content ?? ""
            for delta in piece.calls {
                if delta.index == calls.count {
                    calls.append(ExtractedToolCall(id: delta.id, name: delta.name ?? "", arguments: ""))
                }
                calls[delta.index].arguments += delta.arguments ?? ""
            }
        }
        guard !calls.isEmpty else { return ToolCallExtraction(content: text) }
        return ToolCallExtraction(content: content.isEmpty ? nil : content, calls: calls)
    }
}
