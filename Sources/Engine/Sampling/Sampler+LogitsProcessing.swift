extension Sampler {
    /// True when a logits processor changes this row.
    func needsProcessing(_ params: SamplingParams, _ history: SamplingHistory) -> Bool {
        params.allowedTokenIDs != nil || !params.badWordsTokenIDs.isEmpty || !params.logitBias.isEmpty
            || history.allowedTokenBitmask != nil
            || (history.outputTokenIDs.count < params.minTokens)
            || (params.hasPenalties && history.tokenCounts != nil)
    }

    /// Applies the processors to `work` (a copy of the raw row) in vLLM's order: allowed token
    /// ids, bad words, min_tokens, logit bias, then repetition, frequency and presence penalties.
    func applyProcessors(params: SamplingParams, history: SamplingHistory) {
        let work = self.work
        let vocabSize = self.vocabSize
        @inline(__always) func mask(_ id: Int) {
            if id >= 0 && id < vocabSize { work[id] = -.infinity }
        }
        if let allowed = params.allowedTokenIDs {
            // Keep the allowed values aside, mask everything, put them back.
            var numKept = 0
            for id in allowed where id >= 0 && id < vocabSize && numKept < vocabSize {
                probs[numKept] = Double(work[id])
                numKept += 1
            }
            work.update(repeating: -.infinity)
            numKept = 0
            for id in allowed where id >= 0 && id < vocabSize && numKept < vocabSize {
                work[id] = Float(probs[numKept])
                numKept += 1
            }
        }
        let output = history.outputTokenIDs
        for sequence in params.badWordsTokenIDs {
            guard let last = sequence.last else { continue }
            let prefixLength = sequence.count - 1
            guard prefixLength <= output.count else { continue }
            var matches = true
            for i in 0..<prefixLength where output[output.count - prefixLength + i] != sequence[i] {
                matches = false
                break
            }
            if matches { mask(last) }
        }
        if output.count < params.minTokens {
            for id in params.stopTokenIDs { mask(id) }
            if !params.ignoreEOS {
                for id in history.eosTokenIDs { mask(id) }
            }
        }
        for (id, bias) in params.logitBias where id >= 0 && id < vocabSize {
            let clamped = min(max(bias, -SamplingParams.maxLogitBias), SamplingParams.maxLogitBias)
            work[id] += Float(clamped)
        }
        if params.hasPenalties, let counts = history.tokenCounts {
            applyPenalties(params: params, counts: counts)
        }
        if let bitmask = history.allowedTokenBitmask { applyBitmask(bitmask) }
    }

    /// Masks every token the structured-output constraint does not allow (after the processors,
    /// before sampling, as vLLM applies its grammar bitmask).
    func applyBitmask(_ bitmask: [UInt32]) {
        let work = self.work
        for id in 0..<vocabSize {
            let word = id >> 5
            if word >= bitmask.count || bitmask[word] & (1 << UInt32(id & 31)) == 0 { work[id] = -.infinity }
        }
    }

    /// Repetition penalty on every token of the prompt or output (a positive logit is divided by
    /// it, a negative one multiplied), then `frequency * count + presence` off each output token.
    func applyPenalties(params: SamplingParams, counts: TokenCounts) {
        let work = self.work
        let vocabSize = self.vocabSize
        if params.repetitionPenalty != 1 {
            let penalty = Float(params.repetitionPenalty)
            @inline(__always) func penalize(_ id: Int) {
                guard id >= 0 && id < vocabSize else { return }
                let value = work[id]
                work[id] = value > 0 ? value / penalty : value * penalty
            }
            for id in counts.promptIDs { penalize(id) }
            for id in counts.outputCounts.keys where !counts.promptIDs.contains(id) { penalize(id) }
        }
        if params.frequencyPenalty != 0 || params.presencePenalty != 0 {
            let frequency = Float(params.frequencyPenalty)
            let presence = Float(params.presencePenalty)
            for (id, count) in counts.outputCounts where id >= 0 && id < vocabSize && count > 0 {
                work[id] -= frequency * Float(count) + presence
            }
        }
    }
}
