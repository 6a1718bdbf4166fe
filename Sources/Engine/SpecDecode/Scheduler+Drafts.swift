extension SamplingParams {
    /// Whether drafts can be verified for a request with these params: its logits processors do
    /// not depend on the tokens before (no penalties, min_tokens or bad words) except a grammar,
    /// which the runner advances through the accepted drafts (not while the request reasons: the
    /// grammar starts where the reasoning ends). Greedy requests then give exactly the tokens of
    /// one step per token, sampled ones the same distribution (rejection sampling,
    /// `Sampler.verifyDraft`). Other requests decode one token per step.
    public var allowsDraftTokens: Bool {
        !hasPenalties && minTokens == 0 && badWords.isEmpty && badWordsTokenIDs.isEmpty
            && (structuredOutputs == nil || reasoningDelimiters == nil)
    }
}

extension Scheduler {
    /// After a step's update: drafts for every running request whose next step is a decode (none
    /// while `disable_by_batch_size` or more requests run), bounded by what max-model-len and the
    /// request's max_tokens leave and by its adaptive draft length (`Request.draftLength`: one past
    /// its last accepted run, times the proposer's `draftLengthFactor`, so a request whose drafts
    /// keep failing drafts one or two tokens per step, and pauses after verifications in a
    /// row that accepted nothing, `Request.draftPauseSteps`); a draft model gets blocks through its last
    /// draft first. The proposer hears of finished requests first. The next `schedule()` verifies.
    func proposeDrafts(_ proposer: any DraftProposer) throws {
        proposer.requestsFinished(finishedForProposer)
        finishedForProposer = []
        let enabled = config.speculativeConfig?.batchSizeLimit.map { running.count < $0 } ?? true
        var candidates: [DraftCandidate] = []
        for request in running {
            request.specTokenIDs = []
            guard enabled, request.params.allowsDraftTokens, request.numTokens - request.numComputedTokens == 1 else { continue }
            if request.draftPauseSteps > 0 {
                request.draftPauseSteps -= 1
                continue
            }
            var limit = min(config.maxModelLen - 1 - request.numTokens, request.params.maxTokens - request.numOutputTokens - 1,
                            request.draftLength.map { $0 * proposer.draftLengthFactor } ?? proposer.k, proposer.k)
            guard limit > 0 else { continue }
            let id = request.requestID
            if proposer.writesDraftKV {
                // blocks through the last draft's position (numTokens - 2 + limit), or as many as are free
                var wanted = limit
                while wanted > 0 && kvCacheManager.allocateSlots(requestID: id, numNewTokens: wanted, numComputedTokens: request.numComputedTokens,
                                                                 newComputedBlocks: []) == nil { wanted -= 1 }
            }
            let blockIDs = kvCacheManager.blockIDs(requestID: id)
            if proposer.writesDraftKV { limit = min(limit, blockIDs.count * config.blockSize - request.numTokens + 1) }
            guard limit > 0 else { continue }
            candidates.append(DraftCandidate(request: request, blockIDs: blockIDs, limit: limit))
        }
        guard !candidates.isEmpty else { return }
        for (candidate, drafts) in zip(candidates, try proposer.propose(candidates)) {
            candidate.request.specTokenIDs = Array(drafts.prefix(candidate.limit))
        }
    }
}
