import Testing
@testable import Engine

/// N-gram speculative decoding on the real default model: greedy outputs and their logprobs are
/// the same bits as one token per step (the kernels are batch-invariant, so verifying a draft in
/// a multi-token chunk computes exactly the logits a decode step would), with drafts accepted.
@Suite(.serialized) struct SpecDecodeModelTests {
    let base = EngineCoreModelTests()

    func makeEngine(speculative: SpeculativeConfig?) throws -> EngineCore {
        let model = try EngineCoreModelTests.shared.get()
        var config = SchedulerConfig(maxModelLen: 256, maxNumSeqs: 8, maxNumBatchedTokens: 512, blockSize: 16, numBlocks: 96)
        config.speculativeConfig = speculative
        let runner = try ModelRunner(weights: model.weights, config: config, numThreads: 2)
        return EngineCore(executor: runner, config: config, vocabSize: model.weights.config.vocabSize, eosTokenIDs: [])
    }

    @Test func greedyOutputsAndLogprobsAreBitIdentical() throws {
        let tokenizer = try EngineCoreModelTests.shared.get().tokenizer
        // a prompt the model continues by copying (many drafts accepted) and one it does not
        let list = try tokenizer.encode("Days of the week: Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday. Again: Monday, Tuesday,")
        let prose = try base.targetPrompt()
        var greedy = SamplingParams(temperature: 0, maxTokens: 40, ignoreEOS: true)
        var withLogprobs = greedy
        withLogprobs.logprobs = 2
        greedy.maxTokens = 33
        func run(_ speculative: SpeculativeConfig?) throws -> (EngineCoreModelTests.Outputs, SpecDecodingStats) {
            let engine = try makeEngine(speculative: speculative)
            try engine.addRequest(requestID: "list", promptTokenIDs: list, params: greedy)
            try engine.addRequest(requestID: "list-logprobs", promptTokenIDs: list, params: withLogprobs)
            try engine.addRequest(requestID: "prose", promptTokenIDs: prose, params: withLogprobs)
            return (try base.run(engine), engine.stats.specDecoding)
        }
        let (plain, _) = try run(nil)
        let config = SpeculativeConfig(method: .ngram, numSpeculativeTokens: 4, promptLookupMax: 4, promptLookupMin: 2)
        let (spec, stats) = try run(config)
        for id in ["list", "list-logprobs", "prose"] {
            #expect(spec.tokens[id] == plain.tokens[id], "\(id)")
            #expect(spec.logprobs[id] == plain.logprobs[id], "\(id) logprobs")
        }
        #expect(spec.tokens["list"]?.count == 33 && spec.logprobs["list-logprobs"]?.count == 40)
        print("SmolLM2 ngram k=4: \(stats.numDrafts) drafts, \(stats.numAcceptedTokens) of \(stats.numDraftTokens) draft tokens accepted, per position \(stats.numAcceptedTokensPerPosition)")
        #expect(stats.numAcceptedTokens >= 20, "\(stats)")
    }

    /// A sampled request drafts too (rejection sampling): its seed still fixes the output, and
    /// drafts are accepted where the model repeats itself.
    @Test func sampledRequestsAreReproducibleWithDrafts() throws {
        let tokenizer = try EngineCoreModelTests.shared.get().tokenizer
        let list = try tokenizer.encode("Days of the week: Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday. Again: Monday, Tuesday,")
        var params = SamplingParams(temperature: 0.6, maxTokens: 40, ignoreEOS: true)
        params.seed = 7
        let config = SpeculativeConfig(method: .ngram, numSpeculativeTokens: 4, promptLookupMax: 4, promptLookupMin: 2)
        func run() throws -> ([Int]?, SpecDecodingStats) {
            let engine = try makeEngine(speculative: config)
            try engine.addRequest(requestID: "s", promptTokenIDs: list, params: params)
            return (try base.run(engine).tokens["s"], engine.stats.specDecoding)
        }
        let (first, stats) = try run()
        let (second, _) = try run()
        #expect(first == second && first?.count == 40)
        #expect(stats.numDrafts > 0 && stats.numAcceptedTokens > 0, "\(stats)")
    }

    /// A structured output with drafts: each accepted draft advances the grammar before the next
    /// row is masked, so greedy output is the same as one token per step and follows the grammar.
    @Test func grammarConstrainedDraftsGiveTheSameTokens() throws {
        let model = try EngineCoreModelTests.shared.get()
        let list = try model.tokenizer.encode("Days of the week: Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday. Again: Monday, Tuesday,")
        let day = "(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
        var params = SamplingParams(temperature: 0, maxTokens: 40)
        params.structuredOutputs = StructuredOutputsParams(.regex(" \(day)(, \(day)){0,20}\\."))
        func run(_ speculative: SpeculativeConfig?) throws -> ([Int]?, SpecDecodingStats) {
            let engine = try makeEngine(speculative: speculative)
            engine.structuredOutputs = StructuredOutputManager(tokenizer: model.tokenizer, eosTokenIDs: [])
            try engine.addRequest(requestID: "g", promptTokenIDs: list, params: params)
            return (try base.run(engine).tokens["g"], engine.stats.specDecoding)
        }
        let (plain, _) = try run(nil)
        let (spec, stats) = try run(SpeculativeConfig(method: .ngram, numSpeculativeTokens: 4, promptLookupMax: 4, promptLookupMin: 2))
        #expect(spec == plain && (spec?.count ?? 0) > 10)
        let text = try model.tokenizer.decode(spec ?? [])
        #expect(text.hasPrefix(" Wednesday, Thursday"), "\(text)")
        #expect(stats.numAcceptedTokens > 0, "\(stats)")
    }
}
