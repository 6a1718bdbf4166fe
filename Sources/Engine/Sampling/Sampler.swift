/// Turns one logits row into a token: greedy at temperature 0, otherwise temperature, then
/// top-k and top-p, then a draw from the request's own generator. Scratch is allocated once for
/// the vocabulary; `sample` allocates nothing when top-k and top-p are off.
public final class Sampler {
    public let vocabSize: Int
    /// [vocabSize] token ids sorted by probability (top-k / top-p only).
    private var order: [Int32]
    /// [vocabSize] probabilities, in `order`'s order for top-k / top-p, else by token id.
    private var probs: [Double]

    public init(vocabSize: Int) {
        self.vocabSize = vocabSize
        order = [Int32](repeating: 0, count: vocabSize)
        probs = [Double](repeating: 0, count: vocabSize)
    }

    /// The token for `logits` ([vocabSize]) under `params`.
    public func sample(logits: UnsafeBufferPointer<Float>, params: SamplingParams,
                       generator: inout RandomGenerator) -> Int {
        if params.isGreedy { return Self.argmax(logits) }
        let inverseT = 1.0 / params.temperature
        var maxLogit = -Float.infinity
        for value in logits where value > maxLogit { maxLogit = value }
        let topK = params.topK > 0 ? min(params.topK, vocabSize) : vocabSize
        if topK == vocabSize && params.topP >= 1 {
            // Plain temperature sampling: one pass of exp, one draw, one walk; Float exp on raw
            // buffers (no per-element exclusivity checks), sums in Double.
            let scale = Float(inverseT)
            var total = 0.0
            probs.withUnsafeMutableBufferPointer { p in
                for id in 0..<vocabSize {
                    let e = Double(Foundation_expf((logits[id] - maxLogit) * scale))
                    p[id] = e
                    total += e
                }
            }
            var target = generator.nextUnit() * total
            let chosen: Int? = probs.withUnsafeBufferPointer { p in
                for id in 0..<vocabSize {
                    target -= p[id]
                    if target < 0 { return id }
                }
                return nil
            }
            return chosen ?? Self.argmax(logits)
        }
        // Sort candidates by logit, best first (ties: lower id first), keep top-k.
        for id in 0..<vocabSize { order[id] = Int32(id) }
        order.sort { a, b in
            let la = logits[Int(a)], lb = logits[Int(b)]
            return la > lb || (la == lb && a < b)
        }
        var total = 0.0
        for i in 0..<topK {
            let p = Foundation_exp((Double(logits[Int(order[i])]) - Double(maxLogit)) * inverseT)
            probs[i] = p
            total += p
        }
        // Top-p: the smallest prefix whose mass reaches topP (at least one token).
        var kept = topK
        if params.topP < 1 {
            var cumulative = 0.0
            for i in 0..<topK {
                cumulative += probs[i]
                if cumulative >= params.topP * total {
                    kept = i + 1
                    break
                }
            }
            total = 0
            for i in 0..<kept { total += probs[i] }
        }
        var target = generator.nextUnit() * total
        for i in 0..<kept {
            target -= probs[i]
            if target < 0 { return Int(order[i]) }
        }
        return Int(order[0])
    }

    /// Index of the largest value; the lowest index among equals.
    public static func argmax(_ values: UnsafeBufferPointer<Float>) -> Int {
        var best = 0
        var bestValue = -Float.infinity
        for (i, value) in values.enumerated() where value > bestValue {
            best = i
            bestValue = value
        }
        return best
    }
}
