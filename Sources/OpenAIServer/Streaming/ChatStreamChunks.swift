import Engine
import SwiftletJSON

/// The server-sent events of one streamed chat completion, shaped as vLLM's: a role chunk per
/// choice, a chunk per new piece of text (the last one with the finish reason), and the usage
/// trailer when `stream_options.include_usage` asks for it.
struct ChatStreamChunks: Sendable {
    let id: String
    let created: Int
    let model: String
    let n: Int
    let includeUsage: Bool
    let logprobs: ChatLogprobsBuilder
    /// The prompt's token count when every chunk carries the usage so far (`continuous_usage_stats`).
    var continuousUsagePromptTokens: Int?
    /// Set when the request has tools or the server a reasoning parser: text becomes reasoning,
    /// content or tool-call pieces through it.
    var outputStreams: ChatChoiceStreams?

    init(id: String, created: Int, model: String, n: Int, includeUsage: Bool, tokenText: @escaping @Sendable (Int) -> String) {
        self.id = id
        self.created = created
        self.model = model
        self.n = n
        self.includeUsage = includeUsage
        logprobs = ChatLogprobsBuilder(tokenText: tokenText)
    }

    private func chunk(_ choices: [ChatCompletionStreamChoice]) -> ChatCompletionChunk {
        ChatCompletionChunk(id: id, created: created, model: model, choices: choices)
    }

    /// The first events: each choice's role.
    func roleChunks() -> [[UInt8]] {
        (0..<n).map { index in
            var first = chunk([ChatCompletionStreamChoice(index: index, delta: DeltaMessage(role: "assistant", content: ""),
                                                          logprobs: .null, finishReason: .null)])
            first.promptTokenIDs = .null
            first.promptText = .null
            first.usage = continuousUsagePromptTokens.map { UsageInfo(promptTokens: $0, completionTokens: 0) }
            return ResponseJSON.event(first)
        }
    }

    /// The events for one engine output: a chunk per completion with new text or a finish.
    func chunks(for output: RequestOutput) -> [[UInt8]] {
        var events: [[UInt8]] = []
        for completion in output.outputs where !completion.deltaText.isEmpty || completion.isFinished {
            var delta = DeltaMessage(content: completion.deltaText.isEmpty && completion.isFinished ? nil : completion.deltaText)
            var finishReason = completion.finishReason?.apiName
            if let outputStreams {
                let parts = outputStreams.delta(choice: completion.index, text: completion.deltaText, finished: completion.isFinished)
                // Text a parser holds back (a tag or a call's opening being written) makes no chunk,
                // unless the chunk carries logprobs or the finish.
                if parts.isEmpty && !completion.isFinished && completion.logprobs == nil { continue }
                delta = DeltaMessage(content: parts.content, reasoning: parts.reasoning,
                                     toolCalls: parts.toolCalls.isEmpty ? nil : parts.toolCalls)
                if completion.isFinished { finishReason = outputStreams.finishReason(choice: completion.index, engineReason: finishReason) }
            }
            var choice = ChatCompletionStreamChoice(
                index: completion.index, delta: delta,
                logprobs: logprobs.make(completion, fromToken: completion.tokenIDs.count - completion.deltaTokenIDs.count),
                finishReason: Nullable(finishReason), tokenIDs: .null)
            if completion.isFinished {
                choice.stopReason = Nullable(StopReasonValue(completion.stopReason))
                choice.weightVersions = .null
            }
            var event = chunk([choice])
            event.kvTransferParams = .null
            // One choice's tokens so far (vLLM counts per choice).
            event.usage = continuousUsagePromptTokens.map { UsageInfo(promptTokens: $0, completionTokens: completion.tokenIDs.count) }
            events.append(ResponseJSON.event(event))
        }
        return events
    }

    /// The usage chunk (no choices), when asked for.
    func trailer(_ finals: [RequestOutput]) -> [[UInt8]] {
        guard includeUsage else { return [] }
        var last = chunk([])
        last.usage = UsageInfo(outputs: finals, writesNullDetails: false)
        return [ResponseJSON.event(last)]
    }
}

/// The chat API's logprobs object (`content`: one entry per token with its top alternatives).
struct ChatLogprobsBuilder: Sendable {
    let tokenText: @Sendable (Int) -> String

    /// From output token `start` on; null when the request did not ask for logprobs.
    func make(_ completion: CompletionOutput, fromToken start: Int) -> Nullable<ChatCompletionLogProbs> {
        guard let logprobs = completion.logprobs else { return .null }
        guard start < logprobs.count else { return .some(ChatCompletionLogProbs(content: [])) }
        let content = logprobs[max(start, 0)...].map { item in
            let text = tokenText(item.chosen.tokenID)
            return ChatCompletionLogProbsContent(
                token: text, logprob: Double(responseLogprob: item.chosen.logprob), bytes: text.utf8.map { Int($0) },
                topLogprobs: item.top.map { candidate in
                    let candidateText = tokenText(candidate.tokenID)
                    return ChatCompletionLogProb(token: candidateText, logprob: Double(responseLogprob: candidate.logprob),
                                                 bytes: candidateText.utf8.map { Int($0) })
                })
        }
        return .some(ChatCompletionLogProbs(content: content))
    }
}
