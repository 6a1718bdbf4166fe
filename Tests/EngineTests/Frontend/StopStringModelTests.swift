import Testing
@testable import Engine

/// Stop strings on the real default model: "The capital of France is" greedily continues with
/// " Paris" (7042) "." (30) "\n" (198) "\n" (198).
@Suite(.serialized) struct StopStringModelTests {
    @Test func stopStringAcrossThreeTokensOnTheModel() throws {
        let core = try FrontendTests.makeCore()
        let llm = try LLM(core: core)
        llm.showProgress = false
        let prompt = try llm.tokenizer.encode(FrontendTests.prompts[0])
        let before = core.stats
        let params = SamplingParams(n: 2, temperature: 0, maxTokens: 12, ignoreEOS: true, stop: ["s.\n"])
        let output = try #require(try llm.generate(tokenIDs: [prompt], params: [params]).first)
        for completion in output.outputs {
            #expect(completion.text == " Pari")
            #expect(completion.tokenIDs == [7042, 30, 198])
            #expect(completion.finishReason == .stop && completion.stopReason == .text("s.\n"))
        }
        // Both completions stopped after three tokens: their requests were aborted, blocks freed.
        #expect(core.stats.numGenerationTokens - before.numGenerationTokens == 6)
        #expect(core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)

        var include = params
        include.n = 1
        include.includeStopStrInOutput = true
        let kept = try #require(try llm.generate(tokenIDs: [prompt], params: [include]).first?.outputs.first)
        #expect(kept.text == " Paris.\n" && kept.stopReason == .text("s.\n"))
    }

    /// The async engine streams " Pari" without ever showing the held-back "s", "s." or "s.\n".
    @Test func asyncStreamNeverShowsAPartialStopString() async throws {
        let core = try FrontendTests.makeCore()
        let engine = try AsyncEngine(core: core)
        engine.start()
        let tokenizer = try #require(core.tokenizer)
        var deltas: [String] = []
        var last: RequestOutput?
        let params = SamplingParams(temperature: 0, maxTokens: 12, ignoreEOS: true, stop: ["s.\n"])
        for try await output in engine.generate(prompt: tokenizer.encode(FrontendTests.prompts[0]), params: params) {
            deltas.append(output.outputs[0].deltaText)
            last = output
        }
        engine.shutdown()
        #expect(deltas == [" Pari", "", ""])
        #expect(last?.outputs[0].text == " Pari" && last?.outputs[0].finishReason == .stop)
        #expect(core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
    }
}

/// `badWords` reach the sampler through the frontend, resolved with the model's tokenizer.
@Suite(.serialized) struct BadWordsFrontendTests {
    @Test func badWordIsNeverGenerated() throws {
        let core = try FrontendTests.makeCore()
        let llm = try LLM(core: core)
        llm.showProgress = false
        let params = SamplingParams(temperature: 0, maxTokens: 3, ignoreEOS: true, badWords: ["Paris"])
        let output = try #require(try llm.generate([FrontendTests.prompts[0]], params).first?.outputs.first)
        // Greedy would say " Paris" (7042); banned, the model goes on with " the capital of".
        #expect(output.tokenIDs == [260, 3575, 282] && output.text == " the capital of")
    }
}
