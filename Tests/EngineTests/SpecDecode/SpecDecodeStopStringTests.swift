import Testing
@testable import Engine

/// A stop string completed by an accepted draft token ends the completion at that token, as one
/// token per step does, although the step brought more tokens after it.
struct SpecDecodeStopStringTests {
    func generate(speculative: SpeculativeConfig?, stop: [String]) throws -> (CompletionOutput, SpecDecodingStats) {
        let engine = FakeEngine(numBlocks: 32, blockSize: 4, speculative: speculative, model: SpecDecodeSchedulerTests.model)
        engine.core.tokenizer = try FakeFrontend.tokenizer()
        let params = SamplingParams(temperature: 0, maxTokens: 12, ignoreEOS: true, stop: stop)
        // 110 120 130 140 read "bba" "bca" "bda" "bea"
        let outputs = try FakeFrontend.llm(engine.core).generate(tokenIDs: [[110, 120, 130, 140, 110, 120, 130, 140]], params: [params])
        return (try #require(outputs.first?.outputs.first), engine.core.stats.specDecoding)
    }

    @Test func stopStringInsideAnAcceptedRun() throws {
        // step 1 samples 110; step 2 verifies drafts 120 130 140: 120 and 130 accepted, then 504.
        // "cabd" ends inside 130's text: the completion stops there, not at 504.
        let (spec, stats) = try generate(speculative: SpecDecodeSchedulerTests.config, stop: ["cabd"])
        let (plain, _) = try generate(speculative: nil, stop: ["cabd"])
        #expect(spec.tokenIDs == [110, 120, 130] && spec.text == "bbab" && spec.stopReason == .text("cabd"))
        #expect(spec.tokenIDs == plain.tokenIDs && spec.text == plain.text && spec.finishReason == plain.finishReason)
        #expect(stats.numAcceptedTokens == 2)
        let (whole, _) = try generate(speculative: SpecDecodeSchedulerTests.config, stop: [])
        let (wholePlain, _) = try generate(speculative: nil, stop: [])
        #expect(whole.tokenIDs == wholePlain.tokenIDs && whole.text == wholePlain.text && whole.tokenIDs.count == 12)
    }
}
