import Testing
@testable import Engine

/// Draft-model speculation on the real default model, the model drafting for itself: with
/// batch-invariant kernels its greedy drafts are exactly the target's tokens, so every draft must
/// be accepted (a wrong position, block or stale draft KV would show as a rejection) and the
/// outputs and logprobs must be the bits of decoding without speculation.
@Suite(.serialized) struct DraftModelTests {
    let base = EngineCoreModelTests()

    func makeEngine(k: Int?, numBlocks: Int = 96, maxNumSeqs: Int = 8) throws -> (EngineCore, DraftModelProposer?) {
        let model = try EngineCoreModelTests.shared.get()
        var config = SchedulerConfig(maxModelLen: 256, maxNumSeqs: maxNumSeqs, maxNumBatchedTokens: 512, blockSize: 16, numBlocks: numBlocks)
        config.speculativeConfig = k.map { SpeculativeConfig(method: .draftModel, model: "self", numSpeculativeTokens: $0) }
        let runner = try ModelRunner(weights: model.weights, config: config, numThreads: 2)
        let proposer = try k.map {
            try DraftModelProposer(weights: model.weights, pool: runner.pool, config: config, numSpeculativeTokens: $0, kvCacheDType: .float32)
        }
        let engine = EngineCore(executor: runner, config: config, vocabSize: model.weights.config.vocabSize, eosTokenIDs: [],
                                proposer: proposer)
        return (engine, proposer)
    }

    func prompts() throws -> [String: [Int]] {
        let tokenizer = try EngineCoreModelTests.shared.get().tokenizer
        let prose = try base.targetPrompt()
        return ["prose": prose, "prose-again": prose,  // the second hits the first's cached blocks
                "list": try tokenizer.encode("Days of the week: Monday, Tuesday, Wednesday. Months: January,")]
    }

    @Test func greedyOutputsAreBitIdenticalAndEveryDraftIsAccepted() throws {
        var params = SamplingParams(temperature: 0, maxTokens: 37, ignoreEOS: true)
        params.logprobs = 2
        func run(_ k: Int?) throws -> (EngineCoreModelTests.Outputs, SpecDecodingStats) {
            let (engine, _) = try makeEngine(k: k)
            for (id, prompt) in try prompts().sorted(by: { $0.key < $1.key }) {
                try engine.addRequest(requestID: id, promptTokenIDs: prompt, params: params)
            }
            return (try base.run(engine), engine.stats.specDecoding)
        }
        let (plain, _) = try run(nil)
        let (spec, stats) = try run(3)
        for id in try prompts().keys {
            #expect(spec.tokens[id] == plain.tokens[id], "\(id)")
            #expect(spec.logprobs[id] == plain.logprobs[id], "\(id) logprobs")
            #expect(spec.tokens[id]?.count == 37)
        }
        // 36 tokens after the first in cycles of 4 (3 drafts and the bonus): 9 cycles, the last
        // with 3 drafts (36 = 9 x 4), so 27 draft tokens per request, all accepted
        #expect(stats.numDraftTokens == 3 * 27 && stats.numAcceptedTokens == stats.numDraftTokens, "\(stats)")
    }

    /// What the draft model feeds: the whole sequence once, then per proposal the last draft and
    /// the bonus token (the accepted drafts' KV is reused) and one token per further draft.
    @Test func acceptedDraftsKeepTheirDraftKV() throws {
        let (engine, proposer) = try makeEngine(k: 3)
        let prompt = try base.targetPrompt()
        try engine.addRequest(requestID: "r", promptTokenIDs: prompt, params: SamplingParams(temperature: 0, maxTokens: 30, ignoreEOS: true))
        let request = try #require(engine.scheduler.request("r"))
        _ = try engine.step()  // prefill, first token, first proposal
        #expect(request.numTokens == prompt.count + 1 && request.specTokenIDs.count == 3)
        #expect(proposer?.numFedTokens == prompt.count + 1 + 2)
        #expect(request.numDraftComputedTokens == prompt.count + 1 && request.draftKVTail == Array(request.specTokenIDs.prefix(2)))
        // the blocks reach the last draft's position before the step that verifies it
        #expect(engine.scheduler.kvCacheManager.blockIDs(requestID: "r").count * 16 >= request.numTokens + 2)
        _ = try engine.step()  // verifies all 3, samples the 4th; proposes again
        #expect(request.numTokens == prompt.count + 5)
        #expect(proposer?.numFedTokens == prompt.count + 1 + 2 + 2 + 2)
    }

    /// A pool too small for every request at once: preemption frees the blocks (the draft's KV
    /// with them) and the draft model starts the request again; outputs stay exact.
    @Test func preemptionRecomputesTheDraftKV() throws {
        let params = SamplingParams(temperature: 0, maxTokens: 40, ignoreEOS: true)
        func run(_ k: Int?) throws -> (EngineCoreModelTests.Outputs, EngineCore) {
            let (engine, _) = try makeEngine(k: k, numBlocks: 12)
            for (id, prompt) in try prompts().sorted(by: { $0.key < $1.key }) {
                try engine.addRequest(requestID: id, promptTokenIDs: prompt, params: params)
            }
            return (try base.run(engine), engine)
        }
        let (plain, _) = try run(nil)
        let (spec, engine) = try run(4)
        #expect(engine.stats.numPreemptions > 0)
        for id in try prompts().keys { #expect(spec.tokens[id] == plain.tokens[id], "\(id)") }
        let stats = engine.stats.specDecoding
        #expect(stats.numDraftTokens > 0 && stats.numAcceptedTokens == stats.numDraftTokens, "\(stats)")
    }

    /// EngineCore.load reads the draft from its path, sizes the pool with both models' KV and
    /// refuses a path that is not a model.
    @Test func loadSizesThePoolForBothModels() throws {
        let path = try EngineTestFiles.smolLM()
        var config = EngineConfig(maxModelLen: 256, kvCacheMemoryBytes: 64 << 20)
        let plain = try EngineCore.load(path: path, config: config)
        config.speculativeConfig = SpeculativeConfig(method: .draftModel, model: path, numSpeculativeTokens: 2)
        let spec = try EngineCore.load(path: path, config: config)
        #expect(spec.config.numBlocks == plain.config.numBlocks / 2)
        #expect(spec.startupSummary?.contains("draft model") == true)
        config.speculativeConfig?.model = "/nonexistent/draft.gguf"
        #expect(throws: (any Error).self) { try EngineCore.load(path: path, config: config) }
    }
}
