import KVCache

extension Scheduler {
    /// Decides the next step (vLLM v1 `Scheduler.schedule`). There are no prefill or decode
    /// phases: every request has computed some of its tokens and is given up to the rest of them
    /// under one token budget. Running requests go first (a decode is one token, an unfinished
    /// prompt gets what the budget allows); when the pool is out of blocks, running requests are
    /// preempted until the allocation fits (possibly the request itself). Waiting requests are
    /// admitted next, in queue order, after a prefix-cache lookup, while the budget, `maxNumSeqs`
    /// and the pool allow — but not in a step that had to preempt. Advances each scheduled
    /// request's `numComputedTokens` by its chunk (the runner then writes that KV).
    ///
    /// `tokenBudget` (a step-time budget, `StepTimeBudget`) lowers the step's budget below
    /// `maxNumBatchedTokens`. Decodes still go first: a request is admitted only with budget left
    /// after every running one, so a prompt still being prefilled is the last running request.
    public func schedule(tokenBudget: Int? = nil) -> SchedulerOutput {
        var output = SchedulerOutput()
        output.finishedRequestIDs = finishedRequestIDs
        finishedRequestIDs.removeAll()
        var budget = min(tokenBudget ?? config.maxNumBatchedTokens, config.maxNumBatchedTokens)
        if let connector = kvConnector {
            for id in connector.releasable(now: EngineMetrics.monotonicSeconds()) { kvCacheManager.free(requestID: id) }
        }

        var index = 0
        while index < running.count && budget > 0 {
            let request = running[index]
            // a decode with drafts verifies them in the same chunk, as many as the budget allows
            let numOwn = request.numTokens - request.numComputedTokens
            let numNew = min(numOwn + request.specTokenIDs.count, budget,
                             config.maxModelLen - 1 - request.numComputedTokens)
            guard numNew > 0 else {
                index += 1
                continue
            }
            var preemptedItself = false
            while !allocateSlots(request, numNewTokens: numNew, numComputedTokens: request.numComputedTokens) {
                let victimIndex = victimIndex()
                let victim = running.remove(at: victimIndex)
                // A victim scheduled earlier in this step gives its chunk and budget back.
                if let chunk = output.chunks.firstIndex(where: { $0.request === victim }) {
                    budget += output.chunks[chunk].numTokens
                    output.chunks.remove(at: chunk)
                }
                preempt(victim)
                output.preemptedRequestIDs.append(victim.requestID)
                if victimIndex < index { index -= 1 }
                if victim === request {
                    preemptedItself = true
                    break
                }
            }
            if preemptedItself { continue }
            let drafts = Array(request.specTokenIDs.prefix(max(0, numNew - numOwn)))
            output.chunks.append(makeChunk(request, startPosition: request.numComputedTokens, numTokens: numNew, drafts: drafts))
            budget -= numNew
            index += 1
        }

        if output.preemptedRequestIDs.isEmpty {
            admitWaiting(into: &output, budget: &budget)
        }
        for chunk in output.chunks {
            chunk.request.numComputedTokens = chunk.startPosition + chunk.numTokens
        }
        return output
    }

