import Testing
@testable import ModelFormats

/// ModelConfig from GGUF metadata, with SmolLM2-135M-Instruct's real keys and value types.
struct ConfigGGUFTests {
    static let smolLM2: [String: GGUFValue] = [
        "general.architecture": .string("llama"),
        "llama.block_count": .uint32(30),
        "llama.context_length": .uint32(8192),
        "llama.embedding_length": .uint32(576),
        "llama.feed_forward_length": .uint32(1536),
        "llama.attention.head_count": .uint32(9),
        "llama.attention.head_count_kv": .uint32(3),
        "llama.rope.freq_base": .float32(100_000),
        "llama.attention.layer_norm_rms_epsilon": .float32(1e-5),
        "llama.vocab_size": .uint32(49152),
        "llama.rope.dimension_count": .uint32(64),
        "tokenizer.ggml.bos_token_id": .uint32(1),
        "tokenizer.ggml.eos_token_id": .uint32(2),
    ]

    @Test func smolLM2MatchesItsHFConfig() throws {
        let config = try ModelConfig(ggufMetadata: Self.smolLM2, path: "smol.gguf", hasOutputTensor: false)
        #expect(config == ConfigHFTests.smolLM2)
        #expect(config.headDim == 64 && config.numKVHeads == 3 && config.rmsNormEps == 1e-5)
        let untied = try ModelConfig(ggufMetadata: Self.smolLM2, path: "smol.gguf", hasOutputTensor: true)
        #expect(!untied.tieWordEmbeddings)
    }

    private func with(_ changes: [String: GGUFValue?], base: [String: GGUFValue] = smolLM2) -> [String: GGUFValue] {
        var metadata = base
        for (key, value) in changes { metadata[key] = value }
        return metadata
    }

    @Test func vocabFromTokenListAndOptionalKeys() throws {
        let metadata = with(["llama.vocab_size": nil,
                             "tokenizer.ggml.tokens": .array(.strings((0..<300).map { "t\($0)" })),
                             "llama.attention.head_count_kv": nil,
                             "llama.rope.freq_base": nil,
                             "llama.rope.dimension_count": nil,
                             "llama.attention.key_length": .uint32(64),
                             "llama.attention.sliding_window": .uint32(1024)])
        let config = try ModelConfig(ggufMetadata: metadata, path: "m.gguf", hasOutputTensor: false)
        #expect(config.vocabSize == 300)
        #expect(config.numKVHeads == 9)
        #expect(config.ropeTheta == 10_000)
        #expect(config.headDim == 64)
        #expect(config.slidingWindow == 1024)
    }

    @Test func qwenFamilies() throws {
        var qwen2: [String: GGUFValue] = [:]
        for (key, value) in Self.smolLM2 {
            qwen2[key.replacingOccurrences(of: "llama.", with: "qwen2.")] = value
        }
        qwen2["general.architecture"] = .string("qwen2")
        let config2 = try ModelConfig(ggufMetadata: qwen2, path: "q.gguf", hasOutputTensor: false)
        #expect(config2.architecture == .qwen2 && config2.qkvBias && !config2.qkNorm)
        var qwen3: [String: GGUFValue] = [:]
        for (key, value) in Self.smolLM2 {
            qwen3[key.replacingOccurrences(of: "llama.", with: "qwen3.")] = value
        }
        qwen3["general.architecture"] = .string("qwen3")
        qwen3["qwen3.attention.key_length"] = .uint32(128)
        qwen3["qwen3.rope.dimension_count"] = .uint32(128)
        let config3 = try ModelConfig(ggufMetadata: qwen3, path: "q3.gguf", hasOutputTensor: false)
        #expect(config3.architecture == .qwen3 && config3.qkNorm && !config3.qkvBias && config3.headDim == 128)
    }

