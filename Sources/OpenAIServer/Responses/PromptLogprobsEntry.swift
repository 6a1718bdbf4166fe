import Engine
import SwiftletJSON

/// One prompt position of vLLM's `prompt_logprobs`: `{token id: {logprob, rank, decoded_token}}`
/// with the prompt's actual token first (its rank among the whole vocabulary), then the top-k
/// (ranks 1...k). A top-k token that is the actual token keeps the first place and takes the
/// top-k entry's values, as vLLM's dictionary filled in that order does.
struct PromptLogprobsEntry: Encodable, Sendable {
    struct Logprob: Encodable, Sendable {
        var logprob: Double
        var rank: Int
        var decodedToken: String

        enum CodingKeys: String, CodingKey {
            case logprob, rank, decodedToken = "decoded_token"
        }
    }

    private(set) var tokenIDs: [Int] = []
    private(set) var values: [Logprob] = []

    init(_ entry: TokenLogprobs, tokenText: (Int) -> String) {
        append(entry.chosen, rank: entry.rank, tokenText: tokenText)
        for (index, candidate) in entry.top.enumerated() {
            append(candidate, rank: index + 1, tokenText: tokenText)
        }
    }

    private mutating func append(_ logprob: TokenLogprob, rank: Int, tokenText: (Int) -> String) {
        let value = Logprob(logprob: Double(responseLogprob: logprob.logprob), rank: rank, decodedToken: tokenText(logprob.tokenID))
        if let index = tokenIDs.firstIndex(of: logprob.tokenID) {
            values[index] = value
        } else {
            tokenIDs.append(logprob.tokenID)
            values.append(value)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TextKey.self)
        for (id, value) in zip(tokenIDs, values) { try container.encode(value, forKey: TextKey(String(id))) }
    }
}

extension PromptLogprobsEntry {
    /// vLLM's `prompt_logprobs` field: one entry per prompt token, null for the first (nothing
    /// precedes it); null as a whole when prompt logprobs were not asked for.
    static func list(_ entries: [TokenLogprobs?]?, tokenText: (Int) -> String) -> Nullable<[Nullable<PromptLogprobsEntry>]> {
        guard let entries else { return .null }
        return .some(entries.map { entry in Nullable(entry.map { PromptLogprobsEntry($0, tokenText: tokenText) }) })
    }
}