    /// Moves waiting requests to running while they fit.
    private func admitWaiting(into output: inout SchedulerOutput, budget: inout Int) {
        while let request = waiting.first, budget > 0, running.count < config.maxNumSeqs {
            // Prompt logprobs need every prompt position computed, so such requests skip the cache.
            var cached = CachedPrefix()
            // KV to load instead of computing: pulled from a prefill instance (it covers the prompt
            // but its last token, whose logits the first output token needs, as vLLM's connectors
            // do), else the disk tier's blocks after the memory cache's hits.
            var numLoaded = request.externalKV.map { min($0.numTokens, request.numPromptTokens - 1) } ?? 0
            var loaded: [UInt8] = []
            if numLoaded > 0, let external = request.externalKV {
                let numBlocks = (numLoaded + config.blockSize - 1) / config.blockSize
                loaded = Array(external.bytes.prefix(numBlocks * (kvConnector?.bytesPerBlock ?? 0)))
            } else if config.enablePrefixCaching && !request.needsPromptLogprobs {
                cached = cachedPrefix(request)
                loaded = diskBlocks(request, after: cached) ?? []
                numLoaded = loaded.count / (diskTier?.bytesPerBlock ?? 1) * config.blockSize
            }
            let numNew = min(request.numTokens - cached.numComputedTokens - numLoaded, budget)
            guard allocateSlots(request, numNewTokens: numLoaded + numNew, numComputedTokens: cached.numComputedTokens,
                                hits: cached) else { break }
            if numLoaded > 0 {
                let firstBlock = cached.numComputedTokens / config.blockSize
                let numBlocks = (numLoaded + config.blockSize - 1) / config.blockSize
                let table = kvCacheManager.blockIDs(requestID: request.requestID)
                output.kvLoads.append(KVLoad(blockIDs: Array(table[firstBlock..<(firstBlock + numBlocks)]), bytes: loaded))
                request.externalKV = nil
                cached.numComputedTokens += numLoaded
            }
            admit(request, cached: cached, numExternal: numLoaded, numNew: numNew, into: &output, budget: &budget)
        }
    }

    /// Moves the first waiting request to running with its first chunk of `numNew` tokens after
    /// `cached.numComputedTokens` (its blocks already allocated).
    /// `numExternal` of `cached.numComputedTokens` were loaded (a prefill instance, the disk tier).
    private func admit(_ request: Request, cached: CachedPrefix, numExternal: Int, numNew: Int,
                       into output: inout SchedulerOutput, budget: inout Int) {
        waiting.removeFirst()
        if request.status == .preempted {
            output.resumedRequestIDs.append(request.requestID)
        } else {
            output.newRequestIDs.append(request.requestID)
        }
        if request.numCachedTokens == nil {
            promptTokenSources.externalKVTransfer += numExternal
            promptTokenSources.localCacheHit += cached.numComputedTokens - numExternal
            promptTokenSources.localCompute += request.numPromptTokens - cached.numComputedTokens
            request.numCachedTokens = cached.numComputedTokens
            request.firstScheduledTime = EngineMetrics.monotonicSeconds()  // bookkeeping for the queue time
        }
        request.status = .running
        request.numComputedTokens = cached.numComputedTokens
        running.append(request)
        output.chunks.append(makeChunk(request, startPosition: cached.numComputedTokens, numTokens: numNew))
        budget -= numNew
    }

    /// The disk tier's blocks continuing `cached` (whole blocks, before the prompt's last token).
    private func diskBlocks(_ request: Request, after cached: CachedPrefix) -> [UInt8]? {
        guard let diskTier, config.enablePrefixCaching, !request.needsPromptLogprobs,
              cached.numComputedTokens % config.blockSize == 0 else { return nil }
        let firstBlock = cached.numComputedTokens / config.blockSize
        let maxBlocks = (request.numPromptTokens - 1) / config.blockSize - firstBlock
        return maxBlocks > 0 ? diskTier.load(request, firstBlock: firstBlock, maxBlocks: maxBlocks) : nil
    }

    private func makeChunk(_ request: Request, startPosition: Int, numTokens: Int, drafts: [Int] = []) -> ScheduledChunk {
        var chunk = ScheduledChunk(request: request, startPosition: startPosition, numTokens: numTokens,
                                   blockIDs: kvCacheManager.blockIDs(requestID: request.requestID),
                                   samples: startPosition + numTokens - drafts.count == request.numTokens,
                                   wantsPromptLogprobs: request.needsPromptLogprobs && startPosition < request.numPromptTokens)
        chunk.slidingBlockIDs = slidingKVCacheManager?.blockIDs(requestID: request.requestID) ?? []
        chunk.draftTokenIDs = drafts
        return chunk
    }
}
