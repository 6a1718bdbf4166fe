import Testing
@testable import ModelFormats

/// Mixture-of-experts keys of GGUF metadata (llama.cpp's names) and the errors bad ones give.
struct ConfigGGUFMoETests {
    /// SmolLM2's keys under `arch` plus the expert keys.
    static func metadata(arch: String, _ extra: [String: GGUFValue?]) -> [String: GGUFValue] {
        var values: [String: GGUFValue] = [:]
        for (key, value) in ConfigGGUFTests.smolLM2 {
            values[key.replacingOccurrences(of: "llama.", with: "\(arch).")] = value
        }
        values["general.architecture"] = .string(arch)
        for (key, value) in extra { values[key] = value }
        return values
    }

    static func config(arch: String, _ extra: [String: GGUFValue?]) throws -> ModelConfig {
        try ModelConfig(ggufMetadata: metadata(arch: arch, extra), path: "m.gguf", hasOutputTensor: true)
    }

    @Test func eachFamilyReadsItsExpertsAndRenormalization() throws {
        #expect(try Self.config(arch: "llama", [:]).moe == nil)
        #expect(try Self.config(arch: "llama", ["llama.expert_count": .uint32(0)]).moe == nil)
        let mixtral = try Self.config(arch: "llama", ["llama.expert_count": .uint32(8), "llama.expert_used_count": .uint32(2)])
        #expect(mixtral.moe == .init(numExperts: 8, numExpertsUsed: 2, expertIntermediateSize: 1536, normalizeTopKProbabilities: true))
        let qwen3 = try Self.config(arch: "qwen3moe", ["qwen3moe.expert_count": .uint32(128), "qwen3moe.expert_used_count": .uint32(8),
                                                       "qwen3moe.expert_feed_forward_length": .uint32(768)])
        #expect(qwen3.architecture == .qwen3moe && qwen3.qkNorm && !qwen3.qkvBias)
        #expect(qwen3.moe == .init(numExperts: 128, numExpertsUsed: 8, expertIntermediateSize: 768, normalizeTopKProbabilities: true))
        #expect(qwen3.widestIntermediateSize == 768)
        // without the expert width llama.cpp divides the dense width by the experts used
        let fallback = try Self.config(arch: "qwen3moe", ["qwen3moe.expert_count": .uint32(128), "qwen3moe.expert_used_count": .uint32(8)])
        #expect(fallback.moe?.expertIntermediateSize == 1536 / 8)
        let qwen2 = try Self.config(arch: "qwen2moe", ["qwen2moe.expert_count": .uint32(60), "qwen2moe.expert_used_count": .uint32(4),
                                                       "qwen2moe.expert_feed_forward_length": .uint32(1408),
                                                       "qwen2moe.expert_shared_feed_forward_length": .uint32(5632)])
        #expect(qwen2.qkvBias && qwen2.moe == .init(numExperts: 60, numExpertsUsed: 4, expertIntermediateSize: 1408,
                                                    normalizeTopKProbabilities: false, sharedExpertIntermediateSize: 5632))
        #expect(qwen2.widestIntermediateSize == 5632)
        let scaled = try Self.config(arch: "qwen2moe", ["qwen2moe.expert_count": .uint32(60), "qwen2moe.expert_used_count": .uint32(4),
                                                        "qwen2moe.expert_weights_norm": .bool(true),
                                                        "qwen2moe.expert_weights_scale": .float32(2.5)])
        #expect(scaled.moe?.normalizeTopKProbabilities == true && scaled.moe?.routedScalingFactor == 2.5)
    }

    @Test func badExpertKeysAreRefusedByName() throws {
        #expect(throws: ModelConfigError.missingField(file: "m.gguf", field: "qwen3moe.expert_count")) {
            try Self.config(arch: "qwen3moe", [:])
        }
        #expect(throws: ModelConfigError.missingField(file: "m.gguf", field: "llama.expert_used_count")) {
            try Self.config(arch: "llama", ["llama.expert_count": .uint32(8)])
        }
        #expect(throws: ModelConfigError.invalidValue(file: "m.gguf", field: "llama.expert_used_count", value: "9",
                                                      reason: "more than the 8 experts")) {
            try Self.config(arch: "llama", ["llama.expert_count": .uint32(8), "llama.expert_used_count": .uint32(9)])
        }
        #expect(throws: ModelConfigError.invalidValue(file: "m.gguf", field: "llama.expert_used_count", value: "0",
                                                      reason: "must be positive")) {
            try Self.config(arch: "llama", ["llama.expert_count": .uint32(8), "llama.expert_used_count": .uint32(0)])
        }
        #expect(throws: ModelConfigError.invalidValue(file: "m.gguf", field: "llama.expert_gating_func", value: "2",
                                                      reason: "only softmax routing (1) is supported")) {
            try Self.config(arch: "llama", ["llama.expert_count": .uint32(8), "llama.expert_used_count": .uint32(2),
                                            "llama.expert_gating_func": .uint32(2)])
        }
        #expect(throws: ModelConfigError.invalidValue(file: "m.gguf", field: "qwen2.expert_count", value: "8",
                                                      reason: "mixture-of-experts layers are read for llama, qwen2moe and qwen3moe files only")) {
            try Self.config(arch: "qwen2", ["qwen2.expert_count": .uint32(8), "qwen2.expert_used_count": .uint32(2)])
        }
        #expect(throws: ModelConfigError.invalidValue(file: "m.gguf", field: "qwen2moe.expert_weights_scale", value: "-1.0",
                                                      reason: "the experts' weight scale must be a positive number")) {
            try Self.config(arch: "qwen2moe", ["qwen2moe.expert_count": .uint32(8), "qwen2moe.expert_used_count": .uint32(2),
                                               "qwen2moe.expert_weights_scale": .float32(-1)])
        }
    }
}
