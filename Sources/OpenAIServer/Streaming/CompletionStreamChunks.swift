import Engine
import Foundation

/// The server-sent events of one streamed `/v1/completions` request (one or more prompts).
struct CompletionStreamChunks: Sendable {
    let base: JSONObjectBox
    let n: Int
    let includeUsage: Bool
    /// The prompts' text per prompt index, when echoed.
    let echoTexts: [String]
    let logprobs: CompletionLogprobsBuilder

    init(id: String, created: Int, model: String, n: Int, includeUsage: Bool, echoTexts: [String],
         tokenText: @escaping @Sendable (Int) -> String) {
        base = JSONObjectBox(value: ["id": id, "object": "text_completion", "created": created, "model": model,
                                     "system_fingerprint": NSNull()])
        self.n = n
        self.includeUsage = includeUsage
        self.echoTexts = echoTexts
        logprobs = CompletionLogprobsBuilder(tokenText: tokenText)
    }

    /// The events for one engine output of prompt `promptIndex`.
    func chunks(promptIndex: Int, output: RequestOutput) -> [Data] {
        let echo = !echoTexts.isEmpty
        var chunks: [Data] = []
        for completion in output.outputs where !completion.deltaText.isEmpty || completion.isFinished || (echo && completion.tokenIDs.count == completion.deltaTokenIDs.count) {
            var text = completion.deltaText
            if echo && completion.tokenIDs.count == completion.deltaTokenIDs.count { text = echoTexts[promptIndex] + text }
            var chunk = base.value
            chunk["choices"] = [[
                "index": promptIndex * n + completion.index, "text": text,
                "logprobs": logprobs.json(completion, fromToken: completion.tokenIDs.count - completion.deltaTokenIDs.count),
                "finish_reason": JSONBody.optional(completion.finishReason?.apiName),
                "stop_reason": completion.stopReasonJSON,
            ] as [String: Any]]
            chunks.append(JSONBody.event(chunk))
        }
        return chunks
    }

    func trailer(_ finals: [RequestOutput]) -> [Data] {
        Usage.trailer(base: base.value, finals: finals, includeUsage: includeUsage)
    }
}

/// The completions API's logprobs object.
struct CompletionLogprobsBuilder: Sendable {
    let tokenText: @Sendable (Int) -> String

    /// For output tokens from `start` on (text offsets count from the first output token).
    func json(_ completion: CompletionOutput, fromToken start: Int) -> Any {
        guard let logprobs = completion.logprobs else { return NSNull() }
        var tokens: [String] = []
        var tokenLogprobs: [Double] = []
        var top: [[String: Double]] = []
        var offsets: [Int] = []
        var offset = 0
        for (position, entry) in logprobs.enumerated() {
            let text = tokenText(entry.chosen.tokenID)
            if position >= start {
                tokens.append(text)
                tokenLogprobs.append(Double(entry.chosen.logprob))
                var dictionary: [String: Double] = [:]
                for candidate in entry.top { dictionary[tokenText(candidate.tokenID)] = Double(candidate.logprob) }
                top.append(dictionary)
                offsets.append(offset)
            }
            offset += text.count
        }
        return ["tokens": tokens, "token_logprobs": tokenLogprobs, "top_logprobs": top, "text_offset": offsets] as [String: Any]
    }
}
