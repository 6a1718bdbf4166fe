import SwiftletJSON

/// A finished tool call in a chat response (`message.tool_calls[i]`).
struct ToolCallOutput: Encodable, Equatable, Sendable {
    var id: String
    var type = "function"
    var function: FunctionCallOutput

    init(id: String = ToolCallOutput.makeID(), name: String, arguments: String) {
        self.id = id
        function = FunctionCallOutput(name: name, arguments: arguments)
    }

    /// vLLM's id for a call the model's format names none: `chatcmpl-tool-` and 32 random hex digits.
    static func makeID() -> String { "chatcmpl-tool-\(RequestDecoding.randomID())" }
}

/// The function of a tool call: its name and its arguments as JSON text.
struct FunctionCallOutput: Encodable, Equatable, Sendable {
    var name: String
    var arguments: String
}

/// A piece of a streamed tool call (`delta.tool_calls[i]`): the first piece of a call carries its
/// id, type and name; later ones only `index` and more argument text.
struct DeltaToolCall: Encodable, Equatable, Sendable {
    var id: String?
    var type: String?
    var index: Int
    var function: DeltaFunctionCall?
}

/// `name` is absent, null (vLLM sets it to None on later pieces of a required call) or the name.
struct DeltaFunctionCall: Encodable, Equatable, Sendable {
    var name: Nullable<String>?
    var arguments: String?
}
