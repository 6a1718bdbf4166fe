import Foundation
import Testing
@testable import ModelFormats

/// Bad config.json files yield typed errors naming the file and the field.
struct ConfigErrorTests {
    static let required = #""hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "vocab_size": 100"#

    private func decode(_ json: String) throws -> ModelConfig {
        try ModelConfig(configJSON: Data(json.utf8), path: "bad/config.json")
    }

    @Test func missingRequiredField() {
        #expect(throws: ModelConfigError.missingField(file: "bad/config.json", field: "num_attention_heads")) {
            try decode("{\"model_type\": \"llama\", \(Self.required)}")
        }
    }

    @Test func wrongType() {
        #expect(throws: ModelConfigError.wrongType(file: "bad/config.json", field: "num_attention_heads", expected: "an integer")) {
            try decode("{\"model_type\": \"llama\", \"num_attention_heads\": \"nine\", \(Self.required)}")
        }
        #expect(throws: ModelConfigError.wrongType(file: "bad/config.json", field: "num_attention_heads", expected: "an integer")) {
            try decode("{\"model_type\": \"llama\", \"num_attention_heads\": 4.5, \(Self.required)}")
        }
        #expect {
            try decode("{\"model_type\": \"llama\", \"num_attention_heads\": 4, \"eos_token_id\": \"x\", \(Self.required)}")
        } throws: { error in
            guard case .wrongType(let file, let field, _) = error as? ModelConfigError else { return false }
            return file == "bad/config.json" && field == "eos_token_id"
        }
    }

    @Test func zeroHeads() {
        #expect(throws: ModelConfigError.invalidValue(file: "bad/config.json", field: "num_attention_heads", value: "0", reason: "must be positive")) {
            try decode("{\"model_type\": \"llama\", \"num_attention_heads\": 0, \(Self.required)}")
        }
        #expect(throws: ModelConfigError.invalidValue(file: "bad/config.json", field: "num_key_value_heads", value: "0", reason: "must be positive")) {
            try decode("{\"model_type\": \"llama\", \"num_attention_heads\": 4, \"num_key_value_heads\": 0, \(Self.required)}")
        }
        #expect(throws: ModelConfigError.invalidValue(file: "bad/config.json", field: "num_hidden_layers", value: "-1", reason: "must be positive")) {
            try decode(#"{"model_type": "llama", "num_attention_heads": 4, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": -1, "vocab_size": 100}"#)
        }
    }

    @Test func headsNotDivisible() {
        #expect(throws: ModelConfigError.notDivisible(file: "bad/config.json", field: "num_attention_heads", value: 4,
                                                      divisorField: "num_key_value_heads", divisor: 3)) {
            try decode("{\"model_type\": \"llama\", \"num_attention_heads\": 4, \"num_key_value_heads\": 3, \(Self.required)}")
        }
        #expect(throws: ModelConfigError.notDivisible(file: "bad/config.json", field: "hidden_size", value: 64,
                                                      divisorField: "num_attention_heads", divisor: 3)) {
            try decode("{\"model_type\": \"llama\", \"num_attention_heads\": 3, \(Self.required)}")
        }
        // an explicit head_dim lifts the hidden == heads * head_dim requirement
        #expect((try? decode("{\"model_type\": \"llama\", \"num_attention_heads\": 3, \"head_dim\": 32, \(Self.required)}"))?.headDim == 32)
    }

    @Test func unknownArchitecture() {
        let supported = ["LlamaForCausalLM (llama)", "MistralForCausalLM (mistral)",
                         "Qwen2ForCausalLM (qwen2)", "Qwen3ForCausalLM (qwen3)", "Gemma3ForCausalLM (gemma3_text)"]
        #expect(throws: ModelConfigError.unknownArchitecture(file: "bad/config.json", name: "GPT2LMHeadModel", supported: supported)) {
            try decode("{\"architectures\": [\"GPT2LMHeadModel\"], \"model_type\": \"gpt2\", \(Self.required)}")
        }
        #expect(throws: ModelConfigError.unknownArchitecture(file: "bad/config.json", name: "<no architectures or model_type>", supported: supported)) {
            try decode("{\(Self.required)}")
        }
        // architectures[0] wins; model_type is the fallback
        #expect((try? decode("{\"architectures\": [\"Qwen2ForCausalLM\"], \"model_type\": \"llama\", \"num_attention_heads\": 4, \(Self.required)}"))?.architecture == .qwen2)
    }

    @Test func malformedJSON() {
        #expect {
            try decode("{\"model_type\": \"llama\",")
        } throws: { error in
            guard case .invalidJSON(let file, _) = error as? ModelConfigError else { return false }
            return file == "bad/config.json"
        }
        #expect(throws: ModelConfigError.self) { try decode("[1, 2]") }
    }

    @Test func missingFile() {
        #expect {
            try ModelConfig(contentsOf: URL(fileURLWithPath: "/nonexistent/config.json"))
        } throws: { error in
            guard case .io(let file, _) = error as? ModelConfigError else { return false }
            return file == "/nonexistent/config.json"
        }
    }

    @Test func messagesAreActionable() {
        #expect(ModelConfigError.missingField(file: "c.json", field: "vocab_size").description
                == "c.json: required field 'vocab_size' is missing")
        #expect(ModelConfigError.unsupportedRopeScaling(file: "c.json", type: "dynamic", supported: ["linear", "yarn"]).description
                == "c.json: unsupported rope scaling type 'dynamic' (supported: linear, yarn)")
    }
}
