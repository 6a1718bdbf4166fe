import Engine
import SwiftletJSON

/// `usage`, in vLLM's key order (prompt, total, completion). Response bodies write
/// `completion_tokens_details: null`; the streamed usage trailer leaves nulls out (vLLM
/// serializes that chunk with `exclude_none`).
struct UsageInfo: Encodable, Sendable, Equatable {
    var promptTokens: Int
    var completionTokens: Int
    /// False in stream chunks, which leave the null details out.
    var writesNullDetails = true

    var totalTokens: Int { promptTokens + completionTokens }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens", totalTokens = "total_tokens", completionTokens = "completion_tokens"
        case completionTokensDetails = "completion_tokens_details"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(promptTokens, forKey: .promptTokens)
        try container.encode(totalTokens, forKey: .totalTokens)
        try container.encode(completionTokens, forKey: .completionTokens)
        if writesNullDetails { try container.encodeNil(forKey: .completionTokensDetails) }
    }
}

extension UsageInfo {
    /// The token counts of every request behind a response.
    init(outputs: [RequestOutput], writesNullDetails: Bool = true) {
        var prompt = 0, completion = 0
        for output in outputs {
            prompt += output.promptTokenIDs.count
            completion += output.outputs.reduce(0) { $0 + $1.tokenIDs.count }
        }
        self.init(promptTokens: prompt, completionTokens: completion, writesNullDetails: writesNullDetails)
    }
}
