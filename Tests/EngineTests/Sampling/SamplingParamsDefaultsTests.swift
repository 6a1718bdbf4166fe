import Testing
import ModelFormats
@testable import Engine

/// generation_config.json defaults and the bad-words resolver.
@Suite struct SamplingParamsDefaultsTests {
    @Test func modelDefaultsTakeOnlyTheFieldsTheFileSets() {
        #expect(SamplingParams.modelDefaults(nil) == SamplingParams())
        let config = GenerationConfig(temperature: 0.6, topP: 0.9, topK: 20, minP: 0.05, repetitionPenalty: 1.1,
                                      doSample: true, maxNewTokens: 256, bosTokenID: 1, padTokenID: 2)
        let params = SamplingParams.modelDefaults(config)
        #expect(params == SamplingParams(temperature: 0.6, topP: 0.9, topK: 20, maxTokens: 256,
                                         repetitionPenalty: 1.1, minP: 0.05))
        let partial = SamplingParams.modelDefaults(GenerationConfig(topP: 0.8))
        #expect(partial == SamplingParams(topP: 0.8))
    }

    @Test func badWordsAreEncodedBareAndAfterASpace() {
        // A fake encoder: "x" → [1], " x" → [2], "a b" → [3, 4], " a b" → [5, 4], "yy" → [6, 6], " yy" → [6].
        let table: [String: [Int]] = ["x": [1], " x": [2], "a b": [3, 4], " a b": [5, 4], "yy": [6, 6], " yy": [6],
                                      "z": [7], " z": [7]]
        let params = SamplingParams(badWords: ["  x", "a b", "yy", "z"], badWordsTokenIDs: [[9]])
        let resolved = params.resolvingBadWords { table[$0] ?? [] }
        // " yy" has another length and " z" the same first token: both are left out, as in vLLM.
        #expect(resolved.badWordsTokenIDs == [[9], [1], [2], [3, 4], [5, 4], [6, 6], [7]])
    }
}
