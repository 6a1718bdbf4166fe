import Engine
import Foundation

/// The server-sent events of one streamed chat completion: the role chunk, a chunk per new piece
/// of text (or finish), and the usage trailer.
struct ChatStreamChunks: Sendable {
    let base: JSONObjectBox
    let n: Int
    let includeUsage: Bool
    let logprobs: ChatLogprobsBuilder

    init(id: String, created: Int, model: String, n: Int, includeUsage: Bool, tokenText: @escaping @Sendable (Int) -> String) {
        base = JSONObjectBox(value: ["id": id, "created": created, "model": model, "system_fingerprint": NSNull(),
                                     "object": "chat.completion.chunk"])
        self.n = n
        self.includeUsage = includeUsage
        logprobs = ChatLogprobsBuilder(tokenText: tokenText)
    }

    /// The first event: every choice's role.
    func roleChunk() -> Data {
        var first = base.value
        first["choices"] = (0..<n).map { index -> [String: Any] in
            ["index": index, "delta": ["role": "assistant", "content": ""], "logprobs": NSNull(), "finish_reason": NSNull()]
        }
        return JSONBody.event(first)
    }

    /// The events for one engine output: a chunk per completion with new text or a finish.
    func chunks(for output: RequestOutput) -> [Data] {
        var chunks: [Data] = []
        for completion in output.outputs where !completion.deltaText.isEmpty || completion.isFinished {
            var chunk = base.value
            var delta: [String: Any] = [:]
            if !completion.deltaText.isEmpty || !completion.isFinished { delta["content"] = completion.deltaText }
            chunk["choices"] = [[
                "index": completion.index, "delta": delta,
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

/// The chat API's logprobs object (`content`: one entry per token).
struct ChatLogprobsBuilder: Sendable {
    let tokenText: @Sendable (Int) -> String

    /// From output token `start` on.
    func json(_ completion: CompletionOutput, fromToken start: Int) -> Any {
        guard let logprobs = completion.logprobs, start < logprobs.count else {
            return completion.logprobs == nil ? NSNull() : ["content": [Any]()] as [String: Any]
        }
        func entry(_ id: Int, _ logprob: Float) -> [String: Any] {
            let text = tokenText(id)
            return ["token": text, "logprob": Double(logprob), "bytes": Array(text.utf8).map { Int($0) }]
        }
        let content = logprobs[max(start, 0)...].map { item -> [String: Any] in
            var chosen = entry(item.chosen.tokenID, item.chosen.logprob)
            chosen["top_logprobs"] = item.top.map { entry($0.tokenID, $0.logprob) }
            return chosen
        }
        return ["content": content] as [String: Any]
    }
}
