import Foundation
import Testing
@testable import Engine

/// One request at a time through `LLM.generate(tokenIDs:params:onOutput:)` on the real default
/// model: the path of `swiftlet generate`, `chat` and `bench latency`. One engine is shared, so
/// the suite runs serially.
@Suite(.serialized) struct LLMSingleRequestTests {
    nonisolated(unsafe) static let shared: Result<LLM, any Error> = Result {
        let llm = try LLM(core: EngineCore.load(path: try EngineTestFiles.smolLM(), config: EngineConfig(
            maxModelLen: 512, maxNumSeqs: 1, maxNumBatchedTokens: 64, numThreads: 2, enablePromptLogprobs: true)))
        llm.showProgress = false
        return llm
    }

    /// Streams one request; returns its final output and the text pieces as they came.
    static func run(_ prompt: [Int], _ params: SamplingParams, stopAfter: Int? = nil) throws -> (output: RequestOutput, pieces: [String]) {
        var pieces: [String] = []
        let output = try shared.get().generate(tokenIDs: prompt, params: params) { output in
            if !output.outputs[0].deltaText.isEmpty { pieces.append(output.outputs[0].deltaText) }
            return stopAfter.map { pieces.count < $0 } ?? true
        }
        return (output, pieces)
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
        let tokenizer = try Self.shared.get().tokenizer
        let reference = try Reference.load()
        let prompt = tokenizer.encode("The capital of France is")
        let france = try #require(reference.greedy.first { $0.name == "france" })
        #expect(prompt == france.prompt_token_ids)
        let (output, pieces) = try Self.run(prompt, SamplingParams(temperature: 0, maxTokens: 32, ignoreEOS: true))
        let completion = output.outputs[0]
        #expect(completion.text.hasPrefix(" Paris"))
        // Compare up to the first step whose top-two gap in the reference is under 0.05 nats.
        let comparable = france.steps.prefix { $0.gap >= 0.05 }.map(\.id)
        #expect(Array(completion.tokenIDs.prefix(comparable.count)) == comparable)
        #expect(pieces.joined() == completion.text && pieces.count > 1)
        #expect(completion.text == (try tokenizer.decode(completion.tokenIDs, skipSpecialTokens: true)))
        #expect(completion.finishReason == .length && completion.tokenIDs.count == 32)
    }

