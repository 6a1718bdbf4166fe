extension Scheduler {
    /// Applies a step's results (vLLM `update_from_output`): stores prompt logprobs, takes back the
    /// KV of rejected draft tokens, appends the accepted drafts and the sampled token (each checked
    /// for stops), publishes newly full blocks to the prefix cache and frees finished requests.
    /// Returns one output per request that sampled.
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
            let drafts = chunk.draftTokenIDs
            let numAccepted = drafts.isEmpty ? 0 : min(drafts.count, max(0, index < result.numAcceptedDrafts.count ? result.numAcceptedDrafts[index] : 0))
            if !drafts.isEmpty {
                // the KV written for rejected drafts is garbage: forget it, and the blocks only it used
                request.numComputedTokens -= drafts.count - numAccepted
                kvCacheManager.freeBlocks(requestID: request.requestID, after: request.numComputedTokens)
                slidingKVCacheManager?.freeBlocks(requestID: request.requestID, after: request.numComputedTokens)
                // a draft model's KV past the computed tokens may have been in those blocks
                request.draftKVTail = Array(request.draftKVTail.prefix(max(0, request.numComputedTokens - request.numDraftComputedTokens)))
                specDecodeStats.record(numDrafts: drafts.count, numAccepted: numAccepted)
                // next time one past the accepted run (one more after a fully accepted draft): low
                // acceptance costs one draft token per step, not k
                request.draftLength = numAccepted + 1
                request.numFailedVerifications = numAccepted == 0 ? request.numFailedVerifications + 1 : 0
                let failures = request.numFailedVerifications
                request.draftPauseSteps = failures >= 2 ? min(16, 1 << min(4, failures - 2)) : 0
            }
            if chunk.samples, let token = sampled {
                var output = EngineCoreOutput(requestID: request.requestID, newTokenIDs: [],
                                              numPromptTokens: request.numPromptTokens,
                                              numCachedTokens: request.numCachedTokens ?? 0)
                if request.numOutputTokens == 0 { output.firstScheduledTime = request.firstScheduledTime }
                let logprobs = request.params.logprobs == nil ? nil
                    : (index < result.draftLogprobs.count ? result.draftLogprobs[index] ?? [] : [])
                      + (index < result.logprobs.count ? result.logprobs[index].map { [$0] } ?? [] : [])
                for (offset, token) in (drafts.prefix(numAccepted) + [token]).enumerated() {
                    appendToken(token, to: request, output: &output, logprobs: logprobs.flatMap { offset < $0.count ? $0[offset] : nil })
                    if output.finishReason != nil { break }
                }
                if output.finishReason != nil { finished.append(request) }
                outputs.append(output)
            }
            // Publish before a finished request frees its blocks: they stay cached for later prompts.
            if config.enablePrefixCaching {
                request.updateBlockHashes(manager: kvCacheManager)
                let published = kvCacheManager.cacheBlocks(requestID: request.requestID, blockHashes: request.blockHashes,
                                                           numComputedTokens: request.numComputedTokens)
                kvEventRecorder?.stored(request, blockIndices: published)
                diskTier?.store(request, blockIndices: published, blockIDs: kvCacheManager.blockIDs(requestID: request.requestID))
                slidingKVCacheManager?.cacheBlocks(requestID: request.requestID, blockHashes: request.blockHashes,
                                                   numComputedTokens: request.numComputedTokens)
            }
        }
        if let connector = kvConnector {
            // Finished prefills for a decode instance: their blocks stay for the connector to serve.
            for request in finished where keepsBlocksForTransfer(request) {
                let numBlocks = (request.numComputedTokens + config.blockSize - 1) / config.blockSize
                let handle = KVTransferHandle(blockIDs: Array(kvCacheManager.blockIDs(requestID: request.requestID).prefix(numBlocks)),
                                              numTokens: request.numComputedTokens)
                connector.hold(requestID: request.requestID, handle: handle,
                               tokenIDs: Array(request.allTokenIDs.prefix(request.numComputedTokens)), now: EngineMetrics.monotonicSeconds())
                if let index = outputs.lastIndex(where: { $0.requestID == request.requestID }) { outputs[index].kvTransferHandle = handle }
            }
        }
        if !finished.isEmpty {
            running.removeAll { $0.isFinished }
            for request in finished { finish(request, as: request.status) }
        }
        return outputs
    }

    /// Appends one sampled (or accepted draft) token to `request` and its step output: counters,
    /// logprobs, the prompt logprobs with the first token out, the grammar, and the stop checks
    /// (which set `output.finishReason` and the request's finished status).
    private func appendToken(_ token: Int, to request: Request, output: inout EngineCoreOutput, logprobs: TokenLogprobs?) {
        request.appendOutputToken(token)
        output.newTokenIDs.append(token)
        numGenerationTokens += 1
        if request.numOutputTokens == 1 { numPromptTokens += request.numPromptTokens }
        if let logprobs { output.newLogprobs = (output.newLogprobs ?? []) + [logprobs] }
        if request.needsPromptLogprobs {
            output.promptLogprobs = request.promptLogprobs
            request.promptLogprobs = []
            request.sentPromptLogprobs = true
        }
        // The structured-output matcher takes the token (after the reasoning, when the request
        // reasons); one it refuses (only when every token was masked and the sampler fell back
        // to the raw argmax) ends the request.
        if !request.advanceGrammar(token) {
            output.finishReason = .abort
            request.status = .finishedAborted
        } else if let status = stopStatus(request, lastToken: token) {
            if status == .finishedStopped { request.stopReason = token }
            output.finishReason = status.finishReason
            output.stopReason = request.stopReason
            request.status = status
        }
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
