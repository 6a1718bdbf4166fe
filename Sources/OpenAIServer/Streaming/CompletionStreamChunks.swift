import Engine
import SwiftletJSON

/// The server-sent events of one streamed `/v1/completions` request (one or more prompts),
/// shaped as vLLM's: every choice field set, `kv_transfer_params` null, and the usage trailer.
struct CompletionStreamChunks: Sendable {
    let id: String
    let created: Int
    let model: String
    let n: Int
    let includeUsage: Bool
    /// The prompts' text per prompt index, when echoed.
    let echoTexts: [String]
    let logprobs: CompletionLogprobsBuilder
    /// Every chunk carries its choice's usage so far (`continuous_usage_stats`).
    var continuousUsage = false

    init(id: String, created: Int, model: String, n: Int, includeUsage: Bool, echoTexts: [String],
         tokenText: @escaping @Sendable (Int) -> String) {
        self.id = id
        self.created = created
        self.model = model
        self.n = n
        self.includeUsage = includeUsage
        self.echoTexts = echoTexts
        logprobs = CompletionLogprobsBuilder(tokenText: tokenText)
    }

    /// The events for one engine output of prompt `promptIndex`.
    func chunks(promptIndex: Int, output: RequestOutput) -> [[UInt8]] {
        let echo = !echoTexts.isEmpty
        var events: [[UInt8]] = []
        for completion in output.outputs {
            // The first output of a completion carries every token so far: the echo goes there. A
            // sibling completion (n > 1) with no token yet has no delta and is not echoed.
            let echoesPrompt = echo && !completion.deltaTokenIDs.isEmpty
                && completion.tokenIDs.count == completion.deltaTokenIDs.count
            guard !completion.deltaText.isEmpty || completion.isFinished || echoesPrompt else { continue }
            let choice = CompletionStreamChoice(
                index: promptIndex * n + completion.index,
                text: echoesPrompt ? echoTexts[promptIndex] + completion.deltaText : completion.deltaText,
                logprobs: logprobs.make(completion, fromToken: completion.tokenIDs.count - completion.deltaTokenIDs.count),
                finishReason: Nullable(completion.finishReason?.apiName),
                stopReason: Nullable(StopReasonValue(completion.stopReason)),
                promptTokenIDs: echoesPrompt ? .some(output.promptTokenIDs) : .null)
            let usage = continuousUsage ? UsageInfo(promptTokens: output.promptTokenIDs.count, completionTokens: completion.tokenIDs.count,
                                                    writesNullDetails: false) : nil
            events.append(ResponseJSON.event(CompletionChunk(id: id, created: created, model: model, choices: [choice],
                                                             usage: usage, kvTransferParams: .null)))
        }
        return events
    }

    /// The usage chunk (no choices), when asked for.
    func trailer(_ finals: [RequestOutput]) -> [[UInt8]] {
        guard includeUsage else { return [] }
        return [ResponseJSON.event(CompletionChunk(id: id, created: created, model: model, choices: [],
                                                   usage: UsageInfo(outputs: finals, writesNullDetails: false)))]
    }
}

/// The completions API's logprobs object.
struct CompletionLogprobsBuilder: Sendable {
    let tokenText: @Sendable (Int) -> String

    /// For output tokens from `start` on (text offsets, in code points, count from the first output token); null
    /// when the request did not ask for logprobs.
    func make(_ completion: CompletionOutput, fromToken start: Int) -> Nullable<CompletionLogProbs> {
        guard let logprobs = completion.logprobs else { return .null }
        var result = CompletionLogProbs()
        var offset = 0
        for (position, entry) in logprobs.enumerated() {
            let text = tokenText(entry.chosen.tokenID)
            if position >= start {
                result.tokens.append(text)
                result.tokenLogprobs.append(.some(Double(responseLogprob: entry.chosen.logprob)))
                var top = TopLogprobsByText()
                for candidate in entry.top { top.set(tokenText(candidate.tokenID), Double(responseLogprob: candidate.logprob)) }
                result.topLogprobs.append(.some(top))
                result.textOffset.append(offset)
            }
            offset += text.unicodeScalars.count  // vLLM's offsets count code points
        }
        return .some(result)
    }
}
