import Foundation
import Testing
@testable import Engine

/// The Generator on the real default model. One generator is shared, so the suite runs serially.
@Suite(.serialized) struct GeneratorTests {
    nonisolated(unsafe) static let shared: Result<Generator, any Error> = Result {
        try Generator(path: try EngineTestFiles.smolLM(),
                      options: Generator.Options(maxModelLen: 512, maxNumBatchedTokens: 64, enablePromptLogprobs: true))
    }

    /// The float64 reference (Tests/ModelsTests/Fixtures/reference, made by scripts/reference/make_reference.py).
    struct Reference: Decodable {
        struct Sequence: Decodable { var name: String; var token_ids: [Int]; var top_ids: [[Int]]; var top_logprobs: [[Double]] }
        struct Greedy: Decodable {
            struct Step: Decodable { var id: Int; var gap: Double }
            var name: String; var prompt_token_ids: [Int]; var steps: [Step]
        }
        var sequences: [Sequence]
        var greedy: [Greedy]
        static func load() throws -> Reference {
            try JSONDecoder().decode(Reference.self, from: Data(contentsOf: EngineTestFiles.testFile("ModelsTests/Fixtures/reference/smollm2-q4_1-f64.json")))
        }
    }

    @Test func greedyContinuesWithParisAndMatchesTheReference() throws {
        let generator = try Self.shared.get()
        let reference = try Reference.load()
        let prompt = generator.tokenizer.encode("The capital of France is")
        let france = try #require(reference.greedy.first { $0.name == "france" })
        #expect(prompt == france.prompt_token_ids)
        var streamed = ""
        let output = try generator.generate(prompt: prompt, params: SamplingParams(temperature: 0, maxTokens: 32, ignoreEOS: true)) {
            streamed += $0
            return true
        }
        #expect(output.text.hasPrefix(" Paris"))
        // Compare up to the first step whose top-two gap in the reference is under 0.05 nats.
        let comparable = france.steps.prefix { $0.gap >= 0.05 }.map(\.id)
        #expect(Array(output.outputTokenIDs.prefix(comparable.count)) == comparable)
        #expect(streamed == output.text)
        #expect(output.text == (try generator.tokenizer.decode(output.outputTokenIDs, skipSpecialTokens: true)))
        #expect(output.finishReason == .length && output.outputTokenIDs.count == 32)
    }

    /// Prompt logprobs (raw log-softmax) against the float64 reference, position by position.
    @Test func promptLogprobsAgreeWithTheReference() throws {
        let generator = try Self.shared.get()
        let reference = try Reference.load()
        let sequence = try #require(reference.sequences.first { $0.name == "code" })
        let output = try generator.generate(prompt: sequence.token_ids,
                                            params: SamplingParams(temperature: 0, maxTokens: 1, promptLogprobs: 5))
        let logprobs = try #require(output.promptLogprobs)
        #expect(logprobs.count == sequence.token_ids.count)
        #expect(logprobs[0] == nil)
        var maxDifference = 0.0
        for position in 1..<sequence.token_ids.count {
            let entry = try #require(logprobs[position])
            // Row position-1 of the reference predicts token `position`.
            let refTop = sequence.top_ids[position - 1], refLogprobs = sequence.top_logprobs[position - 1]
            #expect(entry.top.first?.tokenID == refTop[0])
            maxDifference = max(maxDifference, abs(Double(entry.top[0].logprob) - refLogprobs[0]))
            #expect(entry.chosen.tokenID == sequence.token_ids[position])
            if let index = refTop.firstIndex(of: entry.chosen.tokenID) {
                #expect(entry.rank == index + 1 || abs(refLogprobs[index] - Double(entry.chosen.logprob)) < 0.01)
            }
        }
        #expect(maxDifference < 0.01, "largest top-1 logprob difference \(maxDifference)")
    }

    @Test func chatTurnStopsAtEndOfTurnUnlessIgnored() throws {
        let generator = try Self.shared.get()
        let prompt = try generator.files.chatTemplate().render(messages: [ChatMessage(role: "user", content: "Say hello.")],
                                                               tokenizer: generator.tokenizer, addGenerationPrompt: true)
        let ids = generator.tokenizer.encode(prompt, addSpecialTokens: false, parseSpecial: true)
        let stopped = try generator.generate(prompt: ids, params: SamplingParams(temperature: 0, maxTokens: 100))
        #expect(stopped.finishReason == .stop && stopped.stopReason == 2 && stopped.outputTokenIDs.last == 2)
        #expect(!stopped.text.contains("<|im_end|>"))
        let n = stopped.outputTokenIDs.count + 3
        let ignored = try generator.generate(prompt: ids, params: SamplingParams(temperature: 0, maxTokens: n, ignoreEOS: true))
        #expect(ignored.finishReason == .length && ignored.outputTokenIDs.count == n)
        #expect(Array(ignored.outputTokenIDs.prefix(stopped.outputTokenIDs.count)) == stopped.outputTokenIDs)
    }

