/// The token budget of a step chosen from a target step time (`--target-step-time-ms`): every
/// running decode gets its token, and prefill chunks get what still fits in the target by a cost
/// model fitted to the engine's own recent steps, so a long prompt joining the batch does not
/// stall every running stream for a whole 512-token chunk.
///
/// Cost model: step seconds = fixed + perToken * tokens, a least-squares line through the last
/// `window` measured steps (tokens, seconds). Until the steps vary enough in size to fit a slope
/// (or when the fit is not increasing), the per-token cost is their mean seconds per token and
/// the fixed cost zero. Bookkeeping only: it never touches tensors and is deterministic given the
/// recorded steps.
public struct StepTimeBudget: Sendable {
    /// Wanted seconds per step.
    public let targetSeconds: Double
    /// Prefill tokens a step gets even when its decodes alone fill the target, so prompts
    /// always make progress.
    public let minPrefillTokens: Int
    /// Measured steps kept for the fit.
    public let window: Int
    /// Recent steps, oldest first: (tokens, seconds).
    public private(set) var steps: [(tokens: Int, seconds: Double)] = []

    public init(targetSeconds: Double, minPrefillTokens: Int = 16, window: Int = 64) {
        self.targetSeconds = targetSeconds
        self.minPrefillTokens = minPrefillTokens
        self.window = max(window, 2)
    }

    /// Records one executed step.
    public mutating func record(tokens: Int, seconds: Double) {
        guard tokens > 0, seconds.isFinite, seconds >= 0 else { return }
        if steps.count == window { steps.removeFirst() }
        steps.append((tokens, seconds))
    }

    /// (fixed seconds, seconds per token) of the fitted line; nil before any step.
    public var costModel: (fixed: Double, perToken: Double)? {
        guard !steps.isEmpty else { return nil }
        let n = Double(steps.count)
        let sumX = steps.reduce(0.0) { $0 + Double($1.tokens) }, sumY = steps.reduce(0.0) { $0 + $1.seconds }
        let meanX = sumX / n, meanY = sumY / n
        var sxx = 0.0, sxy = 0.0
        for step in steps {
            let dx = Double(step.tokens) - meanX
            sxx += dx * dx
            sxy += dx * (step.seconds - meanY)
        }
        // a slope needs steps of different sizes (spread of at least 4 tokens) and a
        // non-negative intercept; otherwise the mean rate
        if sxx >= 16 * n, sxy > 0 {
            let slope = sxy / sxx, fixed = meanY - slope * meanX
            if fixed >= 0 { return (fixed, slope) }
        }
        return (0, sumY / sumX)
    }

    /// The step's token budget with `numDecodes` running decodes: as many tokens as the cost
    /// model says fit in the target, at least the decodes plus `minPrefillTokens`, at most
    /// `maxTokens`. Before any measurement: `maxTokens`.
    public func tokenBudget(numDecodes: Int, maxTokens: Int) -> Int {
        guard let (fixed, perToken) = costModel, perToken > 0 else { return maxTokens }
        let fits = ((targetSeconds - fixed) / perToken).rounded(.down)
        let tokens = fits.isFinite ? Int(clamping: Int64(max(min(fits, 1e9), 0))) : maxTokens
        return min(max(tokens, numDecodes + minPrefillTokens), maxTokens)
    }
}
