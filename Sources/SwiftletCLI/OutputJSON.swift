import Foundation
import Swiftlet

/// `swiftlet generate --json`: the shape of a vLLM `RequestOutput` with one completion.
enum OutputJSON {
    static func render(_ output: GenerationOutput, prompt: String?, tokenizer: Tokenizer) throws -> String {
        var object: [String: Any] = [
            "prompt_token_ids": output.promptTokenIDs,
            "output_token_ids": output.outputTokenIDs,
            "text": output.text,
            "finish_reason": output.finishReason.rawValue,
            "stop_reason": output.stopReason.map { $0 as Any } ?? NSNull(),
        ]
        object["prompt"] = prompt.map { $0 as Any } ?? NSNull()
        if let logprobs = output.logprobs {
            object["logprobs"] = logprobs.map { position(from: $0, tokenizer: tokenizer) }
        }
        if let promptLogprobs = output.promptLogprobs {
            object["prompt_logprobs"] = promptLogprobs.map { entry -> Any in
                guard let entry else { return NSNull() }
                return position(from: entry, tokenizer: tokenizer)
            }
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// One position as vLLM's dict: token id → {logprob, rank, decoded_token}, the top-K and the chosen token.
    static func position(from entry: TokenLogprobs, tokenizer: Tokenizer) -> [String: Any] {
        var result: [String: Any] = [:]
        func describe(_ item: TokenLogprob, rank: Int) -> [String: Any] {
            ["logprob": Double(item.logprob), "rank": rank,
             "decoded_token": (try? tokenizer.decode([item.tokenID])) ?? ""]
        }
        for (index, item) in entry.top.enumerated() { result[String(item.tokenID)] = describe(item, rank: index + 1) }
        result[String(entry.chosen.tokenID)] = describe(entry.chosen, rank: entry.rank)
        return result
    }
}