    @Test func stopTokenIDsAndAbortEndTheRequest() throws {
        let generator = try Self.shared.get()
        let prompt = generator.tokenizer.encode("The capital of France is")
        // Greedy output starts 7042 (" Paris"), 30 ("."): stopping on 30 ends after two tokens.
        let stopped = try generator.generate(prompt: prompt, params: SamplingParams(temperature: 0, maxTokens: 10, stopTokenIDs: [30]))
        #expect(stopped.outputTokenIDs == [7042, 30] && stopped.finishReason == .stop && stopped.stopReason == 30)
        var pieces = 0
        let aborted = try generator.generate(prompt: prompt, params: SamplingParams(temperature: 0, maxTokens: 10)) { _ in
            pieces += 1
            return false
        }
        #expect(aborted.finishReason == .abort && aborted.outputTokenIDs == [7042] && pieces == 1)
    }

    /// The single-request driver applies the logits processors too: a strong repetition penalty
    /// changes the greedy continuation, and min_tokens holds back the end of turn.
    @Test func logitsProcessorsApplyInTheDriver() throws {
        let generator = try Self.shared.get()
        let prompt = generator.tokenizer.encode("1, 2, 3, 4, 5, 6,")
        let plain = try generator.generate(prompt: prompt, params: SamplingParams(temperature: 0, maxTokens: 8, ignoreEOS: true))
        var penalized = SamplingParams(temperature: 0, maxTokens: 8, ignoreEOS: true)
        penalized.repetitionPenalty = 2
        let other = try generator.generate(prompt: prompt, params: penalized)
        #expect(plain.outputTokenIDs != other.outputTokenIDs)
        let chat = try generator.files.chatTemplate().render(messages: [ChatMessage(role: "user", content: "Say hello.")],
                                                             tokenizer: generator.tokenizer, addGenerationPrompt: true)
        let ids = generator.tokenizer.encode(chat, addSpecialTokens: false, parseSpecial: true)
        let stopped = try generator.generate(prompt: ids, params: SamplingParams(temperature: 0, maxTokens: 100))
        var held = SamplingParams(temperature: 0, maxTokens: 100)
        held.minTokens = stopped.outputTokenIDs.count + 2
        let longer = try generator.generate(prompt: ids, params: held)
        #expect(longer.outputTokenIDs.count >= held.minTokens)
        #expect(!longer.outputTokenIDs.prefix(held.minTokens).contains(2))
    }

    @Test func seedsReproduceSamples() throws {
        let generator = try Self.shared.get()
        let prompt = generator.tokenizer.encode("Once upon a time")
        let params = SamplingParams(temperature: 1, maxTokens: 12, ignoreEOS: true)
        var seeded = params
        seeded.seed = 1234
        let a = try generator.generate(prompt: prompt, params: seeded)
        let b = try generator.generate(prompt: prompt, params: seeded)
        seeded.seed = 99
        let c = try generator.generate(prompt: prompt, params: seeded)
        #expect(a.outputTokenIDs == b.outputTokenIDs)
        #expect(a.outputTokenIDs != c.outputTokenIDs)
    }

    @Test func badPromptsAreRefusedWithClearErrors() throws {
        let generator = try Self.shared.get()
        let params = SamplingParams(temperature: 0, maxTokens: 1)
        #expect(throws: GenerationError.emptyPrompt) { try generator.generate(prompt: [], params: params) }
        #expect(throws: GenerationError.promptTooLong(numTokens: 512, maxModelLen: 512)) {
            try generator.generate(prompt: [Int](repeating: 42, count: 512), params: params)
        }
        #expect(throws: GenerationError.invalidTokenID(49152, vocabSize: 49152)) {
            try generator.generate(prompt: [1, 49152], params: params)
        }
        #expect { try generator.generate(prompt: [1], params: SamplingParams(temperature: -1)) } throws: { error in
            "\(error)" == "temperature must be a number >= 0, got -1.0"
        }
        // A prompt one short of the context still runs, and stops at the context with finish reason length.
        let full = try generator.generate(prompt: [Int](repeating: 42, count: 511), params: SamplingParams(temperature: 0, maxTokens: 5, ignoreEOS: true))
        #expect(full.outputTokenIDs.count == 1 && full.finishReason == .length)
    }
}
