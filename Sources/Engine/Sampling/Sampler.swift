/// Turns one logits row into a token, in vLLM's order (`vllm/v1/sample/sampler.py`): the logits
/// processors (allowed token ids, bad words, min_tokens, logit bias, then the penalties; see
/// `Sampler+LogitsProcessing`), then greedy argmax at temperature 0, else temperature, min_p,
/// top-k, top-p and a draw from the request's own generator. Scratch is allocated once for the
/// vocabulary; `sample` allocates nothing. Logprobs are computed by the caller from the raw row.
public final class Sampler {
    public let vocabSize: Int
    /// [vocabSize] the processed logits (only when a processor applies).
    let work: UnsafeMutableBufferPointer<Float>
    /// [vocabSize] candidate token ids, best first (top-k / top-p only).
    let order: UnsafeMutableBufferPointer<Int32>
    /// [vocabSize] unnormalized probabilities of the candidates by token id (the top one is 1).
    let probs: UnsafeMutableBufferPointer<Double>
    /// [vocabSize] unnormalized probabilities of every token (dense path), as the vector exp writes them.
    let exps: UnsafeMutableBufferPointer<Float>

    public init(vocabSize: Int) {
        self.vocabSize = max(1, vocabSize)
        work = .allocate(capacity: self.vocabSize)
        order = .allocate(capacity: self.vocabSize)
        probs = .allocate(capacity: self.vocabSize)
        exps = .allocate(capacity: self.vocabSize)
        exps.initialize(repeating: 0)
        work.initialize(repeating: 0)
        order.initialize(repeating: 0)
        probs.initialize(repeating: 0)
    }

    deinit {
        work.deallocate()
        order.deallocate()
        probs.deallocate()
        exps.deallocate()
    }

    /// What remains to draw from after the filters.
    enum Selection {
        /// A single token (greedy, or nothing left to draw from).
        case token(Int)
        /// Every token id, weighted by `exps[id]`.
        case dense(total: Double)
        /// `order[0..<count]`, weighted by `probs[id]`.
        case sparse(count: Int, total: Double)
    }

    /// The token for `logits` ([vocabSize]) under `params`, with no history (no penalties,
    /// min_tokens or bad words).
    public func sample(logits: UnsafeBufferPointer<Float>, params: SamplingParams,
                       generator: inout RandomGenerator) -> Int {
        sample(logits: logits, params: params, history: SamplingHistory(), generator: &generator)
    }

    /// The token for `logits` ([vocabSize]) of a request with `history` under `params`.
    public func sample(logits: UnsafeBufferPointer<Float>, params: SamplingParams, history: SamplingHistory,
                       generator: inout RandomGenerator) -> Int {
        switch select(logits: logits, params: params, history: history) {
        case .token(let id):
            return id
        case .dense(let total):
            return drawDense(target: generator.nextUnit() * total)
        case .sparse(let count, let total):
            var target = generator.nextUnit() * total
            for i in 0..<count {
                target -= probs[Int(order[i])]
                if target < 0 { return Int(order[i]) }
            }
            return Int(order[0])
        }
    }

    /// The normalized distribution `sample` draws from ([vocabSize]; one 1 when greedy). For tests.
    func probabilities(logits: UnsafeBufferPointer<Float>, params: SamplingParams,
                       history: SamplingHistory = SamplingHistory()) -> [Double] {
        var result = [Double](repeating: 0, count: vocabSize)
        switch select(logits: logits, params: params, history: history) {
        case .token(let id):
            result[id] = 1
        case .dense(let total):
            for id in 0..<vocabSize { result[id] = Double(exps[id]) / total }
        case .sparse(let count, let total):
            for i in 0..<count { result[Int(order[i])] = probs[Int(order[i])] / total }
        }
        return result
    }

