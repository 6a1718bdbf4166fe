import Testing
@testable import Engine

/// Every field's range check, with the exact message (field named in vLLM spelling).
@Suite struct SamplingParamsValidationTests {
    func message(_ params: SamplingParams) -> String {
        do { try params.validate(vocabSize: 10); return "ok" } catch { return "\(error)" }
    }

    @Test func defaultsAreVLLMs() {
        let params = SamplingParams()
        #expect(params.presencePenalty == 0 && params.frequencyPenalty == 0 && params.repetitionPenalty == 1)
        #expect(params.minP == 0 && params.minTokens == 0 && params.maxTokens == 16)
        #expect(params.stop.isEmpty && !params.includeStopStrInOutput && params.logitBias.isEmpty)
        #expect(params.allowedTokenIDs == nil && params.badWords.isEmpty && params.badWordsTokenIDs.isEmpty)
        #expect(params.skipSpecialTokens && params.spacesBetweenSpecialTokens && params.truncatePromptTokens == nil)
        #expect(!params.hasPenalties)
        #expect(message(params) == "ok")
    }

    @Test func penaltiesAndMinP() {
        #expect(message(SamplingParams(presencePenalty: 2)) == "ok")
        #expect(message(SamplingParams(presencePenalty: -2.5)) == "presence_penalty must be in [-2, 2], got -2.5")
        #expect(message(SamplingParams(frequencyPenalty: 2.1)) == "frequency_penalty must be in [-2, 2], got 2.1")
        #expect(message(SamplingParams(frequencyPenalty: .nan)) == "frequency_penalty must be in [-2, 2], got nan")
        #expect(message(SamplingParams(repetitionPenalty: 0)) == "repetition_penalty must be a number > 0, got 0.0")
        #expect(message(SamplingParams(repetitionPenalty: 0.5)) == "ok")
        #expect(message(SamplingParams(minP: 1)) == "ok")
        #expect(message(SamplingParams(minP: 1.5)) == "min_p must be in [0, 1], got 1.5")
        #expect(message(SamplingParams(minP: -0.1)) == "min_p must be in [0, 1], got -0.1")
    }

    @Test func tokenCountsAndTruncation() {
        #expect(message(SamplingParams(maxTokens: 5, minTokens: 5)) == "ok")
        #expect(message(SamplingParams(maxTokens: 5, minTokens: 6)) == "min_tokens must be in 0...max_tokens (5), got 6")
        #expect(message(SamplingParams(minTokens: -1)) == "min_tokens must be in 0...max_tokens (16), got -1")
        #expect(message(SamplingParams(truncatePromptTokens: -1)) == "ok")
        #expect(message(SamplingParams(truncatePromptTokens: 1)) == "ok")
        #expect(message(SamplingParams(truncatePromptTokens: 0))
                == "truncate_prompt_tokens must be at least 1, or -1 (the model's context length), got 0")
        #expect(message(SamplingParams(truncatePromptTokens: -2))
                == "truncate_prompt_tokens must be at least 1, or -1 (the model's context length), got -2")
    }

    @Test func stringsAndTokenLists() {
        #expect(message(SamplingParams(stop: ["a", ""])) == "stop must be non-empty strings, got \"\"")
        #expect(message(SamplingParams(badWords: [""])) == "bad_words must be non-empty strings, got \"\"")
        #expect(message(SamplingParams(logitBias: [3: 500, 9: -500])) == "ok")
        #expect(message(SamplingParams(logitBias: [10: 1])) == "logit_bias must be keyed by token ids below 10, got token id 10")
        #expect(message(SamplingParams(logitBias: [-1: 1])) == "logit_bias must be keyed by token ids below 10, got token id -1")
        #expect(message(SamplingParams(logitBias: [2: .nan])) == "logit_bias must be a number, got nan for token id 2")
        #expect(message(SamplingParams(allowedTokenIDs: [])) == "allowed_token_ids must be a non-empty list, got []")
        #expect(message(SamplingParams(allowedTokenIDs: [0, 12])) == "allowed_token_ids must be a token id below 10, got 12")
        #expect(message(SamplingParams(badWordsTokenIDs: [[]])) == "bad_words must be non-empty token id sequences, got []")
        #expect(message(SamplingParams(badWordsTokenIDs: [[1, -3]])) == "bad_words must be a token id below 10, got -3")
        #expect(message(SamplingParams(stop: ["x"], badWords: ["y"], badWordsTokenIDs: [[1, 2]])) == "ok")
    }
}
