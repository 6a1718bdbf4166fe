/// The Prometheus counters fed from `SchedulerStats`' cumulative totals. Each counter grows by the
/// increase of its total since the last snapshot; a total that decreased (a restarted engine) is
/// taken as counted from zero, so a counter never goes down.
struct MonotonicCounters: Sendable {
    private(set) var prefixCacheQueries = 0
    private(set) var prefixCacheHits = 0
    private(set) var numPreemptions = 0
    private(set) var numPromptTokens = 0
    private(set) var numGenerationTokens = 0
    private(set) var promptTokenSources = PromptTokenSources()
    /// Speculative decoding (vLLM's spec_decode counters); `specPositions` 0 when it is off.
    private(set) var specPositions = 0
    private(set) var specDrafts = 0
    private(set) var specDraftTokens = 0
    private(set) var specAcceptedTokens = 0
    private(set) var specAcceptedPerPosition: [Int] = []
    private var last = SchedulerStats(numRunning: 0, numWaiting: 0, kvCacheUsage: 0, prefixCacheQueries: 0,
                                      prefixCacheHits: 0, numPreemptions: 0, numPromptTokens: 0,
                                      numGenerationTokens: 0)

    mutating func advance(with stats: SchedulerStats) {
        prefixCacheQueries = Self.grow(prefixCacheQueries, last.prefixCacheQueries, stats.prefixCacheQueries)
        prefixCacheHits = Self.grow(prefixCacheHits, last.prefixCacheHits, stats.prefixCacheHits)
        numPreemptions = Self.grow(numPreemptions, last.numPreemptions, stats.numPreemptions)
        numPromptTokens = Self.grow(numPromptTokens, last.numPromptTokens, stats.numPromptTokens)
        numGenerationTokens = Self.grow(numGenerationTokens, last.numGenerationTokens, stats.numGenerationTokens)
        let sources = stats.promptTokenSources, lastSources = last.promptTokenSources
        promptTokenSources.localCompute = Self.grow(promptTokenSources.localCompute, lastSources.localCompute, sources.localCompute)
        promptTokenSources.localCacheHit = Self.grow(promptTokenSources.localCacheHit, lastSources.localCacheHit, sources.localCacheHit)
        promptTokenSources.externalKVTransfer = Self.grow(promptTokenSources.externalKVTransfer, lastSources.externalKVTransfer,
                                                          sources.externalKVTransfer)
        let spec = stats.specDecoding, lastSpec = last.specDecoding
        specPositions = max(specPositions, spec.numSpeculativeTokens)
        specDrafts = Self.grow(specDrafts, lastSpec.numDrafts, spec.numDrafts)
        specDraftTokens = Self.grow(specDraftTokens, lastSpec.numDraftTokens, spec.numDraftTokens)
        specAcceptedTokens = Self.grow(specAcceptedTokens, lastSpec.numAcceptedTokens, spec.numAcceptedTokens)
        if specAcceptedPerPosition.count < specPositions {
            specAcceptedPerPosition += [Int](repeating: 0, count: specPositions - specAcceptedPerPosition.count)
        }
        for position in 0..<min(specPositions, spec.numAcceptedTokensPerPosition.count) {
            let previous = position < lastSpec.numAcceptedTokensPerPosition.count ? lastSpec.numAcceptedTokensPerPosition[position] : 0
            specAcceptedPerPosition[position] = Self.grow(specAcceptedPerPosition[position], previous, spec.numAcceptedTokensPerPosition[position])
        }
        last = stats
    }

    private static func grow(_ value: Int, _ previous: Int, _ current: Int) -> Int {
        let (increase, negative) = current.subtractingReportingOverflow(previous)
        let delta = current >= previous && !negative ? increase : max(current, 0)
        let (sum, overflow) = value.addingReportingOverflow(delta)
        return overflow ? Int.max : sum
    }
}
