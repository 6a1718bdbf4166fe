import Testing
@testable import Engine

/// Sampling through the engine core on the real model (SmolLM2-135M): min_tokens against an early
/// EOS, and seeded requests that draw the same tokens alone and in a mixed batch.
@Suite(.serialized) struct SamplingEngineTests {
    func makeEngine(eosTokenIDs: Set<Int> = []) throws -> EngineCore {
        let model = try EngineCoreModelTests.shared.get()
        let config = SchedulerConfig(maxModelLen: 128, maxNumSeqs: 16, maxNumBatchedTokens: 256,
                                     blockSize: 16, numBlocks: 128, enablePrefixCaching: true)
        let runner = try ModelRunner(weights: model.weights, config: config, numThreads: 2)
        return EngineCore(executor: runner, config: config, vocabSize: model.weights.config.vocabSize, eosTokenIDs: eosTokenIDs)
    }

    func prompt(_ count: Int = 20) throws -> [Int] {
        Array(try EngineCoreModelTests.shared.get().tokenizer.encode(EngineCoreModelTests.text).prefix(count))
    }

    /// Every request's tokens after running `engine` to the end.
    func run(_ engine: EngineCore) throws -> [String: [Int]] {
        var tokens: [String: [Int]] = [:]
        var numSteps = 0
        while engine.hasUnfinishedRequests && numSteps < 300 {
            for output in try engine.step() { tokens[output.requestID, default: []] += output.newTokenIDs }
            numSteps += 1
        }
        return tokens
    }

    @Test func minTokensHoldsBackAnEarlyEOS() throws {
        let free = try makeEngine()
        try free.addRequest(requestID: "a", promptTokenIDs: try prompt(), params: SamplingParams(temperature: 0, maxTokens: 6))
        let reference = try #require(try run(free)["a"])
        try #require(reference.count == 6)
        // Make the greedy first token the EOS: without min_tokens the request ends at once.
        let eos = reference[0]
        let early = try makeEngine(eosTokenIDs: [eos])
        try early.addRequest(requestID: "a", promptTokenIDs: try prompt(), params: SamplingParams(temperature: 0, maxTokens: 6))
        #expect(try run(early)["a"] == [eos])
        // With min_tokens 3 the EOS cannot come among the first three tokens.
        let held = try makeEngine(eosTokenIDs: [eos])
        try held.addRequest(requestID: "a", promptTokenIDs: try prompt(),
                            params: SamplingParams(temperature: 0, maxTokens: 6, minTokens: 3))
        let tokens = try #require(try run(held)["a"])
        #expect(tokens.count >= 3)
        #expect(!tokens.prefix(3).contains(eos))
        #expect(tokens.count == 6 || tokens.last == eos)
        // The same through stop_token_ids.
        let stop = try makeEngine()
        try stop.addRequest(requestID: "a", promptTokenIDs: try prompt(),
                            params: SamplingParams(temperature: 0, maxTokens: 6, stopTokenIDs: [eos], minTokens: 2))
        let stopped = try #require(try run(stop)["a"])
        #expect(stopped.count >= 2 && !stopped.prefix(2).contains(eos))
    }

    static let seeded = SamplingParams(temperature: 0.9, topP: 0.95, topK: 50, seed: 1234, maxTokens: 12, ignoreEOS: true,
                                       presencePenalty: 0.3, frequencyPenalty: 0.2, repetitionPenalty: 1.1)

    @Test func seedsReproduceAloneAndInAMixedBatch() throws {
        let alone = try makeEngine()
        try alone.addRequest(requestID: "s", promptTokenIDs: try prompt(), params: Self.seeded)
        let reference = try #require(try run(alone)["s"])
        #expect(reference.count == 12)

        let again = try makeEngine()
        try again.addRequest(requestID: "s", promptTokenIDs: try prompt(), params: Self.seeded)
        #expect(try run(again)["s"] == reference)

        let mixed = try makeEngine()
        var other = Self.seeded
        other.seed = 99
        try mixed.addRequest(requestID: "greedy", promptTokenIDs: try prompt(12),
                             params: SamplingParams(temperature: 0, maxTokens: 5, repetitionPenalty: 1.3))
        try mixed.addRequest(requestID: "unseeded", promptTokenIDs: try prompt(30),
                             params: SamplingParams(temperature: 1.2, maxTokens: 9, ignoreEOS: true, minP: 0.05))
        try mixed.addRequest(requestID: "other", promptTokenIDs: try prompt(), params: other)
        try mixed.addRequest(requestID: "s", promptTokenIDs: try prompt(), params: Self.seeded)
        let outputs = try run(mixed)
        #expect(outputs["s"] == reference)
        #expect(outputs["other"] != reference)
        #expect(outputs["other"]?.count == 12)
    }

    @Test func processorsApplyThroughTheModelRunner() throws {
        let free = try makeEngine()
        try free.addRequest(requestID: "a", promptTokenIDs: try prompt(), params: SamplingParams(temperature: 0, maxTokens: 4))
        let reference = try #require(try run(free)["a"])
        try #require(reference.count == 4)
        let engine = try makeEngine()
        // Banning the greedy first token changes it; allowed ids confine every token; a bias picks one.
        try engine.addRequest(requestID: "banned", promptTokenIDs: try prompt(),
                              params: SamplingParams(temperature: 0, maxTokens: 4, badWordsTokenIDs: [[reference[0]]]))
        try engine.addRequest(requestID: "allowed", promptTokenIDs: try prompt(),
                              params: SamplingParams(temperature: 1, seed: 3, maxTokens: 6, allowedTokenIDs: [100, 200, 300]))
        try engine.addRequest(requestID: "biased", promptTokenIDs: try prompt(),
                              params: SamplingParams(temperature: 0, maxTokens: 3, logitBias: [777: 100]))
        let outputs = try run(engine)
        #expect(outputs["banned"]?.first != reference[0])
        #expect(outputs["banned"]?.contains(reference[0]) == false)
        #expect(outputs["allowed"]?.count == 6 && outputs["allowed"]?.allSatisfy { [100, 200, 300].contains($0) } == true)
        #expect(outputs["biased"] == [777, 777, 777])
    }
}
