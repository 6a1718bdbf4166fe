extension Sampler {
    /// vLLM's rejection sampling for one draft token proposed with certainty (an n-gram draft's
    /// distribution is one-hot): the draft is accepted with its probability p(draft) under the
    /// distribution `sample` draws from; otherwise the token is drawn from that distribution with
    /// the draft taken out (max(p - q, 0) renormalized). Either way the token is distributed as
    /// `sample`'s. Greedy: accepted exactly when the draft is the argmax, else the argmax, and no
    /// random number is drawn. Otherwise one uniform for the test and one for a rejection's draw.
    public func verifyDraft(_ draft: Int, logits: UnsafeBufferPointer<Float>, params: SamplingParams,
                            history: SamplingHistory, generator: inout RandomGenerator) -> (accepted: Bool, token: Int) {
        let inVocab = draft >= 0 && draft < vocabSize
        switch select(logits: logits, params: params, history: history) {
        case .token(let id):
            return (id == draft, id)
        case .dense(let total):
            let p = inVocab ? Double(exps[draft]) : 0
            if generator.nextUnit() * total < p { return (true, draft) }
            let rest = total - p
            guard rest > 0 else { return (true, draft) }  // the draft holds every bit of the mass
            if inVocab { exps[draft] = 0 }
            return (false, drawDense(target: generator.nextUnit() * rest))
        case .sparse(let count, let total):
            var p = 0.0
            for i in 0..<count where Int(order[i]) == draft { p = probs[draft] }
            if generator.nextUnit() * total < p { return (true, draft) }
            let rest = total - p
            guard rest > 0 else { return (true, draft) }
            var target = generator.nextUnit() * rest
            var last = draft
            for i in 0..<count where Int(order[i]) != draft {
                last = Int(order[i])
                target -= probs[last]
                if target < 0 { return (false, last) }
            }
            return (false, last)  // rounding left the draw past the end
        }
    }
}
