import Testing
@testable import Engine

/// Speculative decoding through the scheduler and a fake model that reads every token back from
/// its KV slots: drafts scheduled after the request's last token, verified row by row, rejected
/// KV taken back, and outputs identical to one token per step.
struct SpecDecodeSchedulerTests {
    /// The fake model: repeats the token 4 back, except that every 11th position takes a token of its own.
    static func model(_ seq: [Int]) -> Int { seq.count % 11 == 0 ? 500 + seq.count % 7 : seq[seq.count - 4] }

    static func reference(prompt: [Int], count: Int, stop: Set<Int> = [], model: ([Int]) -> Int = model) -> [Int] {
        var sequence = prompt
        for _ in 0..<count {
            sequence.append(model(sequence))
            if stop.contains(sequence.last!) { break }
        }
        return Array(sequence[prompt.count...])
    }

    static let config = SpeculativeConfig(method: .ngram, numSpeculativeTokens: 3, promptLookupMax: 3, promptLookupMin: 2)

    @Test func oneVerificationStepPinned() throws {
        var engine = FakeEngine(numBlocks: 16, blockSize: 4, maxModelLen: 64, maxNumBatchedTokens: 16,
                                speculative: Self.config, model: Self.model)
        try engine.add("a", prompt: [10, 20, 30, 40, 10, 20, 30, 40], maxTokens: 20)
        try engine.step()
        #expect(engine.tokens["a"] == [10])
        let request = try #require(engine.core.scheduler.request("a"))
        // suffix [30, 40, 10] first occurred at 2: the three tokens after it
        #expect(request.specTokenIDs == [20, 30, 40])
        try engine.step()
        #expect(engine.chunks(1) == ["a@8+4"])
        // rows 8 and 9 confirm 20 and 30; row 10 (position 11) breaks the period: 504, not 40
        #expect(engine.tokens["a"] == [10, 20, 30, 504])
        #expect(request.numComputedTokens == 11 && request.numTokens == 12)
        #expect(engine.core.scheduler.kvCacheManager.blockIDs(requestID: "a").count == 3)
        let stats = engine.core.stats.specDecoding
        #expect(stats.numDrafts == 1 && stats.numDraftTokens == 3 && stats.numAcceptedTokens == 2)
        #expect(stats.numAcceptedTokensPerPosition == [1, 1, 0])
        // two accepted of three: the next draft may be three long
        #expect(request.draftLength == 3)
    }

    /// A period-3 prompt continued with period 4: the drafts keep failing part way, and each next
    /// draft is at most one past the run just accepted.
    @Test func draftLengthFollowsTheAcceptedRuns() throws {
        let period4: ([Int]) -> Int = { $0[$0.count - 4] }
        var config = Self.config
        config.numSpeculativeTokens = 4
        var engine = FakeEngine(numBlocks: 64, blockSize: 4, maxModelLen: 96, maxNumBatchedTokens: 24,
                                speculative: config, model: period4)
        let prompt = [1, 2, 3, 1, 2, 3, 1, 2, 3]
        try engine.add("a", prompt: prompt, maxTokens: 40)
        var previous = engine.core.stats.specDecoding
        var numShort = 0
        while engine.core.hasUnfinishedRequests {
            let drafts = engine.core.scheduler.request("a")?.specTokenIDs.count ?? 0
            try engine.step()
            let now = engine.core.stats.specDecoding
            if now.numDrafts > previous.numDrafts, let request = engine.core.scheduler.request("a") {
                let accepted = now.numAcceptedTokens - previous.numAcceptedTokens
                #expect(request.draftLength == (accepted == drafts ? drafts + 1 : accepted + 1))
                #expect(request.specTokenIDs.count <= min(4, request.draftLength ?? 0))
                if accepted < drafts { numShort += 1 }
            }
            previous = now
        }
        #expect(numShort >= 2, "\(engine.core.stats.specDecoding)")
        #expect(engine.tokens["a"] == Self.reference(prompt: prompt, count: 40, model: period4))
    }

    /// A proposer whose single draft is always wrong.
    struct WrongDraft: DraftProposer {
        var k: Int { 1 }
        var writesDraftKV: Bool { false }
        func propose(_ candidates: [DraftCandidate]) -> [[Int]] { candidates.map { _ in [999] } }
    }

