import Foundation
import Testing
@testable import ModelFormats

/// Real config.json files (committed under Fixtures/configs) decode to exact ModelConfigs.
struct ConfigHFTests {
    static func load(_ model: String) throws -> ModelConfig {
        try ModelConfig(contentsOf: SafeTensorsTestSupport.fixture("configs", model, "config.json"))
    }

    static let smolLM2 = ModelConfig(
        architecture: .llama, numLayers: 30, hiddenSize: 576, intermediateSize: 1536, numHeads: 9,
        numKVHeads: 3, headDim: 64, vocabSize: 49152, maxPositionEmbeddings: 8192, rmsNormEps: 1e-5,
        ropeTheta: 100_000, tieWordEmbeddings: true, bosTokenID: 1, eosTokenIDs: [2])

    @Test func smolLM2Instruct() throws {
        #expect(try Self.load("SmolLM2-135M-Instruct") == Self.smolLM2)
    }

    @Test func llama31WithLlama3RopeScaling() throws {
        let expected = ModelConfig(
            architecture: .llama, numLayers: 32, hiddenSize: 4096, intermediateSize: 14336, numHeads: 32,
            numKVHeads: 8, headDim: 128, vocabSize: 128256, maxPositionEmbeddings: 131072, rmsNormEps: 1e-5,
            ropeTheta: 500_000,
            ropeScaling: .llama3(factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192),
            tieWordEmbeddings: false, bosTokenID: 128000, eosTokenIDs: [128001])
        #expect(try Self.load("Llama-3.1-8B") == expected)
    }

    @Test func mistral7BWithSlidingWindow() throws {
        let expected = ModelConfig(
            architecture: .mistral, numLayers: 32, hiddenSize: 4096, intermediateSize: 14336, numHeads: 32,
            numKVHeads: 8, headDim: 128, vocabSize: 32000, maxPositionEmbeddings: 32768, rmsNormEps: 1e-5,
            ropeTheta: 10_000, tieWordEmbeddings: false, bosTokenID: 1, eosTokenIDs: [2], slidingWindow: 4096)
        #expect(try Self.load("Mistral-7B-v0.1") == expected)
    }

    @Test func qwen25WithQKVBias() throws {
        let expected = ModelConfig(
            architecture: .qwen2, numLayers: 24, hiddenSize: 896, intermediateSize: 4864, numHeads: 14,
            numKVHeads: 2, headDim: 64, vocabSize: 151936, maxPositionEmbeddings: 32768, rmsNormEps: 1e-6,
            ropeTheta: 1_000_000, tieWordEmbeddings: true, qkvBias: true, bosTokenID: 151643,
            eosTokenIDs: [151645], slidingWindow: nil)
        #expect(try Self.load("Qwen2.5-0.5B-Instruct") == expected)
    }

    @Test func qwen3WithExplicitHeadDimAndQKNorm() throws {
        let expected = ModelConfig(
            architecture: .qwen3, numLayers: 28, hiddenSize: 1024, intermediateSize: 3072, numHeads: 16,
            numKVHeads: 8, headDim: 128, vocabSize: 151936, maxPositionEmbeddings: 40960, rmsNormEps: 1e-6,
            ropeTheta: 1_000_000, tieWordEmbeddings: true, qkNorm: true, bosTokenID: 151643,
            eosTokenIDs: [151645])
        #expect(try Self.load("Qwen3-0.6B") == expected)
    }

    static func decode(_ json: String) throws -> ModelConfig {
        try ModelConfig(configJSON: Data(json.utf8), path: "config.json")
    }

    @Test func familyDefaultsForAbsentFields() throws {
        let required = #""hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 100"#
        let llama = try Self.decode(#"{"model_type": "llama", "#+required+"}")
        #expect(llama == ModelConfig(architecture: .llama, numLayers: 2, hiddenSize: 64, intermediateSize: 128,
                                     numHeads: 4, numKVHeads: 4, headDim: 16, vocabSize: 100,
                                     maxPositionEmbeddings: 2048, rmsNormEps: 1e-6, ropeTheta: 10_000,
                                     tieWordEmbeddings: false, bosTokenID: 1, eosTokenIDs: [2]))
        let mistral = try Self.decode(#"{"architectures": ["MistralForCausalLM"], "#+required+"}")
        #expect(mistral.slidingWindow == 4096 && mistral.maxPositionEmbeddings == 131072)
        #expect(try Self.decode(#"{"model_type": "mistral", "sliding_window": null, "#+required+"}").slidingWindow == nil)
        let qwen3 = try Self.decode(#"{"model_type": "qwen3", "#+required+"}")
        #expect(qwen3.headDim == 128 && qwen3.qkNorm && !qwen3.qkvBias && qwen3.bosTokenID == nil && qwen3.eosTokenIDs == [])
        let qwen2 = try Self.decode(#"{"model_type": "qwen2", "use_sliding_window": true, "sliding_window": 512, "#+required+"}")
        #expect(qwen2.slidingWindow == 512 && qwen2.qkvBias && !qwen2.outputBias)
        let biased = try Self.decode(#"{"model_type": "llama", "attention_bias": true, "mlp_bias": true, "num_key_value_heads": null, "#+required+"}")
        #expect(biased.qkvBias && biased.outputBias && biased.mlpBias && biased.numKVHeads == 4)
    }

    @Test func eosTokenListAndDType() throws {
        let json = #"{"model_type": "llama", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 200, "eos_token_id": [128, 129], "bos_token_id": null, "dtype": "float16"}"#
        let config = try Self.decode(json)
        #expect(config.eosTokenIDs == [128, 129] && config.bosTokenID == nil)
        let raw = try JSONDecoder().decode(LlamaConfig.self, from: Data(json.utf8))
        #expect(raw.torchDType == "float16")
        #expect(raw.eosTokenID == TokenIDList([128, 129]))
    }

    @Test func ropeScalingVariants() throws {
        let base = #""model_type": "llama", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 100, "max_position_embeddings": 4096"#
        #expect(try Self.decode("{\(base), \"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}}").ropeScaling == .linear(factor: 2))
        #expect(try Self.decode("{\(base), \"rope_scaling\": {\"rope_type\": \"default\"}}").ropeScaling == nil)
        #expect(try Self.decode("{\(base), \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4.0}}").ropeScaling
                == .yarn(factor: 4, originalMaxPositionEmbeddings: 4096, betaFast: 32, betaSlow: 1, attentionFactor: nil))
        #expect(try Self.decode("{\(base), \"rope_scaling\": {\"type\": \"yarn\", \"factor\": 4.0, \"original_max_position_embeddings\": 32768, \"beta_fast\": 16, \"attention_factor\": 1.5}}").ropeScaling
                == .yarn(factor: 4, originalMaxPositionEmbeddings: 32768, betaFast: 16, betaSlow: 1, attentionFactor: 1.5))
        #expect(throws: ModelConfigError.unsupportedRopeScaling(file: "config.json", type: "dynamic", supported: ["linear", "llama3", "yarn"])) {
            try Self.decode("{\(base), \"rope_scaling\": {\"type\": \"dynamic\", \"factor\": 2.0}}")
        }
        #expect(throws: ModelConfigError.missingField(file: "config.json", field: "rope_scaling.low_freq_factor")) {
            try Self.decode("{\(base), \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0, \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192}}")
        }
        #expect(throws: ModelConfigError.missingField(file: "config.json", field: "rope_scaling.rope_type")) {
            try Self.decode("{\(base), \"rope_scaling\": {\"factor\": 8.0}}")
        }
    }
}
