import Foundation
import Testing
@testable import ModelFormats

/// config.json of Gemma3ForCausalLM (model_type gemma3_text) into ModelConfig, and the variants
/// the engine cannot run refused with the field named.
struct Gemma3ConfigTests {
    /// The fields of Gemma 3 270M's config.json (layer_types spelled out for its 18 layers).
    static func json(_ overrides: [String: String] = [:]) -> Data {
        let layerTypes = (0..<18).map { ($0 + 1) % 6 == 0 ? "\"full_attention\"" : "\"sliding_attention\"" }
        var fields: [(String, String)] = [
            ("architectures", "[\"Gemma3ForCausalLM\"]"), ("model_type", "\"gemma3_text\""),
            ("hidden_size", "640"), ("intermediate_size", "2048"), ("num_hidden_layers", "18"),
            ("num_attention_heads", "4"), ("num_key_value_heads", "1"), ("head_dim", "256"),
            ("vocab_size", "262144"), ("max_position_embeddings", "32768"), ("rms_norm_eps", "1e-06"),
            ("rope_theta", "1000000.0"), ("rope_local_base_freq", "10000.0"), ("rope_scaling", "null"),
            ("sliding_window", "512"), ("layer_types", "[" + layerTypes.joined(separator: ", ") + "]"),
            ("query_pre_attn_scalar", "256"), ("hidden_activation", "\"gelu_pytorch_tanh\""),
            ("final_logit_softcapping", "null"), ("attn_logit_softcapping", "null"), ("attention_bias", "false"),
            ("bos_token_id", "2"), ("eos_token_id", "[1, 106]"), ("torch_dtype", "\"bfloat16\""),
        ]
        for (key, value) in overrides {
            if let i = fields.firstIndex(where: { $0.0 == key }) { fields[i].1 = value } else { fields.append((key, value)) }
        }
        return Data(("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}").utf8)
    }

    @Test func gemma3_270m() throws {
        let c = try ModelConfig(configJSON: Self.json(), path: "config.json")
        let expected = ModelConfig(
            architecture: .gemma3, numLayers: 18, hiddenSize: 640, intermediateSize: 2048, numHeads: 4, numKVHeads: 1,
            headDim: 256, vocabSize: 262_144, maxPositionEmbeddings: 32768, rmsNormEps: 1e-6, ropeTheta: 1_000_000,
            tieWordEmbeddings: true, qkNorm: true, bosTokenID: 2, eosTokenIDs: [1, 106], slidingWindow: 512,
            hiddenActivation: .geluTanh, postNorms: true,
            gemma: .init(embeddingMultiplier: Float(640.0.squareRoot()), slidingWindowPattern: 6, localRopeTheta: 10_000,
                         queryPreAttnScalar: 256))
        #expect(c == expected)
        #expect(c.attentionWindow(layer: 4) == 512 && c.attentionWindow(layer: 5) == 0)
    }

    @Test func olderFilesGiveThePatternInstead() throws {
        let c = try ModelConfig(configJSON: Self.json(["layer_types": "null", "sliding_window_pattern": "3"]), path: "config.json")
        #expect((0..<6).map { c.attentionWindow(layer: $0) } == [512, 512, 0, 512, 512, 0])
    }

    @Test func whatCannotRunIsRefusedByField() throws {
        let cases: [(String, String, String)] = [
            ("final_logit_softcapping", "30.0", "final_logit_softcapping"),
            ("attn_logit_softcapping", "50.0", "attn_logit_softcapping"),
            ("hidden_activation", "\"silu\"", "hidden_activation"),
            ("layer_types", "[\"full_attention\"" + String(repeating: ", \"sliding_attention\"", count: 17) + "]", "layer_types"),
        ]
        for (key, value, field) in cases {
            #expect {
                _ = try ModelConfig(configJSON: Self.json([key: value]), path: "config.json")
            } throws: { error in
                guard case let ModelConfigError.invalidValue(_, name, _, _) = error else { return false }
                return name == field
            }
        }
        // the multimodal wrapper (text_config nested) is not this config
        #expect(throws: ModelConfigError.self) {
            _ = try ModelConfig(configJSON: Self.json(["architectures": "[\"Gemma3ForConditionalGeneration\"]", "model_type": "\"gemma3\""]),
                                path: "config.json")
        }
    }
}
