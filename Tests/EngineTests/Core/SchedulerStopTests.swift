import Testing
@testable import Engine

/// Stop conditions and request validation.
struct SchedulerStopTests {
    @Test func eosStopTokenMaxTokensAndMaxModelLenEndRequests() throws {
        let p = prompt(5, seed: 4)
        let expected = FakeExecutor.reference(prompt: p, count: 20)
        var engine = FakeEngine(numBlocks: 32, maxModelLen: 12, maxNumBatchedTokens: 64, eos: [expected[2]])
        try engine.add("eos", prompt: p, maxTokens: 10, ignoreEOS: false)
        try engine.add("ignored", prompt: p, maxTokens: 4, ignoreEOS: true)
        try engine.add("stop", prompt: p, maxTokens: 10, stop: [expected[1]])
        try engine.add("context", prompt: p, maxTokens: 100)
        _ = try engine.run()
        #expect(engine.tokens["eos"] == Array(expected[0...2]))
        #expect(engine.tokens["ignored"] == Array(expected[0...3]))
        #expect(engine.tokens["stop"] == Array(expected[0...1]))
        // 5 prompt tokens + 7 outputs = max-model-len 12.
        #expect(engine.tokens["context"] == Array(expected[0...6]))
        #expect(engine.finishReasons == ["eos": .stop, "ignored": .length, "stop": .stop, "context": .length])
        #expect(engine.allBlocksFree)
    }

    @Test func addRequestRefusesBadRequests() throws {
        let engine = FakeEngine(numBlocks: 32, maxModelLen: 12)
        #expect(throws: GenerationError.promptTooLong(numTokens: 12, maxModelLen: 12)) {
            try engine.add("long", prompt: prompt(12, seed: 0), maxTokens: 1)
        }
        #expect("\(GenerationError.promptTooLong(numTokens: 12, maxModelLen: 12))".contains("12 tokens"))
        #expect(throws: GenerationError.emptyPrompt) { try engine.add("empty", prompt: [], maxTokens: 1) }
        #expect(throws: GenerationError.invalidTokenID(1000, vocabSize: 1000)) {
            try engine.add("vocab", prompt: [1, 1000], maxTokens: 1)
        }
        try engine.add("ok", prompt: prompt(11, seed: 0), maxTokens: 1)
        #expect(throws: EngineCoreError.duplicateRequestID("ok")) { try engine.add("ok", prompt: [1], maxTokens: 1) }
        #expect(engine.core.stats.numWaiting == 1)
    }
}