    /// Prompt logprobs (raw log-softmax) against the float64 reference, position by position.
    @Test func promptLogprobsAgreeWithTheReference() throws {
        let reference = try Reference.load()
        let sequence = try #require(reference.sequences.first { $0.name == "code" })
        let (output, _) = try Self.run(sequence.token_ids, SamplingParams(temperature: 0, maxTokens: 1, promptLogprobs: 5))
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

    /// The end of turn stops the reply (vLLM reports no stop_reason for the EOS token itself).
    @Test func chatTurnStopsAtEndOfTurnUnlessIgnored() throws {
        let tokenizer = try Self.shared.get().tokenizer
        let prompt = try ModelFiles.open(try EngineTestFiles.smolLM()).chatTemplate()
            .render(messages: [ChatMessage(role: "user", content: "Say hello.")], tokenizer: tokenizer, addGenerationPrompt: true)
        let ids = tokenizer.encode(prompt, addSpecialTokens: false, parseSpecial: true)
        let stopped = try Self.run(ids, SamplingParams(temperature: 0, maxTokens: 100)).output.outputs[0]
        #expect(stopped.finishReason == .stop && stopped.stopReason == nil && stopped.tokenIDs.last == 2)
        #expect(!stopped.text.contains("<|im_end|>"))
        let n = stopped.tokenIDs.count + 3
        let ignored = try Self.run(ids, SamplingParams(temperature: 0, maxTokens: n, ignoreEOS: true)).output.outputs[0]
        #expect(ignored.finishReason == .length && ignored.tokenIDs.count == n)
        #expect(Array(ignored.tokenIDs.prefix(stopped.tokenIDs.count)) == stopped.tokenIDs)
    }

    @Test func stopTokenIDsStopStringsAndAbortEndTheRequest() throws {
        let prompt = try Self.shared.get().tokenizer.encode("The capital of France is")
        // Greedy output starts 7042 (" Paris"), 30 ("."): stopping on 30 ends after two tokens.
        let stopped = try Self.run(prompt, SamplingParams(temperature: 0, maxTokens: 10, stopTokenIDs: [30])).output.outputs[0]
        #expect(stopped.tokenIDs == [7042, 30] && stopped.finishReason == .stop && stopped.stopReason == .tokenID(30))
        // A stop string applies on this path too (the Generator it replaces did not apply them).
        var params = SamplingParams(temperature: 0, maxTokens: 10)
        params.stop = ["."]
        let byString = try Self.run(prompt, params).output.outputs[0]
        #expect(byString.text == " Paris" && byString.finishReason == .stop && byString.stopReason == .text("."))
        let (aborted, pieces) = try Self.run(prompt, SamplingParams(temperature: 0, maxTokens: 10), stopAfter: 1)
        #expect(aborted.outputs[0].finishReason == .abort && aborted.outputs[0].tokenIDs == [7042] && pieces.count == 1)
        // Nothing of the aborted request stays in the engine.
        let core = try Self.shared.get().core
        #expect(!core.hasUnfinishedRequests && core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
    }

    /// The logits processors apply on this path: a strong repetition penalty changes the greedy
    /// continuation, and min_tokens holds back the end of turn.
    @Test func logitsProcessorsApply() throws {
        let tokenizer = try Self.shared.get().tokenizer
        let prompt = tokenizer.encode("1, 2, 3, 4, 5, 6,")
        let plain = try Self.run(prompt, SamplingParams(temperature: 0, maxTokens: 8, ignoreEOS: true)).output.outputs[0]
        var penalized = SamplingParams(temperature: 0, maxTokens: 8, ignoreEOS: true)
        penalized.repetitionPenalty = 2
        let other = try Self.run(prompt, penalized).output.outputs[0]
        #expect(plain.tokenIDs != other.tokenIDs)
        let chat = try ModelFiles.open(try EngineTestFiles.smolLM()).chatTemplate()
            .render(messages: [ChatMessage(role: "user", content: "Say hello.")], tokenizer: tokenizer, addGenerationPrompt: true)
        let ids = tokenizer.encode(chat, addSpecialTokens: false, parseSpecial: true)
        let stopped = try Self.run(ids, SamplingParams(temperature: 0, maxTokens: 100)).output.outputs[0]
        var held = SamplingParams(temperature: 0, maxTokens: 100)
        held.minTokens = stopped.tokenIDs.count + 2
        let longer = try Self.run(ids, held).output.outputs[0]
        #expect(longer.tokenIDs.count >= held.minTokens)
        #expect(!longer.tokenIDs.prefix(held.minTokens).contains(2))
    }

    @Test func seedsReproduceSamples() throws {
        let prompt = try Self.shared.get().tokenizer.encode("Once upon a time")
        var seeded = SamplingParams(temperature: 1, maxTokens: 12, ignoreEOS: true)
        seeded.seed = 1234
        let a = try Self.run(prompt, seeded).output.outputs[0]
        let b = try Self.run(prompt, seeded).output.outputs[0]
        seeded.seed = 99
        let c = try Self.run(prompt, seeded).output.outputs[0]
        #expect(a.tokenIDs == b.tokenIDs)
        #expect(a.tokenIDs != c.tokenIDs)
    }

    @Test func badPromptsAreRefusedWithClearErrors() throws {
        let params = SamplingParams(temperature: 0, maxTokens: 1)
        #expect(throws: GenerationError.emptyPrompt) { try Self.run([], params) }
        #expect(throws: GenerationError.promptTooLong(numTokens: 512, maxModelLen: 512)) {
            try Self.run([Int](repeating: 42, count: 512), params)
        }
        #expect(throws: GenerationError.invalidTokenID(49152, vocabSize: 49152)) { try Self.run([1, 49152], params) }
        #expect { try Self.run([1], SamplingParams(temperature: -1)) } throws: { error in
            "\(error)" == "temperature must be in [0, 2], got -1.0"
        }
        // A prompt one short of the context still runs, and stops at the context with finish reason length.
        let full = try Self.run([Int](repeating: 42, count: 511), SamplingParams(temperature: 0, maxTokens: 5, ignoreEOS: true))
        #expect(full.output.outputs[0].tokenIDs.count == 1 && full.output.outputs[0].finishReason == .length)
        let core = try Self.shared.get().core
        #expect(!core.hasUnfinishedRequests && core.scheduler.kvCacheManager.pool.numFreeBlocks == core.config.numBlocks)
    }
}
