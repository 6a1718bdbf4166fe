/// The tensors of a Llama-family decoder, independent of how a file names them.
enum TensorRole: CaseIterable {
    case tokenEmbedding, outputNorm, output
    case attnNorm, q, k, v, o, qBias, kBias, vBias, oBias, qNorm, kNorm
    case ffnNorm, gate, up, down, gateBias, upBias, downBias
    case postAttnNorm, postFFNNorm
    /// Mixture of experts: the router, the stacked experts ([experts, rows, cols] in one tensor),
    /// and Qwen2-MoE's shared expert with its sigmoid gate vector.
    case router, expertGate, expertUp, expertDown, sharedGate, sharedUp, sharedDown, sharedRouter
    /// Phi-3's fused projections: q, k and v rows in one tensor; gate rows then up rows in another.
    case qkv, gateUp
    /// Per-dimension rotary frequency divisors (GGUF files of Llama 3.1+). [headDim / 2]
    case ropeFrequencyFactors

    /// The name llama.cpp's GGUF files use (`layer` ignored for the model-level tensors).
    func ggufName(layer: Int) -> String {
        let block = "blk.\(layer)."
        switch self {
        case .tokenEmbedding: return "token_embd.weight"
        case .outputNorm: return "output_norm.weight"
        case .output: return "output.weight"
        case .attnNorm: return block + "attn_norm.weight"
        case .q: return block + "attn_q.weight"
        case .k: return block + "attn_k.weight"
        case .v: return block + "attn_v.weight"
        case .o: return block + "attn_output.weight"
        case .qBias: return block + "attn_q.bias"
        case .kBias: return block + "attn_k.bias"
        case .vBias: return block + "attn_v.bias"
        case .oBias: return block + "attn_output.bias"
        case .qNorm: return block + "attn_q_norm.weight"
        case .kNorm: return block + "attn_k_norm.weight"
        case .ffnNorm: return block + "ffn_norm.weight"
        case .gate: return block + "ffn_gate.weight"
        case .up: return block + "ffn_up.weight"
        case .down: return block + "ffn_down.weight"
        case .gateBias: return block + "ffn_gate.bias"
        case .upBias: return block + "ffn_up.bias"
        case .downBias: return block + "ffn_down.bias"
        case .postAttnNorm: return block + "post_attention_norm.weight"
        case .postFFNNorm: return block + "post_ffw_norm.weight"
        case .router: return block + "ffn_gate_inp.weight"
        case .expertGate: return block + "ffn_gate_exps.weight"
        case .expertUp: return block + "ffn_up_exps.weight"
        case .expertDown: return block + "ffn_down_exps.weight"
        case .sharedGate: return block + "ffn_gate_shexp.weight"
        case .sharedUp: return block + "ffn_up_shexp.weight"
        case .sharedDown: return block + "ffn_down_shexp.weight"
        case .sharedRouter: return block + "ffn_gate_inp_shexp.weight"
        case .qkv: return block + "attn_qkv.weight"
        case .gateUp: return block + "ffn_up.weight"  // llama.cpp keeps the name; the rows double
        case .ropeFrequencyFactors: return "rope_freqs.weight"
        }
    }

    /// Whether the role is an RMSNorm weight.
    var isNorm: Bool {
        switch self {
        case .outputNorm, .attnNorm, .qNorm, .kNorm, .ffnNorm, .postAttnNorm, .postFFNNorm: return true
        default: return false
        }
    }

    /// How much less than the model's value a Hugging Face checkpoint stores: 1 for `gemma`'s norm
    /// weights (w of x * (1 + w); GGUF files store 1 + w), 0 otherwise. Loading adds it, export
    /// subtracts it.
    func hfStoredOffset(gemma: Bool) -> Float { gemma && isNorm ? 1 : 0 }

    /// The name Hugging Face transformers checkpoints use; `gemma` for Gemma's layer norms
    /// (post_attention_layernorm follows attention there, and the MLP's is pre_feedforward_layernorm).
    func hfName(layer: Int, gemma: Bool = false) -> String {
        let block = "model.layers.\(layer)."
        if gemma && self == .ffnNorm { return block + "pre_feedforward_layernorm.weight" }
        switch self {
        case .tokenEmbedding: return "model.embed_tokens.weight"
        case .outputNorm: return "model.norm.weight"
        case .output: return "lm_head.weight"
        case .attnNorm: return block + "input_layernorm.weight"
        case .q: return block + "self_attn.q_proj.weight"
        case .k: return block + "self_attn.k_proj.weight"
        case .v: return block + "self_attn.v_proj.weight"
        case .o: return block + "self_attn.o_proj.weight"
        case .qBias: return block + "self_attn.q_proj.bias"
        case .kBias: return block + "self_attn.k_proj.bias"
        case .vBias: return block + "self_attn.v_proj.bias"
        case .oBias: return block + "self_attn.o_proj.bias"
        case .qNorm: return block + "self_attn.q_norm.weight"
        case .kNorm: return block + "self_attn.k_norm.weight"
        case .ffnNorm: return block + "post_attention_layernorm.weight"
        case .gate: return block + "mlp.gate_proj.weight"
        case .up: return block + "mlp.up_proj.weight"
        case .down: return block + "mlp.down_proj.weight"
        case .gateBias: return block + "mlp.gate_proj.bias"
        case .upBias: return block + "mlp.up_proj.bias"
        case .downBias: return block + "mlp.down_proj.bias"
        case .postAttnNorm: return block + "post_attention_layernorm.weight"
        case .postFFNNorm: return block + "post_feedforward_layernorm.weight"
        // transformers stores one tensor per expert (experts.{e}.gate_proj...); the stacked names
        // below exist in no checkpoint, so a Hugging Face MoE directory fails at load naming them
        case .router: return block + "mlp.gate.weight"
        case .expertGate: return block + "mlp.experts.gate_proj.weight"
        case .expertUp: return block + "mlp.experts.up_proj.weight"
        case .expertDown: return block + "mlp.experts.down_proj.weight"
        case .sharedGate: return block + "mlp.shared_expert.gate_proj.weight"
        case .sharedUp: return block + "mlp.shared_expert.up_proj.weight"
        case .sharedDown: return block + "mlp.shared_expert.down_proj.weight"
        case .sharedRouter: return block + "mlp.shared_expert_gate.weight"
        case .qkv: return block + "self_attn.qkv_proj.weight"
        case .gateUp: return block + "mlp.gate_up_proj.weight"
        case .ropeFrequencyFactors: return "rope_freqs.weight"  // transformers computes them from rope_scaling
        }
    }
}
