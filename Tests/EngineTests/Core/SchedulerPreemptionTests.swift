import Testing
@testable import Engine

/// Preemption by recompute, priorities, aborts and memory pressure.
struct SchedulerPreemptionTests {
    /// 6 blocks of 4 tokens; a and b take 2 blocks each for their prompts, then one more each
    /// (c cannot get in); at position 12 (the sixth step) a needs another block: the newest
    /// request (b) is preempted.
    @Test func fcfsPreemptsTheNewestAndRequeuesItAtTheFront() throws {
        var engine = FakeEngine(numBlocks: 6, maxModelLen: 24, maxNumBatchedTokens: 16)
        let a = prompt(8, seed: 1), b = prompt(8, seed: 2)
        try engine.add("a", prompt: a, maxTokens: 8)
        try engine.add("b", prompt: b, maxTokens: 8)
        try engine.add("c", prompt: prompt(3, seed: 3), maxTokens: 1)
        for _ in 0..<5 { try engine.step() }
        #expect(engine.chunks(0) == ["a@0+8", "b@0+8"])
        #expect(engine.core.scheduler.waiting.map(\.requestID) == ["c"])
        let scheduled = engine.core.scheduler.schedule()
        #expect(scheduled.preemptedRequestIDs == ["b"])
        #expect(scheduled.chunks.map(\.requestID) == ["a"])
        let requestB = try #require(engine.core.scheduler.request("b"))
        #expect(requestB.status == .preempted && requestB.numComputedTokens == 0 && requestB.numPreemptions == 1)
        #expect(requestB.outputTokenIDs.count == 5)
        #expect(engine.core.scheduler.waiting.map(\.requestID) == ["b", "c"])
        #expect(engine.core.stats.numPreemptions == 1)
        try engine.execute(scheduled)
        // Admission waits while b is queued first; b comes back when a finishes, its two prompt
        // blocks still cached (a took its third block), and c fits beside it.
        let numSteps = try engine.run()
        #expect(engine.chunks(6) == ["a@13+1"])
        #expect(engine.chunks(7) == ["a@14+1"])
        #expect(engine.chunks(8) == ["b@8+5", "c@0+3"])
        #expect(numSteps == 5)
        #expect(engine.tokens["a"] == FakeExecutor.reference(prompt: a, count: 8))
        #expect(engine.tokens["b"] == FakeExecutor.reference(prompt: b, count: 8))
        #expect(engine.tokens["c"] == FakeExecutor.reference(prompt: prompt(3, seed: 3), count: 1))
        #expect(engine.allBlocksFree)
    }

    @Test func preemptedRequestsStillProduceTheReferenceTokens() throws {
        var engine = FakeEngine(numBlocks: 6, maxModelLen: 24, maxNumBatchedTokens: 16)
        let a = prompt(8, seed: 1), b = prompt(8, seed: 2)
        try engine.add("a", prompt: a, maxTokens: 8)
        try engine.add("b", prompt: b, maxTokens: 8)
        let numSteps = try engine.run()
        #expect(engine.core.stats.numPreemptions == 1)
        #expect(engine.tokens["a"] == FakeExecutor.reference(prompt: a, count: 8))
        #expect(engine.tokens["b"] == FakeExecutor.reference(prompt: b, count: 8))
        #expect(engine.chunks(4) == ["a@11+1", "b@11+1"])
        #expect(engine.chunks(5) == ["a@12+1"])
        #expect(engine.chunks(8) == ["b@8+5"])
        #expect(numSteps == 11)
        #expect(engine.allBlocksFree)
    }

    @Test func priorityPolicyAdmitsByPriorityThenArrival() throws {
        var engine = FakeEngine(numBlocks: 32, maxNumBatchedTokens: 64, maxNumSeqs: 1, policy: .priority)
        try engine.add("low", prompt: prompt(3, seed: 1), maxTokens: 1, priority: 5)
        try engine.add("high", prompt: prompt(3, seed: 2), maxTokens: 1, priority: 0)
        try engine.add("mid1", prompt: prompt(3, seed: 3), maxTokens: 1, priority: 1)
        try engine.add("mid2", prompt: prompt(3, seed: 4), maxTokens: 1, priority: 1)
        #expect(engine.core.scheduler.waiting.map(\.requestID) == ["high", "mid1", "mid2", "low"])
        _ = try engine.run()
        #expect(engine.executor.steps.map { $0[0].id } == ["high", "mid1", "mid2", "low"])
    }

