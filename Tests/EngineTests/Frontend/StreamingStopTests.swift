import Testing
@testable import Engine

/// Streaming deltas with stop strings, the special-token options and truncate_prompt_tokens on
/// the fake model (see `StopStringTests` for the sequences).
@Suite struct StreamingStopTests {
    /// Deltas hold back exactly the tail that may still become a stop string, join to the final
    /// text, and never show part of the stop string.
    @Test func deltasHoldBackOnlyPossibleStopStrings() throws {
        let params = SamplingParams(temperature: 0, maxTokens: 10, ignoreEOS: true, stop: ["aid", "eaidc"])
        let outputs = try FakeFrontend.stream(try FakeFrontend.core(), prompt: prompt(6, seed: 0), params: params)
        // "dec" | "decdca": "a" may start "aid" | "decdcajea": "ea" may start "eaidc" | match at 7.
        #expect(outputs.map(\.outputs[0].deltaText) == ["dec", "dc", "aj", ""])
        #expect(outputs.map(\.outputs[0].text) == ["dec", "decdc", "decdcaj", "decdcaj"])
        #expect(outputs.map(\.outputs[0].deltaTokenIDs) == [[342], [320], [940], [832]])
        let final = try #require(outputs.last)
        #expect(final.finished && final.outputs[0].stopReason == .text("eaidc"))
        #expect(outputs.map(\.outputs[0].deltaText).joined() == final.outputs[0].text)
    }

    /// Held-back text that turns out not to be a stop string is released with the next token,
    /// and everything left is released at the end.
    @Test func heldBackTextIsReleasedWhenItCannotMatch() throws {
        let params = SamplingParams(temperature: 0, maxTokens: 4, ignoreEOS: true, stop: ["cdx", "idcz"])
        let outputs = try FakeFrontend.stream(try FakeFrontend.core(), prompt: prompt(6, seed: 0), params: params)
        // "dec": "c" may start "cdx" | "decdca": no | "decdcajea" | "...idc": "idc" may start "idcz", released at the end.
        #expect(outputs.map(\.outputs[0].deltaText) == ["de", "cdca", "jea", "idc"])
        #expect(outputs.last?.outputs[0].text == "decdcajeaidc")
        #expect(outputs.last?.outputs[0].finishReason == .length)
    }

    /// With include_stop_str_in_output nothing is held back.
    @Test func includeStopStringHoldsNothingBack() throws {
        let params = SamplingParams(temperature: 0, maxTokens: 10, ignoreEOS: true, stop: ["aje"], includeStopStrInOutput: true)
        let outputs = try FakeFrontend.stream(try FakeFrontend.core(), prompt: prompt(6, seed: 0), params: params)
        #expect(outputs.map(\.outputs[0].deltaText) == ["dec", "dca", "je"])
    }

    /// prompt(6, seed: 1) generates ... "eci" 400 "jdc" "eie": 400 is the control token "<400>".
    @Test func specialTokenOptionsPerRequest() throws {
        func text(skip: Bool, spaces: Bool) throws -> String {
            let params = SamplingParams(temperature: 0, maxTokens: 12, ignoreEOS: true,
                                        skipSpecialTokens: skip, spacesBetweenSpecialTokens: spaces)
            let outputs = try FakeFrontend.llm(try FakeFrontend.core()).generate(tokenIDs: [prompt(6, seed: 1)], params: [params])
            return try #require(outputs.first?.outputs.first?.text)
        }
        #expect(try text(skip: true, spaces: true) == "eccjdcdfgdgafceedghcefhcecijdceie")
        #expect(try text(skip: false, spaces: true) == "eccjdcdfgdgafceedghcefhceci <400> jdceie")
        #expect(try text(skip: false, spaces: false) == "eccjdcdfgdgafceedghcefhceci<400>jdceie")
    }

    @Test func truncatePromptTokensKeepsTheLastTokens() throws {
        let full = prompt(10, seed: 3)
        let core = try FakeFrontend.core()
        let llm = try FakeFrontend.llm(core)
        let params = SamplingParams(temperature: 0, maxTokens: 3, ignoreEOS: true, truncatePromptTokens: 4)
        let output = try #require(try llm.generate(tokenIDs: [full], params: [params]).first)
        #expect(output.promptTokenIDs == Array(full.suffix(4)))
        #expect(output.outputs[0].tokenIDs == FakeExecutor.reference(prompt: Array(full.suffix(4)), count: 3))
        // -1: the last max-model-len - 1 = 63 tokens, leaving one position to generate into.
        var all = params
        all.truncatePromptTokens = -1
        let long = try #require(try llm.generate(tokenIDs: [prompt(80, seed: 5)], params: [all]).first)
        #expect(long.promptTokenIDs == Array(prompt(80, seed: 5).suffix(63)))
        #expect(long.outputs[0].tokenIDs.count == 1 && long.outputs[0].finishReason == .length)
        // Above max-model-len is refused, as vLLM does.
        all.truncatePromptTokens = 65
        #expect(throws: GenerationError.invalidParams(
            "truncate_prompt_tokens (65) is greater than max_model_len (64): choose a smaller truncation size")) {
            try llm.generate(tokenIDs: [full], params: [all])
        }
        #expect(core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
    }

    /// The async engine truncates too, and a stop string ends its stream with the stop reason.
    @Test func asyncEngineTruncatesAndStops() async throws {
        let core = try FakeFrontend.core()
        let engine = try AsyncEngine(core: core)
        engine.start()
        defer { engine.shutdown() }
        let full = [90, 91, 92] + prompt(6, seed: 0)
        let params = SamplingParams(temperature: 0, maxTokens: 10, ignoreEOS: true, stop: ["aje"], truncatePromptTokens: 6)
        var streamed = "", last: RequestOutput?
        for try await output in engine.generate(prompt: full, params: params) {
            streamed += output.outputs[0].deltaText
            last = output
        }
        let final = try #require(last)
        #expect(final.promptTokenIDs == prompt(6, seed: 0))
        #expect(final.outputs[0].text == "decdc" && streamed == "decdc")
        #expect(final.outputs[0].stopReason == .text("aje"))
        engine.shutdown()
        #expect(core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
    }
}

/// Aborting through the output processor: finish reason abort, no stop reason, blocks freed.
@Suite struct AbortReasonTests {
    @Test func abortedCompletionHasNoStopReason() throws {
        let core = try FakeFrontend.core()
        let processor = OutputProcessor(tokenizer: try #require(core.tokenizer))
        let params = SamplingParams(temperature: 0, maxTokens: 10, ignoreEOS: true, stop: ["aid"])
        for child in processor.add(requestID: "r", prompt: prompt(6, seed: 0), params: params, priority: 0, cacheSalt: nil) {
            try core.addRequest(requestID: child.id, promptTokenIDs: prompt(6, seed: 0), params: child.params)
        }
        for _ in 0..<2 { try processor.apply(processor.process(try core.step()), to: core) }
        let aborted = processor.abort("r")
        core.abortRequests(aborted.childIDs)
        let output = try #require(aborted.output)
        #expect(aborted.childIDs == ["r"])
        #expect(output.outputs[0].finishReason == .abort && output.outputs[0].stopReason == nil)
        // "decdca" with "a" held back (it may start "aid"): the released text stays the text.
        #expect(output.outputs[0].text == "decdc" && output.outputs[0].tokenIDs == [342, 320])
        #expect(!core.hasUnfinishedRequests)
        #expect(core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
    }
}
