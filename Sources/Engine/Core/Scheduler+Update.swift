extension Scheduler {
    /// Applies a step's results (vLLM `update_from_output`): stores prompt logprobs, appends the
    /// sampled tokens, checks stops, publishes newly full blocks to the prefix cache and frees
    /// finished requests. Returns one output per request that sampled.
    public func update(_ scheduled: SchedulerOutput, _ result: ModelRunnerOutput) -> [EngineCoreOutput] {
        var outputs: [EngineCoreOutput] = []
        var finished: [Request] = []
        for (index, chunk) in scheduled.chunks.enumerated() {
            let request = chunk.request
            guard request.status == .running else { continue }
            if let entries = index < result.promptLogprobs.count ? result.promptLogprobs[index] : nil {
                for (offset, entry) in entries.enumerated() {
                    let position = chunk.startPosition + 1 + offset
                    if position < request.promptLogprobs.count { request.promptLogprobs[position] = entry }
                }
            }
            let sampled = index < result.sampledTokenIDs.count ? result.sampledTokenIDs[index] : nil
            if chunk.samples, let token = sampled {
                request.appendOutputToken(token)
                numGenerationTokens += 1
                if request.numOutputTokens == 1 { numPromptTokens += request.numPromptTokens }
                var output = EngineCoreOutput(requestID: request.requestID, newTokenIDs: [token],
                                              numPromptTokens: request.numPromptTokens,
                                              numCachedTokens: request.numCachedTokens ?? 0)
                if request.numOutputTokens == 1 { output.firstScheduledTime = request.firstScheduledTime }
                if request.params.logprobs != nil, let logprobs = index < result.logprobs.count ? result.logprobs[index] : nil {
                    output.newLogprobs = [logprobs]
                }
                if request.needsPromptLogprobs {
                    output.promptLogprobs = request.promptLogprobs
                    request.promptLogprobs = []
                    request.sentPromptLogprobs = true
                }
                // The structured-output matcher takes the token (after the reasoning, when the request
                // reasons); one it refuses (only when every token was masked and the sampler fell back
                // to the raw argmax) ends the request.
                let refused = !request.advanceGrammar(token)
                if refused {
                    output.finishReason = .abort
                    finished.append(request)
                    request.status = .finishedAborted
                } else if let status = stopStatus(request, lastToken: token) {
                    if status == .finishedStopped { request.stopReason = token }
                    output.finishReason = status.finishReason
                    output.stopReason = request.stopReason
                    finished.append(request)
                    request.status = status
                }
                outputs.append(output)
            }
            // Publish before a finished request frees its blocks: they stay cached for later prompts.
            if config.enablePrefixCaching {
                request.updateBlockHashes(manager: kvCacheManager)
                kvCacheManager.cacheBlocks(requestID: request.requestID, blockHashes: request.blockHashes,
                                           numComputedTokens: request.numComputedTokens)
                slidingKVCacheManager?.cacheBlocks(requestID: request.requestID, blockHashes: request.blockHashes,
                                                   numComputedTokens: request.numComputedTokens)
            }
        }
        if !finished.isEmpty {
            running.removeAll { $0.isFinished }
            for request in finished { finish(request, as: request.status) }
        }
        return outputs
    }

    /// The finished state after `lastToken`, or nil to go on. A stop token wins over the length
    /// limit when both apply (vLLM checks the stop token first too).
    func stopStatus(_ request: Request, lastToken: Int) -> RequestStatus? {
        let params = request.params
        if !params.ignoreEOS && request.eosTokenIDs.contains(lastToken) || params.stopTokenIDs.contains(lastToken) {
            return .finishedStopped
        }
        // A structured output ends where its grammar took the end-of-sequence token, ignore_eos or not.
        if request.grammar?.isTerminated == true { return .finishedStopped }
        if request.numOutputTokens >= params.maxTokens || request.numTokens >= config.maxModelLen {
            return .finishedLengthCapped
        }
        return nil
    }
}
