import Engine
import Foundation

/// Token counts of a response (`usage`).
struct Usage {
    var promptTokens = 0
    var completionTokens = 0

    init() {}

    init(outputs: [RequestOutput]) {
        for output in outputs {
            promptTokens += output.promptTokenIDs.count
            completionTokens += output.outputs.reduce(0) { $0 + $1.tokenIDs.count }
        }
    }

    var json: [String: Any] {
        ["prompt_tokens": promptTokens, "completion_tokens": completionTokens,
         "total_tokens": promptTokens + completionTokens, "prompt_tokens_details": NSNull()]
    }
}

extension FinishReason {
    /// The OpenAI spelling.
    var apiName: String {
        switch self {
        case .stop: return "stop"
        case .length: return "length"
        case .abort: return "abort"
        }
    }
}

extension CompletionOutput {
    var stopReasonJSON: Any {
        switch stopReason {
        case .tokenID(let id): return id
        case .text(let text): return text
        case nil: return NSNull()
        }
    }
}
