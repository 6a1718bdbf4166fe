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
    /// its last accepted run, so a request whose drafts keep failing drafts one token per step);
    /// the next `schedule()` verifies them.
    func proposeDrafts(_ proposer: any DraftProposer) {
        let enabled = config.speculativeConfig?.disableByBatchSize.map { running.count < $0 } ?? true
        for request in running {
            request.specTokenIDs = []
            guard enabled, request.params.allowsDraftTokens, request.numTokens - request.numComputedTokens == 1 else { continue }
            let limit = min(config.maxModelLen - 1 - request.numTokens, request.params.maxTokens - request.numOutputTokens - 1,
                            request.draftLength ?? proposer.k)
            request.specTokenIDs = proposer.propose(request.allTokenIDs, limit: limit)
        }
    }
}
