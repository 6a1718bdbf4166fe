import Testing
@testable import Engine

/// The token budget: chunked prefill, decode-first ordering, the maxNumSeqs cap.
struct SchedulerBudgetTests {
    @Test func aLongPromptIsPrefilledInChunksOfTheBudget() throws {
        var engine = FakeEngine(numBlocks: 32, maxNumBatchedTokens: 16)
        let a = prompt(40, seed: 1), b = prompt(6, seed: 2)
        try engine.add("a", prompt: a, maxTokens: 3)
        try engine.add("b", prompt: b, maxTokens: 3)
        let numSteps = try engine.run()
        #expect(numSteps == 5)
        #expect(engine.chunks(0) == ["a@0+16"])
        #expect(engine.chunks(1) == ["a@16+16"])
        #expect(engine.chunks(2) == ["a@32+8", "b@0+6"])
        #expect(engine.chunks(3) == ["a@40+1", "b@6+1"])
        #expect(engine.chunks(4) == ["a@41+1", "b@7+1"])
        #expect(engine.tokens["a"] == FakeExecutor.reference(prompt: a, count: 3))
        #expect(engine.tokens["b"] == FakeExecutor.reference(prompt: b, count: 3))
        #expect(engine.finishReasons == ["a": .length, "b": .length])
        #expect(engine.allBlocksFree)
        let stats = engine.core.stats
        #expect(stats.numPromptTokens == 46 && stats.numGenerationTokens == 6)
    }

    @Test func runningDecodesGoFirstAndANewPromptTakesTheRest() throws {
        var engine = FakeEngine(numBlocks: 32, maxNumBatchedTokens: 16)
        try engine.add("a", prompt: prompt(4, seed: 1), maxTokens: 4)
        try engine.step()
        try engine.add("b", prompt: prompt(30, seed: 2), maxTokens: 2)
        try engine.step()
        try engine.step()
        #expect(engine.chunks(0) == ["a@0+4"])
        #expect(engine.chunks(1) == ["a@4+1", "b@0+15"])
        #expect(engine.chunks(2) == ["a@5+1", "b@15+15"])
        _ = try engine.run()
        #expect(engine.tokens["b"] == FakeExecutor.reference(prompt: prompt(30, seed: 2), count: 2))
        #expect(engine.allBlocksFree)
    }

    @Test func noMoreThanMaxNumSeqsRunAtOnce() throws {
        var engine = FakeEngine(numBlocks: 32, maxNumBatchedTokens: 64, maxNumSeqs: 2)
        for (index, id) in ["a", "b", "c"].enumerated() {
            try engine.add(id, prompt: prompt(5, seed: index), maxTokens: 2 + index)
        }
        try engine.step()
        #expect(engine.chunks(0) == ["a@0+5", "b@0+5"])
        #expect(engine.core.stats.numRunning == 2 && engine.core.stats.numWaiting == 1)
        try engine.step()  // a finishes (2 tokens)
        #expect(engine.chunks(1) == ["a@5+1", "b@5+1"])
        try engine.step()
        #expect(engine.chunks(2) == ["b@6+1", "c@0+5"])
        _ = try engine.run()
        for (index, id) in ["a", "b", "c"].enumerated() {
            #expect(engine.tokens[id] == FakeExecutor.reference(prompt: prompt(5, seed: index), count: 2 + index))
        }
        #expect(engine.allBlocksFree)
    }

    @Test func aRepeatedPromptIsServedFromThePrefixCache() throws {
        var engine = FakeEngine(numBlocks: 32, maxNumBatchedTokens: 64)
        let p = prompt(13, seed: 3)
        try engine.add("first", prompt: p, maxTokens: 2)
        _ = try engine.run()
        try engine.add("second", prompt: p, maxTokens: 2)
        let outputs = try engine.step()
        // 13 tokens: three full blocks of 4 are cached; the hit stops short of the last token.
        #expect(engine.chunks(2) == ["second@12+1"])
        #expect(outputs.first?.numCachedTokens == 12)
        _ = try engine.run()
        #expect(engine.tokens["second"] == engine.tokens["first"])
        let stats = engine.core.stats
        #expect(stats.prefixCacheQueries == 26 && stats.prefixCacheHits == 12)
        #expect(engine.allBlocksFree)
    }
}
