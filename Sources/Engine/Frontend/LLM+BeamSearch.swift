extension LLM {
    /// Beam search over token-id prompts, as vLLM's `LLM.beam_search`: every step runs each live
    /// beam as a one-token engine request asking for 2 × beamWidth logprobs (the prefix cache
    /// shares the beams' common blocks), extends each beam by every candidate token, and keeps
    /// the beamWidth best by `BeamSearchSequence.score`. A beam that reaches end-of-sequence
    /// (unless `ignoreEOS`) or max-model-len is set aside as complete. Returns per prompt the
    /// beamWidth best of the complete and live beams, best first.
    public func beamSearch(prompts: [[Int]], params: BeamSearchParams) throws -> [BeamSearchOutput] {
        let (core, tokenizer) = (try core, try tokenizer)
        try params.validate(maxLogprobs: core.config.maxLogprobs)
        let eos = core.eosTokenIDs
        let stepParams = SamplingParams(temperature: params.temperature, maxTokens: 1, ignoreEOS: true,
                                        logprobs: 2 * params.beamWidth)
        func better(_ a: (offset: Int, element: BeamSearchSequence), _ b: (offset: Int, element: BeamSearchSequence)) -> Bool {
            let scoreA = a.element.score(lengthPenalty: params.lengthPenalty, eosTokenIDs: eos)
            let scoreB = b.element.score(lengthPenalty: params.lengthPenalty, eosTokenIDs: eos)
            return scoreA != scoreB ? scoreA > scoreB : a.offset < b.offset
        }
        func best(_ beams: [BeamSearchSequence]) -> [BeamSearchSequence] {
            Array(beams.enumerated().sorted(by: better).prefix(params.beamWidth).map(\.element))
        }

        var live = prompts.map { [BeamSearchSequence(tokens: $0, numPromptTokens: $0.count)] }
        var complete = [[BeamSearchSequence]](repeating: [], count: prompts.count)
        for _ in 0..<params.maxTokens {
            // Beams that cannot grow (max-model-len) are complete.
            for i in live.indices {
                complete[i] += live[i].filter { $0.tokens.count >= core.config.maxModelLen }
                live[i].removeAll { $0.tokens.count >= core.config.maxModelLen }
            }
            let candidates = try nextTokenLogprobs(live.flatMap { $0 }, params: stepParams)
            var offset = 0
            for i in live.indices {
                var extended: [BeamSearchSequence] = []
                for beam in live[i] {
                    defer { offset += 1 }
                    guard let logprobs = candidates[offset] else { continue }
                    var seen = Set<Int>()
                    for candidate in [logprobs.chosen] + logprobs.top where seen.insert(candidate.tokenID).inserted {
                        var next = beam
                        next.tokens.append(candidate.tokenID)
                        next.cumulativeLogprob += Double(candidate.logprob)
                        next.logprobs.append(logprobs)
                        if !params.ignoreEOS && eos.contains(candidate.tokenID) {
                            complete[i].append(next)
                        } else {
                            extended.append(next)
                        }
                    }
                }
                live[i] = best(extended)
            }
            if live.allSatisfy(\.isEmpty) { break }
        }
        return try zip(live, complete).map { beams, done in
            var sequences = best(done + beams)
            for k in sequences.indices { sequences[k].text = try tokenizer.decode(sequences[k].tokens) }
            return BeamSearchOutput(sequences: sequences)
        }
    }

    /// Runs each beam as a one-token request; returns the logprobs of its next position.
    private func nextTokenLogprobs(_ beams: [BeamSearchSequence], params: SamplingParams) throws -> [TokenLogprobs?] {
        let core = try core
        var ids: [String] = []
        var results: [String: TokenLogprobs] = [:]
        do {
            for beam in beams {
                let id = "beam-\(numRequests)"
                numRequests += 1
                try core.addRequest(requestID: id, promptTokenIDs: beam.tokens, params: params)
                ids.append(id)
            }
            while core.hasUnfinishedRequests {
                for output in try core.step() {
                    if let logprobs = output.newLogprobs?.first { results[output.requestID] = logprobs }
                }
            }
        } catch {
            core.abortRequests(ids)
            throw error
        }
        return ids.map { results[$0] }
    }
}
