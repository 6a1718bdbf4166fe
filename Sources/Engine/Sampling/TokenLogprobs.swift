/// A token and its log-probability.
public struct TokenLogprob: Sendable, Equatable, Codable {
    public var tokenID: Int
    public var logprob: Float
    public init(tokenID: Int, logprob: Float) {
        self.tokenID = tokenID
        self.logprob = logprob
    }
}

/// The logprobs of one position, as vLLM returns them: the chosen (or actual prompt) token with
/// its rank among all tokens (1 = most likely), and the `k` most likely tokens, best first.
public struct TokenLogprobs: Sendable, Equatable {
    public var chosen: TokenLogprob
    public var rank: Int
    public var top: [TokenLogprob]

    public init(chosen: TokenLogprob, rank: Int, top: [TokenLogprob]) {
        self.chosen = chosen
        self.rank = rank
        self.top = top
    }

    /// Log-softmax of one logits row, read for `chosen` and the top `k`. Ties rank by lower id.
    /// These are the raw model logprobs (before temperature, top-k and top-p), vLLM's default.
    public init(logits: UnsafeBufferPointer<Float>, chosen: Int, k: Int) {
        var maxLogit = -Float.infinity
        for value in logits where value > maxLogit { maxLogit = value }
        var sum = 0.0
        for value in logits { sum += Double(Self.expDifference(value, maxLogit)) }
        let logSumExp = Double(maxLogit) + Foundation_log(sum)
        func logprob(_ id: Int) -> Float { Float(Double(logits[id]) - logSumExp) }

        let chosenLogit = logits[chosen]
        var rank = 1
        for (id, value) in logits.enumerated() where value > chosenLogit || (value == chosenLogit && id < chosen) {
            rank += 1
        }
        // Top k by insertion into a small sorted list: k is at most a few dozen.
        var best: [Int] = []
        best.reserveCapacity(k + 1)
        if k > 0 {
            for (id, value) in logits.enumerated() {
                if best.count == k, let last = best.last, !(value > logits[last]) { continue }
                var index = best.count
                while index > 0, value > logits[best[index - 1]] { index -= 1 }
                best.insert(id, at: index)
                if best.count > k { best.removeLast() }
            }
        }
        self.chosen = TokenLogprob(tokenID: chosen, logprob: logprob(chosen))
        self.rank = rank
        self.top = best.map { TokenLogprob(tokenID: $0, logprob: logprob($0)) }
    }

    @inline(__always) static func expDifference(_ value: Float, _ maxValue: Float) -> Float {
        value == -.infinity ? 0 : Foundation_expf(value - maxValue)
    }
}
