import SwiftletJSON

/// The assistant message of one finished chat choice when the request has tools: the content and
/// the tool calls read from the generated text, and the finish reason OpenAI gives them.
struct ToolCallMessage: Equatable, Sendable {
    var content: String?
    var toolCalls: [ToolCallOutput]

    /// `auto`: the server's tool-call parser (nil when auto tool choice is off). The text of a
    /// forced call was constrained by `ToolCallSchema`, so it parses unless it was cut short.
    init(text: String, request: ToolsRequest, auto: (any AutoToolCalls)?) {
        switch request.choice {
        case .none:
            self.init(content: text, toolCalls: [])
        case .function(let name):
            let calls = text.allSatisfy(\.isWhitespace) ? [] : [ToolCallOutput(name: name, arguments: text)]
            self.init(content: "", toolCalls: calls)
        case .required:
            self.init(content: "", toolCalls: Self.requiredCalls(text))
        case .auto:
            guard let auto else {
                self.init(content: text, toolCalls: [])
                return
            }
            let extraction = auto.extract(text)
            var content = extraction.content
            if content?.allSatisfy(\.isWhitespace) == true, !extraction.calls.isEmpty { content = nil }
            self.init(content: content, toolCalls: extraction.calls)
        }
        if !request.parallelToolCalls { toolCalls = Array(toolCalls.prefix(1)) }
    }

    init(content: String?, toolCalls: [ToolCallOutput]) {
        self.content = content
        self.toolCalls = toolCalls
    }

    /// `"tool_calls"` when calls were made and the model stopped by itself, except for a named
    /// function, for which OpenAI reports `"stop"`.
    static func finishReason(_ engineReason: String?, request: ToolsRequest?, callsMade: Bool) -> String? {
        guard callsMade, engineReason == "stop" else { return engineReason }
        if case .function? = request?.choice { return engineReason }
        return "tool_calls"
    }

    /// The calls of a `"required"` answer: a JSON array of `{"name", "parameters"}` objects, each
    /// call's arguments written as Python's `json.dumps` writes them (vLLM's text). Text that is not
    /// such an array (a cut-off answer) gives no calls.
    static func requiredCalls(_ text: String) -> [ToolCallOutput] {
        guard let value = try? JSONValue(parsing: text), let items = value.arrayValue else { return [] }
        var calls: [ToolCallOutput] = []
        for item in items {
            guard item.objectValue != nil, let name = item["name"]?.stringValue else { return [] }
            let parameters = item["parameters"] ?? .null
            guard parameters.isNull || parameters.objectValue != nil else { return [] }
            calls.append(ToolCallOutput(name: name, arguments: PythonJSONText.text(of: parameters)))
        }
        return calls
    }
}
