import Testing
@testable import Engine

/// Stop strings, stop token ids and finish/stop reasons through the offline API on the fake model.
/// With prompt(6, seed: 0) = [1, 12, 23, 34, 45, 56] ("#1#12#23#34#45#56") the fake model generates
/// 342 320 940 832 792 832 176 ... = "dec" "dca" "jea" "idc" "hjc" "idc" "bhg" ...
@Suite struct StopStringTests {
    static let prompt0 = prompt(6, seed: 0)

    func generate(_ params: SamplingParams, prompt: [Int] = prompt0, eos: Set<Int> = []) throws -> (CompletionOutput, EngineCore) {
        let core = try FakeFrontend.core(eos: eos)
        let outputs = try FakeFrontend.llm(core).generate(tokenIDs: [prompt], params: [params])
        return (try #require(outputs.first?.outputs.first), core)
    }

    func params(_ stop: [String], include: Bool = false, minTokens: Int = 0, maxTokens: Int = 10) -> SamplingParams {
        SamplingParams(temperature: 0, maxTokens: maxTokens, ignoreEOS: true, stop: stop,
                       includeStopStrInOutput: include, minTokens: minTokens)
    }

    @Test func referenceSequence() {
        #expect(FakeExecutor.reference(prompt: Self.prompt0, count: 7) == [342, 320, 940, 832, 792, 832, 176])
        #expect(FakeFrontend.referenceText(prompt: Self.prompt0, count: 7) == "decdcajeaidchjcidcbhg")
    }

    /// "aje" spans "dca" and "jea": the third token ends the completion; its engine request is
    /// aborted at once (three steps, every block free).
    @Test func stopStringAcrossTokensCutsTheTextAndFreesTheRequest() throws {
        let (output, core) = try generate(params(["aje"]))
        #expect(output.text == "decdc")
        #expect(output.tokenIDs == [342, 320, 940])
        #expect(output.finishReason == .stop && output.stopReason == .text("aje"))
        #expect((core.executor as? FakeExecutor)?.steps.count == 3)
        #expect(core.stats.numGenerationTokens == 3)
        #expect(!core.hasUnfinishedRequests)
        #expect(core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
    }

    /// With include_stop_str_in_output the text ends right after the stop string: the rest of
    /// the token that completed it ("a" of "jea") is cut.
    @Test func includeStopStringKeepsItAndCutsTheRest() throws {
        let (output, core) = try generate(params(["aje"], include: true))
        #expect(output.text == "decdcaje")
        #expect(output.tokenIDs == [342, 320, 940])
        #expect(output.stopReason == .text("aje"))
        #expect(core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
    }

    /// "eaidc" (7..<12) and "aid" (8..<11) complete with the same token: the earlier match wins,
    /// whatever the list order.
    @Test func overlappingStopStringsEarliestMatchWins() throws {
        let (output, _) = try generate(params(["aid", "eaidc"]))
        #expect(output.text == "decdcaj" && output.stopReason == .text("eaidc"))
        #expect(output.tokenIDs == [342, 320, 940, 832])
        let (included, _) = try generate(params(["aid", "eaidc"], include: true))
        #expect(included.text == "decdcajeaidc" && included.stopReason == .text("eaidc"))
        // Same start: the first listed wins.
        let (sameStart, _) = try generate(params(["eai", "eaidc"]))
        #expect(sameStart.text == "decdcaj" && sameStart.stopReason == .text("eai"))
    }

    /// The prompt's text ("...#56") never takes part: "56d" and "#" would only match across it.
    @Test func stopStringsNeverMatchThePrompt() throws {
        let (output, _) = try generate(params(["56d", "#", "#56"], maxTokens: 4))
        #expect(output.text == "decdcajeaidc")
        #expect(output.finishReason == .length && output.stopReason == nil)
    }

    /// vLLM: the text of the first min_tokens tokens never ends a stop string. "idc" first ends
    /// with token 4 (ignored under min_tokens 4), then with token 6.
    @Test func minTokensDelaysStopStrings() throws {
        let (late, _) = try generate(params(["idc"], minTokens: 4))
        #expect(late.text == "decdcajeaidchjc" && late.tokenIDs.count == 6 && late.stopReason == .text("idc"))
        let (early, _) = try generate(params(["idc"], minTokens: 3))
        #expect(early.text == "decdcajea" && early.tokenIDs.count == 4)
    }

    /// A stop token id ends with stop reason = the id, its text left out unless
    /// include_stop_str_in_output; EOS ends with no stop reason; max_tokens gives length.
    @Test func finishAndStopReasonsForEveryTokenPath() throws {
        var stopToken = SamplingParams(temperature: 0, maxTokens: 10, ignoreEOS: true, stopTokenIDs: [832])
        let (stopped, core) = try generate(stopToken)
        #expect(stopped.tokenIDs == [342, 320, 940, 832] && stopped.text == "decdcajea")
        #expect(stopped.finishReason == .stop && stopped.stopReason == .tokenID(832))
        #expect(core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
        stopToken.includeStopStrInOutput = true
        #expect(try generate(stopToken).0.text == "decdcajeaidc")

        let (eos, _) = try generate(SamplingParams(temperature: 0, maxTokens: 10), eos: [832])
        #expect(eos.tokenIDs == [342, 320, 940, 832] && eos.text == "decdcajea")
        #expect(eos.finishReason == .stop && eos.stopReason == nil)

        let (length, _) = try generate(SamplingParams(temperature: 0, maxTokens: 2, stop: ["zz"]))
        #expect(length.text == "decdca" && length.finishReason == .length && length.stopReason == nil)
    }
}
