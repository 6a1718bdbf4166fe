extension Sampler {
    /// Top-k without sorting the vocabulary: a k-entry heap keeps the best tokens in one pass
    /// (ties: lower id first), then only those k are sorted; min_p and top-p apply within them.
    func selectTopK(_ logits: UnsafeBufferPointer<Float>, maxLogit: Float, k: Int, params: SamplingParams) -> Selection {
        let order = self.order
        @inline(__always) func better(_ a: Int32, _ b: Int32) -> Bool {
            let la = logits[Int(a)], lb = logits[Int(b)]
            return la > lb || (la == lb && a < b)
        }
        // Min-heap on `better`: the root is the worst of the k kept so far.
        @inline(__always) func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1
                guard left < k else { return }
                var worse = left
                if left + 1 < k, better(order[left], order[left + 1]) { worse = left + 1 }
                guard better(order[parent], order[worse]) else { return }
                order.swapAt(parent, worse)
                parent = worse
            }
        }
        for i in 0..<k { order[i] = Int32(i) }
        for i in stride(from: k / 2 - 1, through: 0, by: -1) { siftDown(i) }
        for id in k..<vocabSize where better(Int32(id), order[0]) {
            order[0] = Int32(id)
            siftDown(0)
        }
        order[0..<k].sort(by: better)

        let inverseT = 1 / params.temperature
        var count = 0
        var total = 0.0
        for i in 0..<k {
            let id = Int(order[i])
            let e = Foundation_exp((Double(logits[id]) - Double(maxLogit)) * inverseT)
            // Sorted best first, so min_p (and -inf) cut a suffix.
            guard e > 0, e >= params.minP else { break }
            probs[id] = e
            total += e
            count = i + 1
        }
        return nucleus(count: count, total: total, topP: params.topP)
    }

    /// Top-p without sorting the vocabulary: only tokens above a probability floor are sorted,
    /// and the floor is lowered (to 0 at worst) until the sorted ones hold the nucleus; exact.
    func selectTopP(_ logits: UnsafeBufferPointer<Float>, maxLogit: Float, params: SamplingParams) -> Selection {
        let order = self.order
        let total = fillProbabilities(logits, maxLogit: maxLogit, params: params)
        let goal = params.topP * total
        var floor = 1e-4
        while true {
            let threshold = max(floor, params.minP)
            var count = 0
            for id in 0..<vocabSize where exps[id] > 0 && Double(exps[id]) >= threshold {
                order[count] = Int32(id)
                probs[id] = Double(exps[id])
                count += 1
            }
            order[0..<count].sort { a, b in
                let la = logits[Int(a)], lb = logits[Int(b)]
                return la > lb || (la == lb && a < b)
            }
            var cumulative = 0.0
            for i in 0..<count {
                cumulative += probs[Int(order[i])]
                if cumulative >= goal { return .sparse(count: i + 1, total: cumulative) }
            }
            if floor == 0 { return .sparse(count: max(1, count), total: cumulative) }
            floor = floor > 1e-6 ? 1e-8 : 0
        }
    }

    /// The smallest prefix of `order[0..<count]` whose mass reaches `topP` of `total` (vLLM keeps
    /// a token while the mass before it is below top_p); at least one token.
    func nucleus(count: Int, total: Double, topP: Double) -> Selection {
        guard topP < 1 else { return .sparse(count: count, total: total) }
        var cumulative = 0.0
        for i in 0..<count {
            cumulative += probs[Int(order[i])]
            if cumulative >= topP * total { return .sparse(count: i + 1, total: cumulative) }
        }
        return .sparse(count: count, total: total)
    }
}
