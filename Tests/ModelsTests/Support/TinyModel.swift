import Foundation
import ModelFormats

/// A tiny random decoder (2 layers, hidden 64, 4 heads, 2 KV heads, head dim 16, vocab 100)
/// written both as a real GGUF file (quantized, q/k rows permuted the way llama.cpp's converter
/// does for llama) and as an HF safetensors directory holding the exact same weights in F32.
struct TinyModel {
    struct Tensor {
        var name: String
        var type: GGMLType
        /// GGUF order (ne0 first).
        var shape: [Int]
        var bytes: [UInt8]
    }

    let arch: String
    let tied: Bool
    let numLayers = 2, hiddenSize = 64, numHeads = 4, numKVHeads = 2, headDim = 16
    let intermediateSize = 96, vocabSize = 100
    let rmsNormEps: Float = 1e-5
    let ropeTheta: Float = 10_000
    /// The GGUF file's tensors, in file order.
    var ggufTensors: [Tensor] = []
    /// The HF checkpoint's tensors: name, HF shape, F32 values.
    var hfTensors: [(name: String, shape: [Int], values: [Float])] = []

    /// `arch` is "llama", "qwen2" (q/k/v biases) or "qwen3" (q/k norms).
    init(arch: String = "llama", tied: Bool = false, seed: UInt64 = 7) throws {
        self.arch = arch
        self.tied = tied
        var rng = SplitMix64(state: seed)
        let qDim = numHeads * headDim, kvDim = numKVHeads * headDim
        try addMatrix("token_embd.weight", "model.embed_tokens.weight", rows: vocabSize, cols: hiddenSize, .q8_0, 1.0, &rng)
        for i in 0..<numLayers {
            let g = "blk.\(i).", h = "model.layers.\(i)."
            addVector(g + "attn_norm.weight", h + "input_layernorm.weight", count: hiddenSize, &rng)
            try addMatrix(g + "attn_q.weight", h + "self_attn.q_proj.weight", rows: qDim, cols: hiddenSize, .q4_1, 0.3, &rng, ropeHeads: true)
            try addMatrix(g + "attn_k.weight", h + "self_attn.k_proj.weight", rows: kvDim, cols: hiddenSize, .q8_0, 0.3, &rng, ropeHeads: true)
            try addMatrix(g + "attn_v.weight", h + "self_attn.v_proj.weight", rows: kvDim, cols: hiddenSize, .q4_1, 0.3, &rng)
            if arch == "qwen2" {
                addVector(g + "attn_q.bias", h + "self_attn.q_proj.bias", count: qDim, &rng, center: 0)
                addVector(g + "attn_k.bias", h + "self_attn.k_proj.bias", count: kvDim, &rng, center: 0)
                addVector(g + "attn_v.bias", h + "self_attn.v_proj.bias", count: kvDim, &rng, center: 0)
            }
            if arch == "qwen3" {
                addVector(g + "attn_q_norm.weight", h + "self_attn.q_norm.weight", count: headDim, &rng)
                addVector(g + "attn_k_norm.weight", h + "self_attn.k_norm.weight", count: headDim, &rng)
            }
            try addMatrix(g + "attn_output.weight", h + "self_attn.o_proj.weight", rows: hiddenSize, cols: qDim, .f32, 0.2, &rng)
            addVector(g + "ffn_norm.weight", h + "post_attention_layernorm.weight", count: hiddenSize, &rng)
            try addMatrix(g + "ffn_gate.weight", h + "mlp.gate_proj.weight", rows: intermediateSize, cols: hiddenSize, .q4_1, 0.3, &rng)
            try addMatrix(g + "ffn_up.weight", h + "mlp.up_proj.weight", rows: intermediateSize, cols: hiddenSize, .q8_0, 0.3, &rng)
            try addMatrix(g + "ffn_down.weight", h + "mlp.down_proj.weight", rows: hiddenSize, cols: intermediateSize, .f32, 0.2, &rng)
        }
        addVector("output_norm.weight", "model.norm.weight", count: hiddenSize, &rng)
        if !tied {
            try addMatrix("output.weight", "lm_head.weight", rows: vocabSize, cols: hiddenSize, .q8_0, 0.3, &rng)
        }
    }

