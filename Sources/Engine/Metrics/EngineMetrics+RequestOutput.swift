extension EngineMetrics {
    /// Records one streamed output of a request (after `requestArrived`): its new tokens (the
    /// `deltaTokenIDs` of all completions) as one `tokensGenerated` step, and, once every completion
    /// has finished, `requestFinished` with the first completion's finish reason, the prompt length
    /// and the tokens of all completions. This is all a frontend sees; the queue time needs
    /// `requestScheduled` from the engine side.
    public func record(_ output: RequestOutput, at time: Double) {
        var numNewTokens = 0
        for completion in output.outputs { numNewTokens += completion.deltaTokenIDs.count }
        if numNewTokens > 0 { tokensGenerated(id: output.requestID, count: numNewTokens, at: time) }
        guard output.finished, let first = output.outputs.first else { return }
        var numGenerated = 0
        for completion in output.outputs { numGenerated += completion.tokenIDs.count }
        requestFinished(id: output.requestID, reason: first.finishReason ?? .abort,
                        promptTokens: output.promptTokenIDs.count, generationTokens: numGenerated, at: time)
    }
}
