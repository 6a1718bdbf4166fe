import Testing
@testable import Engine

/// Suffix decoding on the real default model: greedy outputs and logprobs are those of one token
/// per step, and a request repeating an earlier one drafts from the finished one's output (the
/// global tree), with its drafts nearly all accepted.
@Suite(.serialized) struct SuffixDecodingModelTests {
    let base = EngineCoreModelTests()

    @Test func greedyOutputsAreBitIdenticalAndFinishedOutputsDraft() throws {
        let model = try EngineCoreModelTests.shared.get()
        let prose = try base.targetPrompt()
        var params = SamplingParams(temperature: 0, maxTokens: 40, ignoreEOS: true)
        params.logprobs = 1
        func run(_ speculative: SpeculativeConfig?) throws -> (first: EngineCoreModelTests.Outputs, again: EngineCoreModelTests.Outputs,
                                                                 SpecDecodingStats, SpecDecodingStats) {
            var config = SchedulerConfig(maxModelLen: 256, maxNumSeqs: 8, maxNumBatchedTokens: 512, blockSize: 16, numBlocks: 96)
            config.speculativeConfig = speculative
            let runner = try ModelRunner(weights: model.weights, config: config, numThreads: 2)
            let engine = EngineCore(executor: runner, config: config, vocabSize: model.weights.config.vocabSize, eosTokenIDs: [])
            try engine.addRequest(requestID: "first", promptTokenIDs: prose, params: params)
            let first = try base.run(engine)
            let afterFirst = engine.stats.specDecoding
            try engine.addRequest(requestID: "again", promptTokenIDs: prose, params: params)
            return (first, try base.run(engine), afterFirst, engine.stats.specDecoding)
        }
        let plain = try run(nil)
        let suffix = try run(SpeculativeConfig(method: .suffix, numSpeculativeTokens: 16))
        #expect(suffix.first.tokens == plain.first.tokens && suffix.first.logprobs == plain.first.logprobs)
        #expect(suffix.again.tokens == plain.again.tokens && suffix.again.logprobs == plain.again.logprobs)
        #expect(plain.first.tokens["first"] == plain.again.tokens["again"])
        // the repeat: 39 tokens after its first, drafted from the first one's output
        let accepted = suffix.3.numAcceptedTokens - suffix.2.numAcceptedTokens
        let drafted = suffix.3.numDraftTokens - suffix.2.numDraftTokens
        print("SmolLM2 suffix: first request \(suffix.2.numAcceptedTokens) of \(suffix.2.numDraftTokens) accepted; repeat \(accepted) of \(drafted)")
        #expect(accepted >= 30 && Double(accepted) >= 0.9 * Double(drafted), "\(accepted) of \(drafted)")
    }
}
