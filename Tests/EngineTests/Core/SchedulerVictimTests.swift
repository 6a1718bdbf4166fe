import Testing
@testable import Engine

/// Victim choices at the edges: the request that needs the block is itself the victim, and a
/// victim already scheduled earlier in the same step gives its chunk and budget back.
struct SchedulerVictimTests {
    /// 5 blocks of 4: a (9 prompt tokens) holds 3, b (8) holds 2. At position 8, b needs a block
    /// and is itself the newest: it preempts itself and a goes on.
    @Test func theNewestRequestPreemptsItself() throws {
        var engine = FakeEngine(numBlocks: 5, maxModelLen: 20, maxNumBatchedTokens: 32)
        let a = prompt(9, seed: 1), b = prompt(8, seed: 2)
        try engine.add("a", prompt: a, maxTokens: 3)
        try engine.add("b", prompt: b, maxTokens: 3)
        try engine.step()
        let scheduled = engine.core.scheduler.schedule()
        #expect(scheduled.chunks.map { "\($0.requestID)@\($0.startPosition)+\($0.numTokens)" } == ["a@9+1"])
        #expect(scheduled.preemptedRequestIDs == ["b"])
        #expect(scheduled.newRequestIDs.isEmpty)
        try engine.execute(scheduled)
        _ = try engine.run()
        #expect(engine.tokens["a"] == FakeExecutor.reference(prompt: a, count: 3))
        #expect(engine.tokens["b"] == FakeExecutor.reference(prompt: b, count: 3))
        #expect(engine.core.stats.numPreemptions == 1)
        #expect(engine.allBlocksFree)
    }

    /// 4 blocks of 4 under the priority policy: p2 (priority 2) runs first; p0 arrives and fills
    /// the pool; when p0 needs a block, p2 — already given its decode token this step — is the
    /// victim: its chunk is dropped and its budget returned.
    @Test func aVictimScheduledEarlierInTheStepGivesItsChunkBack() throws {
        var engine = FakeEngine(numBlocks: 4, maxModelLen: 16, maxNumBatchedTokens: 32, policy: .priority)
        try engine.add("p2", prompt: prompt(4, seed: 1), maxTokens: 6, priority: 2)
        try engine.step()
        try engine.add("p0", prompt: prompt(8, seed: 2), maxTokens: 4, priority: 0)
        try engine.step()
        #expect(engine.chunks(1) == ["p2@4+1", "p0@0+8"])
        let scheduled = engine.core.scheduler.schedule()
        #expect(scheduled.chunks.map { "\($0.requestID)@\($0.startPosition)+\($0.numTokens)" } == ["p0@8+1"])
        #expect(scheduled.preemptedRequestIDs == ["p2"])
        #expect(engine.core.scheduler.request("p2")?.numComputedTokens == 0)
        try engine.execute(scheduled)
        _ = try engine.run()
        #expect(engine.tokens["p0"] == FakeExecutor.reference(prompt: prompt(8, seed: 2), count: 4))
        #expect(engine.tokens["p2"] == FakeExecutor.reference(prompt: prompt(4, seed: 1), count: 6))
        #expect(engine.core.stats.numPreemptions == 1)
        #expect(engine.allBlocksFree)
    }
}