    /// The second, third, ... verification in a row that accepts nothing pauses the request's
    /// drafts for 1, 2, 4, ... steps.
    @Test func draftModelBacksOffAfterFailedVerifications() throws {
        var engine = FakeEngine(numBlocks: 64, blockSize: 4, maxModelLen: 96, maxNumBatchedTokens: 24,
                                speculative: SpeculativeConfig(method: .draftModel, model: "fake", numSpeculativeTokens: 1),
                                model: Self.model, proposer: WrongDraft())
        try engine.add("a", prompt: [1, 2, 3, 4], maxTokens: 20)
        var drafted: [Bool] = []
        for _ in 0..<11 {
            try engine.step()
            drafted.append(engine.core.scheduler.request("a")?.specTokenIDs.isEmpty == false)
        }
        #expect(drafted == [true, true, false, true, false, false, true, false, false, false, false])
        #expect(engine.tokens["a"] == Self.reference(prompt: [1, 2, 3, 4], count: 11))
    }

    /// A draft model's claim on the KV of its fed drafts (`draftKVTail`) shrinks with the rollback
    /// to the drafts the step accepted (their blocks may be freed and reused otherwise).
    @Test func rolledBackDraftsTakeTheirDraftKVClaimsWithThem() throws {
        var engine = FakeEngine(numBlocks: 64, blockSize: 4, maxModelLen: 96, maxNumBatchedTokens: 24,
                                speculative: Self.config, model: Self.model)
        try engine.add("a", prompt: [10, 20, 30, 40, 10, 20, 30, 40], maxTokens: 40)
        var checked = 0, shortened = 0
        while engine.core.hasUnfinishedRequests {
            var before: (numTokens: Int, tail: [Int])?
            if let request = engine.core.scheduler.request("a"), !request.specTokenIDs.isEmpty {
                // as a draft model leaves it after proposing these drafts
                request.numDraftComputedTokens = request.numTokens
                request.draftKVTail = request.specTokenIDs
                before = (request.numTokens, request.specTokenIDs)
            }
            try engine.step()
            if let before, let request = engine.core.scheduler.request("a") {
                #expect(request.draftKVTail == Array(before.tail.prefix(request.numComputedTokens - before.numTokens)))
                checked += 1
                if request.draftKVTail.count < before.tail.count { shortened += 1 }
            }
        }
        #expect(checked > 5 && shortened > 0, "\(checked) \(shortened)")
    }

    @Test func outputsEqualOneTokenPerStep() throws {
        var engine = FakeEngine(numBlocks: 64, blockSize: 4, maxModelLen: 96, maxNumBatchedTokens: 24,
                                speculative: Self.config, model: Self.model)
        let prompts = [[10, 20, 30, 40, 10, 20, 30, 40], [1, 2, 3, 4, 5, 1, 2, 3], [7, 8, 9, 7, 8, 9, 7]]
        for (i, prompt) in prompts.enumerated() { try engine.add("r\(i)", prompt: prompt, maxTokens: 41) }
        // a stop token inside an accepted run cuts the output right after it
        try engine.add("stop", prompt: prompts[0], maxTokens: 41, stop: [30])
        let steps = try engine.run()
        for (i, prompt) in prompts.enumerated() {
            #expect(engine.tokens["r\(i)"] == Self.reference(prompt: prompt, count: 41), "r\(i)")
            #expect(engine.finishReasons["r\(i)"] == .length)
        }
        #expect(engine.tokens["stop"] == Self.reference(prompt: prompts[0], count: 41, stop: [30]))
        let stats = engine.core.stats.specDecoding
        #expect(stats.numAcceptedTokens > 0 && stats.numAcceptedTokens < stats.numDraftTokens, "\(stats)")
        #expect(steps < 41, "\(steps) steps for 41 tokens")
        #expect(engine.allBlocksFree)
    }

    @Test func noDraftsForHistoryDependentRequestsOrLargeBatches() throws {
        var config = Self.config
        config.disableByBatchSize = 2
        var engine = FakeEngine(numBlocks: 64, blockSize: 4, speculative: config, model: Self.model)
        try engine.add("a", prompt: [10, 20, 30, 40, 10, 20, 30, 40], maxTokens: 8)
        try engine.add("b", prompt: [10, 20, 30, 40, 10, 20, 30, 40], maxTokens: 8)
        try engine.step()
        #expect(engine.core.scheduler.running.allSatisfy { $0.specTokenIDs.isEmpty })
        // sampled requests draft too (rejection sampling); history-dependent processors do not
        #expect(SamplingParams(temperature: 0.7, maxTokens: 8).allowsDraftTokens && SamplingParams(temperature: 0, maxTokens: 8).allowsDraftTokens)
        var penalized = SamplingParams(temperature: 0, maxTokens: 8)
        penalized.repetitionPenalty = 1.2
        var minimum = SamplingParams(temperature: 0.7, maxTokens: 8)
        minimum.minTokens = 2
        #expect(!penalized.allowsDraftTokens && !minimum.allowsDraftTokens)
    }
}