    /// Three running requests of priorities 0, 2, 1 in a full pool: the one with priority 2 goes,
    /// although it is not the newest.
    @Test func priorityPolicyPreemptsTheLeastImportant() throws {
        var engine = FakeEngine(numBlocks: 6, maxModelLen: 24, maxNumBatchedTokens: 64, policy: .priority)
        try engine.add("p0", prompt: prompt(8, seed: 1), maxTokens: 8, priority: 0)
        try engine.add("p2", prompt: prompt(8, seed: 2), maxTokens: 8, priority: 2)
        try engine.add("p1", prompt: prompt(8, seed: 3), maxTokens: 8, priority: 1)
        try engine.step()
        #expect(engine.chunks(0) == ["p0@0+8", "p1@0+8", "p2@0+8"])
        let scheduled = engine.core.scheduler.schedule()
        #expect(scheduled.preemptedRequestIDs == ["p2"])
        #expect(scheduled.chunks.map(\.requestID) == ["p0", "p1"])
        try engine.execute(scheduled)
        _ = try engine.run()
        #expect(engine.core.stats.numPreemptions == 2)
        #expect(engine.executor.steps.count == 18)
        for (seed, id) in ["p0", "p2", "p1"].enumerated() {
            #expect(engine.tokens[id] == FakeExecutor.reference(prompt: prompt(8, seed: seed + 1), count: 8))
        }
        #expect(engine.allBlocksFree)
    }

    @Test func abortFreesWaitingAndRunningRequests() throws {
        var engine = FakeEngine(numBlocks: 8, maxNumBatchedTokens: 16, maxNumSeqs: 1)
        try engine.add("run", prompt: prompt(10, seed: 1), maxTokens: 50)
        try engine.add("wait", prompt: prompt(10, seed: 2), maxTokens: 50)
        try engine.step()
        #expect(engine.core.scheduler.kvCacheManager.blockIDs(requestID: "run").count == 3)
        engine.core.abortRequests(["wait", "unknown"])
        #expect(engine.core.stats.numWaiting == 0)
        engine.core.abortRequests(["run"])
        #expect(!engine.core.hasUnfinishedRequests)
        #expect(engine.allBlocksFree)
        #expect(engine.core.scheduler.kvCacheManager.checkInvariants().isEmpty)
        #expect(try engine.core.step().isEmpty)
        #expect(engine.executor.steps.count == 1)
        // The aborted ids reach the runner with the next schedule.
        #expect(engine.core.scheduler.schedule().finishedRequestIDs == ["wait", "run"])
    }

    /// 10 blocks (40 tokens) for 12 requests of up to 32 tokens each, some sharing prefixes.
    @Test func underMemoryPressureEveryRequestCompletes() throws {
        for prefixCaching in [true, false] {
            var engine = FakeEngine(numBlocks: 10, maxModelLen: 40, maxNumBatchedTokens: 16, maxNumSeqs: 6,
                                    prefixCaching: prefixCaching)
            var expected: [String: [Int]] = [:]
            for index in 0..<12 {
                let shared = prompt(8, seed: index % 3)
                let p = shared + prompt(4 + index, seed: 100 + index)
                let maxTokens = 4 + (index * 5) % 9
                try engine.add("r\(index)", prompt: p, maxTokens: maxTokens)
                expected["r\(index)"] = FakeExecutor.reference(prompt: p, count: maxTokens)
            }
            let numSteps = try engine.run(maxSteps: 500)
            #expect(!engine.core.hasUnfinishedRequests)
            #expect(engine.tokens == expected)
            // Exact for this workload: the cache saves recomputation and preemptions.
            #expect(engine.core.stats.numPreemptions == (prefixCaching ? 9 : 19))
            #expect(numSteps == (prefixCaching ? 75 : 80))
            #expect(engine.core.stats.prefixCacheHits == (prefixCaching ? 420 : 0))
            #expect(engine.allBlocksFree)
        }
    }
}
