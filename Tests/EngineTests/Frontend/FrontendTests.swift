import Foundation
import Models
import SwiftletTokenizers
import Testing
@testable import Engine

/// The offline LLM API and the async engine on the real default model.
@Suite(.serialized) struct FrontendTests {
    static func makeCore(numBlocks: Int = 256, maxNumSeqs: Int = 64) throws -> EngineCore {
        let model = try EngineCoreModelTests.shared.get()
        let config = SchedulerConfig(maxModelLen: 256, maxNumSeqs: maxNumSeqs, maxNumBatchedTokens: 256,
                                     blockSize: 16, numBlocks: numBlocks, enablePrefixCaching: true)
        let runner = try ModelRunner(weights: model.weights, config: config, numThreads: 2)
        let core = EngineCore(executor: runner, config: config, vocabSize: model.weights.config.vocabSize, eosTokenIDs: [2])
        core.tokenizer = model.tokenizer
        return core
    }

    static let prompts = ["The capital of France is", "Once upon a time, in a small village,", "def fibonacci(n):", "1, 2, 3, 4,"]

    @Test func llmReturnsOutputsInPromptOrderMatchingTheDirectDecoder() throws {
        let core = try Self.makeCore()
        let llm = try LLM(core: core)
        llm.showProgress = false
        let params = SamplingParams(temperature: 0, maxTokens: 12, ignoreEOS: true)
        let outputs = try llm.generate(Self.prompts, params)
        #expect(outputs.count == Self.prompts.count)
        #expect(outputs.map(\.requestID) == ["0", "1", "2", "3"])
        #expect(outputs[0].outputs[0].text.hasPrefix(" Paris"))
        // Each equals the forward pass driven directly, alone, for the same prompt.
        let model = try EngineCoreModelTests.shared.get()
        let direct = try DirectDecoder(weights: model.weights, eosTokenIDs: [2], maxModelLen: 256, maxNumBatchedTokens: 64)
        for (prompt, output) in zip(Self.prompts, outputs) {
            let alone = try direct.generate(prompt: model.tokenizer.encode(prompt), params: params)
            #expect(output.outputs[0].tokenIDs == alone.outputTokenIDs)
            #expect(output.outputs[0].text == (try model.tokenizer.decode(alone.outputTokenIDs, skipSpecialTokens: true)))
            #expect(output.outputs[0].finishReason == .length)
        }
        #expect(core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
    }

    /// n = 4 completions of a 40-token prompt: the first child computes the prompt; the other
    /// three find its two full blocks (32 tokens) in the prefix cache instead of copying them.
    @Test func parallelSamplingSharesThePromptBlocks() throws {
        let core = try Self.makeCore()
        let llm = try LLM(core: core)
        llm.showProgress = false
        let prompt = Array(try EngineCoreModelTests().targetPrompt().prefix(40))
        let before = core.stats
        let params = SamplingParams(n: 4, temperature: 1, seed: 7, maxTokens: 8, ignoreEOS: true)
        let outputs = try llm.generate(tokenIDs: [prompt], params: [params])
        let after = core.stats
        #expect(outputs.count == 1)
        #expect(outputs[0].outputs.map(\.index) == [0, 1, 2, 3])
        #expect(outputs[0].outputs.allSatisfy { $0.tokenIDs.count == 8 && $0.finishReason == .length })
        #expect(after.prefixCacheHits - before.prefixCacheHits == 3 * 32)
        #expect(after.numPromptTokens - before.numPromptTokens == 4 * 40)
        // Distinct seeds per child (7, 8, 9, 10): not all completions equal.
        #expect(Set(outputs[0].outputs.map(\.tokenIDs)).count > 1)
        // The same seed gives the same completions again.
        let again = try llm.generate(tokenIDs: [prompt], params: [params])
        #expect(again[0].outputs.map(\.tokenIDs) == outputs[0].outputs.map(\.tokenIDs))
    }

    /// The model's generation_config.json sets the defaults of `LLM.generate` without params.
    @Test func generationConfigSuppliesTheDefaults() throws {
        let gguf = try ModelFiles.open(try EngineTestFiles.smolLM())
        guard case .gguf(let file) = gguf.container else { Issue.record("expected a GGUF file"); return }
        let dir = try EngineTestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try GGUFToHF.export(file, to: dir, dtype: .bf16)
        try gguf.writeTokenizerFiles(to: dir)
        try #"{"temperature": 0.3, "top_p": 0.8, "top_k": 20, "eos_token_id": 2}"#
            .write(to: dir.appendingPathComponent("generation_config.json"), atomically: true, encoding: .utf8)
        let llm = try LLM(model: dir.path, config: EngineConfig(maxModelLen: 64, maxNumSeqs: 4, kvCacheMemoryBytes: 64 << 20))
        llm.showProgress = false
        #expect(llm.defaultSamplingParams.temperature == 0.3)
        #expect(llm.defaultSamplingParams.topP == 0.8 && llm.defaultSamplingParams.topK == 20)
        #expect(llm.defaultSamplingParams.maxTokens == SamplingParams().maxTokens)
        // A GGUF file has no generation config: the engine's own defaults.
        let plain = try LLM(model: try EngineTestFiles.smolLM(), config: EngineConfig(maxModelLen: 64, maxNumSeqs: 4, kvCacheMemoryBytes: 64 << 20))
        #expect(plain.defaultSamplingParams == SamplingParams())
    }