    /// Runs the processors and filters, leaving the candidates in the scratch.
    func select(logits raw: UnsafeBufferPointer<Float>, params: SamplingParams, history: SamplingHistory) -> Selection {
        guard raw.count >= vocabSize else { return .token(Self.argmax(raw)) }
        let logits: UnsafeBufferPointer<Float>
        if needsProcessing(params, history) {
            _ = work.initialize(from: raw.prefix(vocabSize))
            applyProcessors(params: params, history: history)
            logits = UnsafeBufferPointer(work)
        } else {
            logits = UnsafeBufferPointer(rebasing: raw[0..<vocabSize])
        }
        let maxLogit = Self.maxValue(logits)
        // Everything masked (e.g. allowed ids all banned): fall back to the raw model's choice.
        guard maxLogit > -.infinity else { return .token(Self.argmax(raw)) }
        if params.isGreedy { return .token(Self.firstIndex(of: maxLogit, in: logits)) }
        let topK = params.topK > 0 ? min(params.topK, vocabSize) : vocabSize
        if topK < vocabSize {
            return selectTopK(logits, maxLogit: maxLogit, k: topK, params: params)
        }
        if params.topP < 1 {
            return selectTopP(logits, maxLogit: maxLogit, params: params)
        }
        let total = fillProbabilities(logits, maxLogit: maxLogit, params: params)
        return .dense(total: total)
    }

    /// exps[id] = exp((logit - max) / T) for every id, zero below min_p (p < minP * pmax); the sum.
    func fillProbabilities(_ logits: UnsafeBufferPointer<Float>, maxLogit: Float, params: SamplingParams) -> Double {
        let scale = Float(1 / params.temperature)
        let minP = params.minP
        let exps = self.exps
        for id in 0..<vocabSize { exps[id] = VectorExp.exp((logits[id] - maxLogit) * scale) }
        var id = 0
        // min_p in place, summed in Double in four chains.
        let threshold = Float(minP) < Float.leastNonzeroMagnitude ? 0 : Float(minP)
        var sums: (Double, Double, Double, Double) = (0, 0, 0, 0)
        @inline(__always) func take(_ id: Int) -> Double {
            let e = exps[id]
            if e < threshold { exps[id] = 0; return 0 }
            return Double(e)
        }
        while id + 4 <= vocabSize {
            sums.0 += take(id)
            sums.1 += take(id + 1)
            sums.2 += take(id + 2)
            sums.3 += take(id + 3)
            id += 4
        }
        var total = (sums.0 + sums.1) + (sums.2 + sums.3)
        while id < vocabSize {
            total += take(id)
            id += 1
        }
        return total
    }

    /// The token where the running sum of `exps` passes `target`: skips whole chunks of 16 by
    /// their sum (independent adds), then walks the chunk it falls in.
    func drawDense(target start: Double) -> Int {
        var target = start
        var chunk = 0
        let chunkSize = 16
        while chunk + chunkSize <= vocabSize {
            var sum: Float = 0
            for id in chunk..<(chunk + chunkSize) { sum += exps[id] }
            if target - Double(sum) < 0 { break }
            target -= Double(sum)
            chunk += chunkSize
        }
        for id in chunk..<vocabSize {
            target -= Double(exps[id])
            if target < 0 { return id }
        }
        // Rounding left the draw past the end: the last token with any weight.
        return (0..<vocabSize).last { exps[$0] > 0 } ?? 0
    }

    /// Index of the largest value; the lowest index among equals (0 when all are -inf or NaN).
    public static func argmax(_ values: UnsafeBufferPointer<Float>) -> Int {
        firstIndex(of: maxValue(values), in: values)
    }

    /// The first index holding `value` (0 when none does).
    static func firstIndex(of value: Float, in values: UnsafeBufferPointer<Float>) -> Int {
        for i in values.indices where values[i] == value { return i }
        return 0
    }

    /// The largest value (-inf for none; NaN ignored), eight lanes at a time.
    static func maxValue(_ values: UnsafeBufferPointer<Float>) -> Float {
        guard let base = values.baseAddress else { return -.infinity }
        let raw = UnsafeRawPointer(base)
        var lanes = SIMD8<Float>(repeating: -.infinity)
        var i = 0
        while i + 8 <= values.count {
            let values = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            lanes.replace(with: values, where: values .> lanes)
            i += 8
        }
        var result = lanes.max()
        while i < values.count {
            if values[i] > result { result = values[i] }
            i += 1
        }
        return result
    }
}
