import Foundation
import ModelFormats
@testable import Models
import Testing

/// Every load-time refusal is a typed error naming the file, the tensor and what was expected.
@Suite struct ModelLoadingErrorTests {
    static let ggufTypeNames = ["F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0",
                                "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"]

    /// Writes the tiny llama GGUF after `edit` and tries to load it.
    func loadEdited(_ label: String, _ edit: (inout [(String, GGUFValue)], inout [TinyModel.Tensor]) -> Void) throws -> (String, () throws -> Void) {
        let path = try makeTemporaryDirectory(label).appendingPathComponent("tiny.gguf").path
        try TinyModel().writeGGUF(to: path, edit: edit)
        return (path, { _ = try ModelWeights(gguf: GGUFFile(path: path)) })
    }

    @Test func unsupportedArchitectureNamesItselfAndTheSupportedOnes() throws {
        let (path, load) = try loadEdited("arch") { meta, _ in
            meta = meta.map { key, value in key == "general.architecture" ? (key, .string("gpt2")) : (key, value) }
        }
        let expected = ModelLoadingError.unsupportedArchitecture(file: path, name: "gpt2", supported: ["gemma3", "llama", "phi3", "qwen2", "qwen2moe", "qwen3", "qwen3moe"])
        #expect(throws: expected) { try load() }
        #expect(expected.description == "\(path): architecture 'gpt2' is not supported; supported architectures: gemma3, llama, phi3, qwen2, qwen2moe, qwen3, qwen3moe")
    }

    @Test func missingTensorIsNamed() throws {
        let (path, load) = try loadEdited("missing") { _, tensors in
            tensors.removeAll { $0.name == "blk.1.ffn_down.weight" }
        }
        #expect(throws: ModelLoadingError.missingTensor(file: path, tensor: "blk.1.ffn_down.weight")) { try load() }
    }