    @Test func llmRefusesABadPromptBeforeRunningAnything() throws {
        let core = try Self.makeCore()
        let llm = try LLM(core: core)
        #expect(throws: GenerationError.self) {
            try llm.generate(tokenIDs: [[1, 2, 3], [Int](repeating: 5, count: 300)], params: Array(repeating: SamplingParams(), count: 2))
        }
        #expect(!core.hasUnfinishedRequests)
        #expect(core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
    }

    @Test func asyncStreamsDeltasThatAddUpToTheText() async throws {
        let core = try Self.makeCore()
        let engine = try AsyncEngine(core: core)
        engine.start()
        defer { engine.shutdown() }
        let tokenizer = try EngineCoreModelTests.shared.get().tokenizer
        var streamed = "", last: RequestOutput?
        var numOutputs = 0
        for try await output in engine.generate(prompt: tokenizer.encode(Self.prompts[1]),
                                                params: SamplingParams(temperature: 0, maxTokens: 10, ignoreEOS: true)) {
            streamed += output.outputs[0].deltaText
            numOutputs += 1
            last = output
        }
        let final = try #require(last)
        #expect(final.finished && final.outputs[0].finishReason == .length)
        #expect(final.outputs[0].tokenIDs.count == 10 && numOutputs == 10)
        #expect(streamed == final.outputs[0].text)
    }

    /// Sixteen requests at once through the async engine give what the offline API gives.
    @Test func concurrentAsyncRequestsAllComplete() async throws {
        let engine = try AsyncEngine(core: try Self.makeCore())
        engine.start()
        defer { engine.shutdown() }
        let tokenizer = try EngineCoreModelTests.shared.get().tokenizer
        let params = SamplingParams(temperature: 0, maxTokens: 6, ignoreEOS: true)
        let results = try await withThrowingTaskGroup(of: (Int, [Int]).self) { group in
            for i in 0..<16 {
                let prompt = tokenizer.encode(Self.prompts[i % 4])
                group.addTask {
                    var tokens: [Int] = []
                    for try await output in engine.generate(prompt: prompt, params: params) { tokens = output.outputs[0].tokenIDs }
                    return (i, tokens)
                }
            }
            var all: [Int: [Int]] = [:]
            for try await (i, tokens) in group { all[i] = tokens }
            return all
        }
        #expect(results.count == 16)
        for i in 0..<16 { #expect(results[i] == results[i % 4] && results[i]?.count == 6) }
    }

    /// A consumer that stops reading (a client gone) aborts its request and frees its blocks.
    @Test func cancellingTheStreamAbortsTheRequest() async throws {
        let core = try Self.makeCore()
        let engine = try AsyncEngine(core: core)
        engine.start()
        defer { engine.shutdown() }
        let tokenizer = try EngineCoreModelTests.shared.get().tokenizer
        let task = Task {
            var count = 0
            for try await _ in engine.generate(prompt: tokenizer.encode(Self.prompts[0]),
                                               params: SamplingParams(temperature: 0, maxTokens: 200, ignoreEOS: true)) {
                count += 1
                if count == 3 { break }
            }
            return count
        }
        #expect(try await task.value == 3)
        // The abort reaches the engine thread through its inbox; wait for it (bounded).
        var waited = 0
        while (engine.stats.numRunning > 0 || engine.stats.kvCacheUsage > 0) && waited < 200 {
            try await Task.sleep(nanoseconds: 10_000_000)
            waited += 1
        }
        #expect(engine.stats.numRunning == 0 && engine.stats.numWaiting == 0)
        #expect(engine.stats.kvCacheUsage == 0)
        #expect(engine.stats.numGenerationTokens < 200)
    }

    @Test func refusedRequestsEndTheirStreamWithTheError() async throws {
        let engine = try AsyncEngine(core: try Self.makeCore())
        engine.start()
        defer { engine.shutdown() }
        await #expect(throws: GenerationError.promptTooLong(numTokens: 300, maxModelLen: 256)) {
            for try await _ in engine.generate(prompt: [Int](repeating: 5, count: 300), params: SamplingParams()) {}
        }
    }
}
