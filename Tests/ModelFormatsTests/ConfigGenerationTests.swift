import Foundation
import Testing
@testable import ModelFormats

struct ConfigGenerationTests {
    private func load(_ model: String) throws -> GenerationConfig {
        try GenerationConfig(contentsOf: SafeTensorsTestSupport.fixture("configs", model, "generation_config.json"))
    }

    @Test func realFiles() throws {
        #expect(try load("SmolLM2-135M-Instruct") == GenerationConfig(bosTokenID: 1, eosTokenID: TokenIDList([2]), padTokenID: 2))
        #expect(try load("Qwen2.5-0.5B-Instruct") == GenerationConfig(
            temperature: 0.7, topP: 0.8, topK: 20, repetitionPenalty: 1.1, doSample: true,
            bosTokenID: 151643, eosTokenID: TokenIDList([151645, 151643]), padTokenID: 151643))
        #expect(try load("Qwen3-0.6B") == GenerationConfig(
            temperature: 0.6, topP: 0.95, topK: 20, doSample: true,
            bosTokenID: 151643, eosTokenID: TokenIDList([151645, 151643]), padTokenID: 151643))
        #expect(try load("Llama-3.1-8B") == GenerationConfig(
            temperature: 0.6, topP: 0.9, doSample: true, bosTokenID: 128000,
            eosTokenID: TokenIDList([128001, 128008, 128009])))
    }

    @Test func allFieldsAndRoundTrip() throws {
        let json = #"{"temperature": 0.5, "top_p": 1, "top_k": 0, "min_p": 0.05, "repetition_penalty": 1.0, "do_sample": false, "max_new_tokens": 256, "eos_token_id": 7, "pad_token_id": null}"#
        let config = try GenerationConfig(json: Data(json.utf8), path: "generation_config.json")
        let expected = GenerationConfig(temperature: 0.5, topP: 1, topK: 0, minP: 0.05, repetitionPenalty: 1,
                                        doSample: false, maxNewTokens: 256, eosTokenID: TokenIDList([7]))
        #expect(config == expected)
        let encoded = try JSONEncoder().encode(config)
        #expect(try GenerationConfig(json: encoded, path: "re-encoded") == expected)
    }

    @Test func badValues() {
        #expect(throws: ModelConfigError.invalidValue(file: "g.json", field: "top_p", value: "1.5", reason: "must be in (0, 1]")) {
            try GenerationConfig(json: Data(#"{"top_p": 1.5}"#.utf8), path: "g.json")
        }
        #expect(throws: ModelConfigError.invalidValue(file: "g.json", field: "temperature", value: "-1.0", reason: "must be >= 0")) {
            try GenerationConfig(json: Data(#"{"temperature": -1}"#.utf8), path: "g.json")
        }
        #expect(throws: ModelConfigError.wrongType(file: "g.json", field: "do_sample", expected: "a boolean")) {
            try GenerationConfig(json: Data(#"{"do_sample": "yes"}"#.utf8), path: "g.json")
        }
        #expect(throws: ModelConfigError.invalidValue(file: "g.json", field: "max_new_tokens", value: "0", reason: "must be positive")) {
            try GenerationConfig(json: Data(#"{"max_new_tokens": 0}"#.utf8), path: "g.json")
        }
    }
}