    @Test func ropeScaling() throws {
        let linear = with(["llama.rope.scaling.type": .string("linear"), "llama.rope.scaling.factor": .float32(4)])
        #expect(try ModelConfig(ggufMetadata: linear, path: "m.gguf", hasOutputTensor: false).ropeScaling == .linear(factor: 4))
        let yarn = with(["llama.rope.scaling.type": .string("yarn"), "llama.rope.scaling.factor": .float32(4),
                         "llama.rope.scaling.original_context_length": .uint32(2048)])
        #expect(try ModelConfig(ggufMetadata: yarn, path: "m.gguf", hasOutputTensor: false).ropeScaling
                == .yarn(factor: 4, originalMaxPositionEmbeddings: 2048, betaFast: 32, betaSlow: 1, attentionFactor: nil))
        let none = with(["llama.rope.scaling.type": .string("none")])
        #expect(try ModelConfig(ggufMetadata: none, path: "m.gguf", hasOutputTensor: false).ropeScaling == nil)
        let longrope = with(["llama.rope.scaling.type": .string("longrope")])
        #expect(throws: ModelConfigError.unsupportedRopeScaling(file: "m.gguf", type: "longrope", supported: ["none", "linear", "yarn"])) {
            try ModelConfig(ggufMetadata: longrope, path: "m.gguf", hasOutputTensor: false)
        }
        let noFactor = with(["llama.rope.scaling.type": .string("linear")])
        #expect(throws: ModelConfigError.missingField(file: "m.gguf", field: "llama.rope.scaling.factor")) {
            try ModelConfig(ggufMetadata: noFactor, path: "m.gguf", hasOutputTensor: false)
        }
    }

    @Test func typedErrors() {
        #expect(throws: ModelConfigError.unknownArchitecture(file: "g.gguf", name: "gemma2", supported: ["gemma3", "llama", "phi3", "qwen2", "qwen2moe", "qwen3", "qwen3moe"])) {
            try ModelConfig(ggufMetadata: with(["general.architecture": .string("gemma2")]), path: "g.gguf", hasOutputTensor: false)
        }
        #expect(throws: ModelConfigError.missingField(file: "m.gguf", field: "general.architecture")) {
            try ModelConfig(ggufMetadata: with(["general.architecture": nil]), path: "m.gguf", hasOutputTensor: false)
        }
        #expect(throws: ModelConfigError.missingField(file: "m.gguf", field: "llama.block_count")) {
            try ModelConfig(ggufMetadata: with(["llama.block_count": nil]), path: "m.gguf", hasOutputTensor: false)
        }
        #expect(throws: ModelConfigError.wrongType(file: "m.gguf", field: "llama.embedding_length", expected: "an integer that fits in Int")) {
            try ModelConfig(ggufMetadata: with(["llama.embedding_length": .string("576")]), path: "m.gguf", hasOutputTensor: false)
        }
        #expect(throws: ModelConfigError.notDivisible(file: "m.gguf", field: "llama.attention.head_count", value: 9,
                                                      divisorField: "llama.attention.head_count_kv", divisor: 2)) {
            try ModelConfig(ggufMetadata: with(["llama.attention.head_count_kv": .uint32(2)]), path: "m.gguf", hasOutputTensor: false)
        }
        #expect(throws: ModelConfigError.invalidValue(file: "m.gguf", field: "llama.attention.head_count", value: "0", reason: "must be positive")) {
            try ModelConfig(ggufMetadata: with(["llama.attention.head_count": .uint32(0)]), path: "m.gguf", hasOutputTensor: false)
        }
        #expect(throws: ModelConfigError.self) {
            try ModelConfig(ggufMetadata: with(["llama.rope.dimension_count": .uint32(32)]), path: "m.gguf", hasOutputTensor: false)
        }
        #expect(throws: ModelConfigError.invalidValue(file: "m.gguf", field: "tokenizer.ggml.eos_token_id", value: "49152",
                                                      reason: "not a token id of the 49152-token vocabulary")) {
            try ModelConfig(ggufMetadata: with(["tokenizer.ggml.eos_token_id": .uint32(49152)]), path: "m.gguf", hasOutputTensor: false)
        }
        #expect(throws: ModelConfigError.wrongType(file: "m.gguf", field: "llama.block_count", expected: "an integer that fits in Int")) {
            try ModelConfig(ggufMetadata: with(["llama.block_count": .uint64(.max)]), path: "m.gguf", hasOutputTensor: false)
        }
    }
}