    /// Adds a matrix generated in HF row order; for llama, q/k rows go to the GGUF permuted
    /// (within each head, HF row j * headDim/2 + i becomes GGUF row 2i + j).
    private mutating func addMatrix(_ ggufName: String, _ hfName: String, rows: Int, cols: Int, _ type: GGMLType,
                                    _ scale: Float, _ rng: inout SplitMix64, ropeHeads: Bool = false) throws {
        let values = (0..<rows * cols).map { _ in rng.uniform(scale) }
        let bytes = TestQuantizer.encode(values, as: type)
        hfTensors.append((hfName, [rows, cols], try TestQuantizer.decode(bytes, as: type, count: rows * cols)))
        var stored = bytes
        if ropeHeads && arch == "llama" {
            let rowBytes = bytes.count / rows, half = headDim / 2
            for head in 0..<rows / headDim {
                for i in 0..<half {
                    for j in 0..<2 {
                        let dst = (head * headDim + 2 * i + j) * rowBytes
                        let src = (head * headDim + j * half + i) * rowBytes
                        stored.replaceSubrange(dst..<dst + rowBytes, with: bytes[src..<src + rowBytes])
                    }
                }
            }
        }
        ggufTensors.append(Tensor(name: ggufName, type: type, shape: [cols, rows], bytes: stored))
    }

    private mutating func addVector(_ ggufName: String, _ hfName: String, count: Int, _ rng: inout SplitMix64, center: Float = 1) {
        let values = (0..<count).map { _ in center + rng.uniform(0.2) }
        hfTensors.append((hfName, [count], values))
        ggufTensors.append(Tensor(name: ggufName, type: .f32, shape: [count], bytes: TestQuantizer.encode(values, as: .f32)))
    }

    /// GGUF metadata for the architecture.
    var metadata: [(String, GGUFValue)] {
        let a = arch
        return [
            ("general.architecture", .string(a)),
            ("\(a).block_count", .uint32(UInt32(numLayers))),
            ("\(a).context_length", .uint32(256)),
            ("\(a).embedding_length", .uint32(UInt32(hiddenSize))),
            ("\(a).feed_forward_length", .uint32(UInt32(intermediateSize))),
            ("\(a).attention.head_count", .uint32(UInt32(numHeads))),
            ("\(a).attention.head_count_kv", .uint32(UInt32(numKVHeads))),
            ("\(a).attention.key_length", .uint32(UInt32(headDim))),
            ("\(a).rope.dimension_count", .uint32(UInt32(headDim))),
            ("\(a).attention.layer_norm_rms_epsilon", .float32(rmsNormEps)),
            ("\(a).rope.freq_base", .float32(ropeTheta)),
            ("\(a).vocab_size", .uint32(UInt32(vocabSize))),
        ]
    }

    /// Writes the GGUF file; `edit` may change the metadata or tensors first (for error tests).
    func writeGGUF(to path: String, edit: (inout [(String, GGUFValue)], inout [Tensor]) -> Void = { _, _ in }) throws {
        var meta = metadata
        var tensors = ggufTensors
        edit(&meta, &tensors)
        var writer = try GGUFWriter()
        for (key, value) in meta { try writer.addMetadata(key, value) }
        for t in tensors { try writer.addTensor(name: t.name, type: t.type, shape: t.shape, data: t.bytes) }
        try writer.write(to: path)
    }

    /// Writes config.json and model.safetensors into `directory`.
    func writeHF(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var writer = SafeTensorsWriter()
        for t in hfTensors { try writer.add(name: t.name, shape: t.shape, floats: t.values) }
        try writer.write(to: directory.appendingPathComponent("model.safetensors"))
        let archName = ["llama": "LlamaForCausalLM", "qwen2": "Qwen2ForCausalLM", "qwen3": "Qwen3ForCausalLM"][arch] ?? arch
        let json = """
        {"architectures": ["\(archName)"], "model_type": "\(arch)", "hidden_size": \(hiddenSize),
         "intermediate_size": \(intermediateSize), "num_hidden_layers": \(numLayers),
         "num_attention_heads": \(numHeads), "num_key_value_heads": \(numKVHeads), "head_dim": \(headDim),
         "vocab_size": \(vocabSize), "max_position_embeddings": 256, "rms_norm_eps": \(rmsNormEps),
         "rope_theta": \(ropeTheta), "tie_word_embeddings": \(tied)}
        """
        try Data(json.utf8).write(to: directory.appendingPathComponent("config.json"))
    }
}

/// A fresh temporary directory for one test.
func makeTemporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("swiftlet-models-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