    /// A llama file that declares experts must carry them: the stacked expert tensors are named
    /// at load, as is a stacked tensor of the wrong shape.
    @Test func missingOrMisshapenExpertTensorsAreNamed() throws {
        let (path, load) = try loadEdited("moe") { meta, _ in
            meta += [("llama.expert_count", .uint32(4)), ("llama.expert_used_count", .uint32(2))]
        }
        #expect(throws: ModelLoadingError.missingTensor(file: path, tensor: "blk.0.ffn_gate_exps.weight")) { try load() }
        let (shapePath, loadShape) = try loadEdited("moe-shape") { meta, tensors in
            meta += [("llama.expert_count", .uint32(4)), ("llama.expert_used_count", .uint32(2))]
            for role in ["gate", "up", "down"] {
                guard let i = tensors.firstIndex(where: { $0.name == "blk.0.ffn_\(role).weight" }) else { return }
                // three experts stored where the metadata says four
                let shape = role == "down" ? [96, 64, 3] : [64, 96, 3]
                tensors.append(TinyModel.Tensor(name: "blk.0.ffn_\(role)_exps.weight", type: .q8_0, shape: shape,
                                                bytes: TestQuantizer.encode([Float](repeating: 0.5, count: 64 * 96 * 3), as: .q8_0)))
                tensors.remove(at: i)
            }
        }
        #expect(throws: ModelLoadingError.wrongShape(file: shapePath, tensor: "blk.0.ffn_gate_exps.weight",
                                                     expected: [64, 96, 4], found: [64, 96, 3])) { try loadShape() }
    }

    /// rope_freqs.weight (Llama 3.1+ GGUF files) divides the rotary frequencies; Phi-3's LongRoPE
    /// factor tensors are refused by name.
    @Test func ropeFrequencyTensorsAreAppliedOrRefused() throws {
        let factors: [Float] = (0..<8).map { Float(1 + $0) }  // head dimension 16
        let (path, _) = try loadEdited("rope-freqs") { _, tensors in
            tensors.append(TinyModel.Tensor(name: "rope_freqs.weight", type: .f32, shape: [8],
                                            bytes: factors.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }))
        }
        let weights = try ModelWeights(gguf: GGUFFile(path: path))
        let plain = try RopeFrequencies(config: weights.config, file: path).invFreq.array
        // divided in Double before one rounding: within an ulp of the Float quotient
        let expected = zip(plain, factors).map { $0 / $1 }
        #expect(zip(weights.rope.invFreq.array, expected).allSatisfy { abs($0 - $1) <= $1.ulp })
        #expect(weights.rope.invFreq.array[7] < plain[7] / 7)
        let (longPath, load) = try loadEdited("rope-long") { _, tensors in
            tensors.append(TinyModel.Tensor(name: "rope_factors_long.weight", type: .f32, shape: [8],
                                            bytes: factors.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }))
        }
        let refusal = ModelLoadingError.unsupportedTensor(file: longPath, tensor: "rope_factors_long.weight",
                                                           reason: "LongRoPE frequency factors (long-context Phi-3) are not implemented")
        #expect(throws: refusal) { try load() }
        #expect(refusal.description == "\(longPath): tensor 'rope_factors_long.weight' is not supported: LongRoPE frequency factors (long-context Phi-3) are not implemented")
    }

    /// A quantized Hugging Face checkpoint is refused at load, naming its scheme, not at the first
    /// tensor it cannot find or read.
    @Test func quantizedHuggingFaceCheckpointsAreRefusedByScheme() throws {
        let dir = try makeTemporaryDirectory("quantized-hf")
        defer { try? FileManager.default.removeItem(at: dir) }
        try TinyModel().writeHF(to: dir)
        let configURL = dir.appendingPathComponent("config.json")
        var text = try String(contentsOf: configURL, encoding: .utf8)
        let close = try #require(text.lastIndex(of: "}"))
        text.replaceSubrange(close...close, with: #", "quantization_config": {"quant_method": "gptq", "bits": 4, "group_size": 128, "desc_act": false, "sym": true}}"#)
        try text.write(to: configURL, atomically: true, encoding: .utf8)
        let config = try ModelConfig(contentsOf: configURL)
        // the config says GPTQ but the weights are float: refused rather than run as float
        let expected = ModelLoadingError.unsupportedQuantization(
            file: dir.path, scheme: "gptq 4-bit, group size 128, desc_act false, sym true; no quantized tensors in the checkpoint")
        #expect(throws: expected) { try ModelWeights(safetensors: SafeTensorsCheckpoint(directory: dir), config: config) }
        #expect(expected.description.contains("this quantization is not supported (quantization_config: gptq 4-bit"))
    }

    @Test func wrongShapeNamesExpectedAndFound() throws {
        let (path, load) = try loadEdited("shape") { _, tensors in
            guard let i = tensors.firstIndex(where: { $0.name == "blk.0.attn_k.weight" }) else { return }
            tensors[i].shape = [64, 48]
            tensors[i].bytes = TestQuantizer.encode([Float](repeating: 0.5, count: 64 * 48), as: .q8_0)
        }
        let expected = ModelLoadingError.wrongShape(file: path, tensor: "blk.0.attn_k.weight", expected: [64, 32], found: [64, 48])
        #expect(throws: expected) { try load() }
        #expect(expected.description == "\(path): tensor 'blk.0.attn_k.weight' has shape [64, 48], expected [64, 32]")
    }

    @Test func wrongNormShapeIsNamed() throws {
        let (path, load) = try loadEdited("norm") { _, tensors in
            guard let i = tensors.firstIndex(where: { $0.name == "output_norm.weight" }) else { return }
            tensors[i].shape = [32]
            tensors[i].bytes = Array(tensors[i].bytes[0..<128])
        }
        #expect(throws: ModelLoadingError.wrongShape(file: path, tensor: "output_norm.weight", expected: [64], found: [32])) { try load() }
    }

    @Test func unsupportedTensorTypeListsTheSupportedTypes() throws {
        let (path, load) = try loadEdited("type") { _, tensors in
            guard let i = tensors.firstIndex(where: { $0.name == "blk.0.attn_v.weight" }) else { return }
            tensors[i].type = .q8_1
            tensors[i].bytes = [UInt8](repeating: 0, count: 32 * 2 * 36)
        }
        let expected = ModelLoadingError.unsupportedTensorType(file: path, tensor: "blk.0.attn_v.weight", type: "Q8_1",
                                                               supported: Self.ggufTypeNames)
        #expect(throws: expected) { try load() }
        #expect(expected.description.hasSuffix("type Q8_1, which is not supported; supported types: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K"))
    }

    @Test func safeTensorsErrorsUseHFNamesAndShapes() throws {
        let tiny = try TinyModel()
        let dir = try makeTemporaryDirectory("hf-errors")
        defer { try? FileManager.default.removeItem(at: dir) }
        try tiny.writeHF(to: dir)
        let config = try ModelConfig(contentsOf: dir.appendingPathComponent("config.json"))
        /// Rewrites model.safetensors with `change` applied to one tensor (nil drops it), then loads.
        func load(_ name: String, config: ModelConfig = config,
                  _ change: (inout SafeTensorsWriter, [Int], [Float]) throws -> Void) throws {
            var writer = SafeTensorsWriter()
            for t in tiny.hfTensors {
                if t.name == name { try change(&writer, t.shape, t.values) } else { try writer.add(name: t.name, shape: t.shape, floats: t.values) }
            }
            try writer.write(to: dir.appendingPathComponent("model.safetensors"))
            _ = try ModelWeights(safetensors: SafeTensorsCheckpoint(directory: dir), config: config)
        }
        #expect(throws: ModelLoadingError.missingTensor(file: dir.path, tensor: "lm_head.weight")) {
            try load("lm_head.weight") { _, _, _ in }
        }
        #expect(throws: ModelLoadingError.unsupportedTensorType(file: dir.path, tensor: "model.layers.0.self_attn.o_proj.weight",
                                                                type: "I32", supported: ["F32", "F16", "BF16"])) {
            try load("model.layers.0.self_attn.o_proj.weight") { w, shape, values in
                try w.add(name: "model.layers.0.self_attn.o_proj.weight", dtype: .i32, shape: shape,
                          bytes: [UInt8](repeating: 0, count: 4 * values.count))
            }
        }
        #expect(throws: ModelLoadingError.wrongShape(file: dir.path, tensor: "model.layers.1.mlp.up_proj.weight",
                                                     expected: [96, 64], found: [64, 96])) {
            try load("model.layers.1.mlp.up_proj.weight") { w, _, values in
                try w.add(name: "model.layers.1.mlp.up_proj.weight", shape: [64, 96], floats: values)
            }
        }
    }

    /// Gemma 3 loads with its extra tensors (Gemma3ReferenceTests checks its outputs), and a file
    /// without a post-MLP norm is refused naming the tensor.
    @Test func realGemmaFileLoadsItsExtraTensors() throws {
        let path = try RealModel.path("gemma-3-270m-q4_k_m.gguf", fetch: "scripts/fetch-model gemma3")
        let weights = try ModelWeights(gguf: GGUFFile(path: path))
        #expect(weights.layers.allSatisfy { $0.postAttnNorm != nil && $0.postFFNNorm != nil && $0.qNorm != nil })
        #expect(weights.localRope != nil)
        #expect(TensorRole.postFFNNorm.ggufName(layer: 4) == "blk.4.post_ffw_norm.weight")
        #expect(TensorRole.ffnNorm.hfName(layer: 4, gemma: true) == "model.layers.4.pre_feedforward_layernorm.weight")
        #expect(TensorRole.postAttnNorm.hfName(layer: 4, gemma: true) == "model.layers.4.post_attention_layernorm.weight")
    }
}
