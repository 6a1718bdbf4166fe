import Foundation
import Testing
@testable import ModelFormats

/// config.json's `quantization_config` as llm-compressor, vLLM's FP8 format, GPTQ and AWQ write it,
/// decoded through the registry keyed by `quant_method`; unknown methods are named.
struct QuantizationConfigTests {
    static func config(quantization: String?) throws -> ModelConfig {
        let extra = quantization.map { #", "quantization_config": \#($0)"# } ?? ""
        let json = #"""
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 64, "intermediate_size": 96,
         "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 100,
         "max_position_embeddings": 256, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": false\#(extra)}
        """#
        return try ModelConfig(configJSON: Data(json.utf8), path: "config.json")
    }

    /// llm-compressor's FP8_DYNAMIC scheme, as it writes it.
    static let fp8Dynamic = #"""
    {"config_groups": {"group_0": {"input_activations": {"actorder": null, "block_structure": null, "dynamic": true,
      "group_size": null, "num_bits": 8, "observer": null, "observer_kwargs": {}, "strategy": "token", "symmetric": true,
      "type": "float"}, "output_activations": null, "targets": ["Linear"], "weights": {"actorder": null,
      "block_structure": null, "dynamic": false, "group_size": null, "num_bits": 8, "observer": "minmax",
      "observer_kwargs": {}, "strategy": "channel", "symmetric": true, "type": "float"}}},
     "format": "float-quantized", "global_compression_ratio": 1.2, "ignore": ["lm_head"], "kv_cache_scheme": null,
     "quant_method": "compressed-tensors", "quantization_status": "compressed"}
    """#

    @Test func compressedTensorsGroupsAreRead() throws {
        let q = try #require(try Self.config(quantization: Self.fp8Dynamic).quantization)
        guard case .compressedTensors(let c) = q else { Issue.record("\(q)"); return }
        #expect(c.format == "float-quantized" && c.ignore == ["lm_head"] && c.kvCacheScheme == nil)
        let group = try #require(c.configGroups["group_0"])
        #expect(group.targets == ["Linear"] && group.outputActivations == nil)
        #expect(group.weights?.type == "float" && group.weights?.numBits == 8 && group.weights?.strategy == "channel")
        #expect(group.weights?.dynamic == .flag(false) && group.inputActivations?.dynamic.isDynamic == true)
        #expect(q.summary == "compressed-tensors float-quantized (group_0: weights float 8-bit channel, activations float 8-bit token dynamic)")
        // W4A16 with groups of 128 and "local" dynamic scales
        let w4a16 = #"{"quant_method": "compressed-tensors", "format": "pack-quantized", "config_groups": {"group_0": {"targets": ["Linear"], "weights": {"num_bits": 4, "type": "int", "symmetric": false, "strategy": "group", "group_size": 128, "dynamic": "local"}}}}"#
        guard case .compressedTensors(let w)? = try Self.config(quantization: w4a16).quantization else { Issue.record("w4a16"); return }
        #expect(w.configGroups["group_0"]?.weights?.groupSize == 128 && w.configGroups["group_0"]?.weights?.dynamic == .named("local"))
        #expect(w.configGroups["group_0"]?.weights?.symmetric == false)
    }

    @Test func fp8GptqAndAwqAreRead() throws {
        #expect(try Self.config(quantization: nil).quantization == nil)
        let fp8 = try #require(try Self.config(quantization: #"{"quant_method": "fp8", "activation_scheme": "dynamic", "weight_block_size": [128, 128]}"#).quantization)
        #expect(fp8.summary == "fp8, dynamic activations, weight blocks [128, 128]")
        let gptq = try #require(try Self.config(quantization: #"{"quant_method": "gptq", "bits": 4, "group_size": 128, "desc_act": true, "sym": false, "checkpoint_format": "gptq"}"#).quantization)
        #expect(gptq.summary == "gptq 4-bit, group size 128, desc_act true, sym false")
        let awq = try #require(try Self.config(quantization: #"{"quant_method": "awq", "bits": 4, "group_size": 128, "zero_point": true, "version": "gemm"}"#).quantization)
        #expect(awq.method == "awq" && awq.summary == "awq 4-bit, group size 128, zero point true, version gemm")
    }

    @Test func unknownOrMalformedConfigsAreNamed() {
        #expect(throws: ModelConfigError.invalidValue(file: "config.json", field: "quantization_config.quant_method", value: "bitsandbytes",
                                                      reason: "not a quantization method this engine reads (supported: awq, compressed-tensors, fp8, gptq)")) {
            try Self.config(quantization: #"{"quant_method": "bitsandbytes", "load_in_4bit": true}"#)
        }
        #expect(throws: ModelConfigError.missingField(file: "config.json", field: "quantization_config.quant_method")) {
            try Self.config(quantization: #"{"bits": 4}"#)
        }
        #expect(throws: ModelConfigError.wrongType(file: "config.json", field: "quantization_config.bits", expected: "an integer")) {
            try Self.config(quantization: #"{"quant_method": "gptq", "bits": "four"}"#)
        }
    }
}
