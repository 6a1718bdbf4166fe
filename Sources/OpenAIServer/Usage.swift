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

    /// The last SSE chunk of a stream with `stream_options.include_usage`: no choices, the usage
    /// of every request (none without the option). Completions and chat share it.
    static func trailer(base: [String: Any], finals: [RequestOutput], includeUsage: Bool) -> [Data] {
        guard includeUsage else { return [] }
        var chunk = base
        chunk["choices"] = [Any]()
        chunk["usage"] = Usage(outputs: finals).json
        return [JSONBody.event(chunk)]
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
