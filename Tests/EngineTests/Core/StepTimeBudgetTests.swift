import Testing
@testable import Engine

/// The step-time budget: its cost model, the budget it gives, and the scheduler keeping a token
/// for every running decode when a prompt's chunk comes first in the queue.
struct StepTimeBudgetTests {
    @Test func beforeAnyStepTheBudgetIsTheMaximum() {
        let budget = StepTimeBudget(targetSeconds: 0.1)
        #expect(budget.costModel == nil)
        #expect(budget.tokenBudget(numDecodes: 3, maxTokens: 512) == 512)
    }

    @Test func equalStepsGiveTheMeanRate() throws {
        var budget = StepTimeBudget(targetSeconds: 0.1)
        budget.record(tokens: 10, seconds: 0.05)
        budget.record(tokens: 10, seconds: 0.03)
        let model = try #require(budget.costModel)
        #expect(model.fixed == 0 && model.perToken == 0.004)
        #expect(budget.tokenBudget(numDecodes: 4, maxTokens: 512) == 25)  // 0.1 / 0.004
    }

    @Test func stepsOfDifferentSizesFitAFixedCostAndASlope() throws {
        var budget = StepTimeBudget(targetSeconds: 0.1, minPrefillTokens: 8)
        // seconds = 0.005 + 0.0025 * tokens, exactly
        for tokens in [1, 16, 64, 16, 1, 200] { budget.record(tokens: tokens, seconds: 0.005 + 0.0025 * Double(tokens)) }
        let model = try #require(budget.costModel)
        #expect(abs(model.fixed - 0.005) < 1e-12 && abs(model.perToken - 0.0025) < 1e-12)
        #expect(budget.tokenBudget(numDecodes: 16, maxTokens: 512) == 37)  // (0.1 - 0.005) / 0.0025 = 38 less rounding
        // the decodes alone overflow the target: they all run, plus the minimum prefill
        #expect(budget.tokenBudget(numDecodes: 60, maxTokens: 512) == 68)
        #expect(budget.tokenBudget(numDecodes: 60, maxTokens: 64) == 64)
    }

    @Test func theWindowForgetsOldSteps() throws {
        var budget = StepTimeBudget(targetSeconds: 0.1, window: 2)
        budget.record(tokens: 10, seconds: 1)
        budget.record(tokens: 10, seconds: 0.01)
        budget.record(tokens: 10, seconds: 0.01)
        #expect(budget.steps.count == 2 && budget.costModel?.perToken == 0.001)
        budget.record(tokens: 0, seconds: 5)  // an empty or unmeasurable step is not recorded
        budget.record(tokens: 4, seconds: .nan)
        #expect(budget.steps.count == 2 && budget.costModel?.perToken == 0.001)
    }

    @Test func runningDecodesComeFirstAndThePromptChunkTakesTheRestOfTheBudget() throws {
        var engine = FakeEngine(numBlocks: 64, maxNumBatchedTokens: 32)
        try engine.add("x", prompt: prompt(3, seed: 2), maxTokens: 4)
        try engine.add("y", prompt: prompt(3, seed: 3), maxTokens: 4)
        try engine.execute(engine.core.scheduler.schedule(tokenBudget: 8))
        try engine.add("long", prompt: prompt(40, seed: 1), maxTokens: 2)
        #expect(engine.core.scheduler.numRunningDecodes == 2)
        // a budget of 9 (as StepTimeBudget gives for 2 decodes, 7 prefill tokens): both decodes,
        // then 7 of the prompt; then 12 tokens: 10 of it
        try engine.execute(engine.core.scheduler.schedule(tokenBudget: 9))
        try engine.execute(engine.core.scheduler.schedule(tokenBudget: 12))
        // a budget above max-num-batched-tokens is capped by it
        try engine.execute(engine.core.scheduler.schedule(tokenBudget: 1000))
        #expect(engine.chunks(0) == ["x@0+3", "y@0+3"])
        #expect(engine.chunks(1) == ["x@3+1", "y@3+1", "long@0+7"])
        #expect(engine.chunks(2) == ["x@4+1", "y@4+1", "long@7+10"])
        #expect(engine.chunks(3) == ["x@5+1", "y@5+1", "long@17+23"])
        _ = try engine.run()
        #expect(engine.tokens["x"] == FakeExecutor.reference(prompt: prompt(3, seed: 2), count: 4))
        #expect(engine.tokens["long"] == FakeExecutor.reference(prompt: prompt(40, seed: 1), count: 2))
        #expect(engine.allBlocksFree)
    }

    @Test func anEngineWithATargetStepTimeMeasuresItsSteps() throws {
        let executor = FakeExecutor(numBlocks: 64, blockSize: 4)
        let config = SchedulerConfig(maxModelLen: 64, maxNumBatchedTokens: 32, blockSize: 4, numBlocks: 64,
                                     targetStepTime: 0.05)
        let core = EngineCore(executor: executor, config: config, vocabSize: 1000, eosTokenIDs: [])
        try core.addRequest(requestID: "a", promptTokenIDs: prompt(20, seed: 1),
                            params: SamplingParams(temperature: 0, maxTokens: 3, ignoreEOS: true))
        var steps = 0
        while core.hasUnfinishedRequests { _ = try core.step(); steps += 1 }
        #expect(steps == 3 && core.stepTimeBudget?.steps.map(\.tokens) == [20, 1, 1])
    }

    @Test func theTargetStepTimeIsValidated() throws {
        var config = EngineConfig(maxModelLen: 64, kvCacheMemoryBytes: 1 << 20)
        config.targetStepTime = -1
        #expect(throws: EngineCoreError.self) { try config.resolve(modelMaxLen: 64, kvBytesPerToken: 64) }
        config.targetStepTime = 0
        #expect(try config.resolve(modelMaxLen: 64, kvBytesPerToken: 64).targetStepTime == nil)
        config.targetStepTime = 0.1
        #expect(try config.resolve(modelMaxLen: 64, kvBytesPerToken: 64).targetStepTime == 0.1)
    }
}
