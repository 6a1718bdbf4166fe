import Testing
@testable import Engine

/// `LLM.beamSearch` on the real default model.
@Suite(.serialized) struct BeamSearchTests {
    /// Greedy tokens of `prompt` and the sum of their logprobs.
    func greedy(_ llm: LLM, _ prompt: [Int], maxTokens: Int) throws -> (tokens: [Int], cumulativeLogprob: Double) {
        let params = SamplingParams(temperature: 0, maxTokens: maxTokens, ignoreEOS: true, logprobs: 1)
        let output = try #require(try llm.generate(tokenIDs: [prompt], params: [params]).first?.outputs.first)
        let logprobs = try #require(output.logprobs)
        return (output.tokenIDs, logprobs.reduce(0.0) { $0 + Double($1.chosen.logprob) })
    }

    @Test func widthOneIsGreedy() throws {
        let core = try FrontendTests.makeCore()
        let llm = try LLM(core: core)
        llm.showProgress = false
        let prompt = try llm.tokenizer.encode(FrontendTests.prompts[0])
        let reference = try greedy(llm, prompt, maxTokens: 4)
        let outputs = try llm.beamSearch(prompts: [prompt], params: BeamSearchParams(beamWidth: 1, maxTokens: 4, ignoreEOS: true))
        let beam = try #require(outputs.first?.sequences.first)
        #expect(beam.text == "The capital of France is Paris.\n\n")
        #expect(outputs[0].sequences.count == 1)
        #expect(Array(beam.outputTokenIDs) == reference.tokens && reference.tokens == [7042, 30, 198, 198])
        #expect(Array(beam.tokens.prefix(prompt.count)) == prompt)
        #expect(abs(beam.cumulativeLogprob - reference.cumulativeLogprob) < 1e-4)
        #expect(core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
    }

    @Test func widerBeamsScoreAtLeastGreedy() throws {
        let core = try FrontendTests.makeCore()
        let llm = try LLM(core: core)
        llm.showProgress = false
        let tokenizer = try llm.tokenizer
        let prompts = [FrontendTests.prompts[0], FrontendTests.prompts[3]].map { tokenizer.encode($0) }
        let params = BeamSearchParams(beamWidth: 3, maxTokens: 4, ignoreEOS: true)
        let outputs = try llm.beamSearch(prompts: prompts, params: params)
        #expect(outputs.count == 2)
        #expect(outputs.map { $0.sequences.map { Array($0.outputTokenIDs) } } == [
            [[7042, 30, 198, 198], [7042, 30, 198, 29], [7042, 30, 378, 3575]],
            [[216, 37, 28, 216], [216, 37, 28, 284], [216, 38, 28, 216]],
        ])
        #expect(outputs[1].sequences.map(\.text) == ["1, 2, 3, 4, 5, ", "1, 2, 3, 4, 5, and", "1, 2, 3, 4, 6, "])
        for (prompt, output) in zip(prompts, outputs) {
            let reference = try greedy(llm, prompt, maxTokens: 4)
            #expect(output.sequences.count == 3)
            #expect(output.sequences.allSatisfy { $0.outputTokenIDs.count == 4 })
            let scores = output.sequences.map { $0.score(lengthPenalty: 1, eosTokenIDs: core.eosTokenIDs) }
            #expect(scores == scores.sorted(by: >))
            #expect(output.sequences[0].cumulativeLogprob >= reference.cumulativeLogprob - 1e-4)
        }
        #expect(core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
    }

    /// A 20-token prompt: after the first step every beam request finds the prompt's full block
    /// (16 tokens) in the prefix cache: 2 beams x 2 later steps x 16 tokens.
    @Test func beamsShareThePromptBlocksThroughThePrefixCache() throws {
        let core = try FrontendTests.makeCore()
        let llm = try LLM(core: core)
        llm.showProgress = false
        let prompt = Array(try EngineCoreModelTests().targetPrompt().prefix(20))
        let before = core.stats
        let outputs = try llm.beamSearch(prompts: [prompt], params: BeamSearchParams(beamWidth: 2, maxTokens: 3, ignoreEOS: true))
        let after = core.stats
        #expect(outputs[0].sequences.count == 2)
        #expect(after.prefixCacheHits - before.prefixCacheHits == 2 * 2 * 16)
        #expect(after.numPromptTokens - before.numPromptTokens == 20 + 2 * 21 + 2 * 22)
        #expect(core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
    }

    @Test func beamSearchRefusesBadParams() throws {
        let llm = try LLM(core: try FrontendTests.makeCore())
        #expect(throws: GenerationError.self) {
            try llm.beamSearch(prompts: [[1, 2]], params: BeamSearchParams(beamWidth: 11, maxTokens: 2))
        }
        #expect(throws: GenerationError.self) {
            try llm.beamSearch(prompts: [[1, 2]], params: BeamSearchParams(beamWidth: .max, maxTokens: 2))
        }
        #expect(throws: GenerationError.self) {
            try llm.beamSearch(prompts: [[1, 2]], params: BeamSearchParams(beamWidth: 2, maxTokens: 0))
        }
    }

    /// The score is vLLM's: cumulative logprob / length ^ penalty, a final EOS not counted.
    @Test func scoreFollowsVLLM() {
        let sequence = BeamSearchSequence(tokens: [5, 6, 7, 2], numPromptTokens: 2, cumulativeLogprob: -3)
        #expect(sequence.score(lengthPenalty: 1, eosTokenIDs: [2]) == -1)
        #expect(sequence.score(lengthPenalty: 1, eosTokenIDs: []) == -0.75)
        #expect(sequence.score(lengthPenalty: 2, eosTokenIDs: [2]) == -3.0 / 9)
        #expect(sequence.outputTokenIDs == [7, 2])
    }
}
