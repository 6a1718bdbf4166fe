import Engine
import Foundation

extension ServingContext {
    /// vLLM's `prompt_logprobs` field: one entry per prompt token, null for the first, else a
    /// dictionary from token id (as a string) to `{"logprob", "rank", "decoded_token"}` holding the
    /// prompt's actual token (with its rank among the whole vocabulary) and the top-k tokens
    /// (ranks 1...k). Null when prompt logprobs were not asked for.
    func promptLogprobsJSON(_ entries: [TokenLogprobs?]?) -> Any {
        guard let entries else { return NSNull() }
        return entries.map { entry -> Any in
            guard let entry else { return NSNull() }
            var tokens: [String: Any] = [:]
            for (index, candidate) in entry.top.enumerated() {
                tokens[String(candidate.tokenID)] = logprobObject(candidate, rank: index + 1)
            }
            tokens[String(entry.chosen.tokenID)] = logprobObject(entry.chosen, rank: entry.rank)
            return tokens
        }
    }

    private func logprobObject(_ logprob: TokenLogprob, rank: Int) -> [String: Any] {
        ["logprob": Double(logprob.logprob), "rank": rank, "decoded_token": tokenText(logprob.tokenID)]
    }

    /// vLLM refuses prompt logprobs on streams.
    func checkPromptLogprobs(_ fields: SamplingFields) throws {
        if fields.stream ?? false, fields.promptLogprobs != nil {
            throw APIError.badRequest("`prompt_logprobs` are not available when `stream=True`.", param: "prompt_logprobs")
        }
    }
}
