/// Where a part of an engine step's time goes (`swiftlet bench latency --profile`).
public enum ProfileCategory: Int, CaseIterable, Sendable {
    /// The q, k and v projections (with their biases).
    case qkvProjection
    /// The attention output projection.
    case outputProjection
    /// The FFN gate and up projections.
    case ffnGateUp
    /// The FFN down projection.
    case ffnDown
    /// The LM head: logits of the sampled rows.
    case logits
    /// KV-cache writes and paged attention.
    case attention
    /// RMS norms (layer, q/k and final).
    case norms
    /// Rotary embeddings of q and k.
    case rope
    /// Embedding rows, residual adds, SiLU·up.
    case elementwise
    /// Sampling and logprobs of the step's rows.
    case sampling
    /// Scheduling, batch building and output bookkeeping: the step outside the model and sampler.
    case scheduling
    /// The calling thread waiting at a worker-pool join for chunks still running elsewhere.
    case synchronization
    /// Mixture of experts: router logits, top-k, and gathering / mixing the experts' rows.
    case moeRouting

    /// The row label of the profile table.
    public var label: String {
        switch self {
        case .qkvProjection: "matmul q/k/v projection"
        case .outputProjection: "matmul attn output proj"
        case .ffnGateUp: "matmul FFN gate/up"
        case .ffnDown: "matmul FFN down"
        case .logits: "matmul lm_head (logits)"
        case .attention: "attention (+ KV write)"
        case .norms: "RMS norms"
        case .rope: "rope"
        case .elementwise: "other elementwise"
        case .sampling: "sampling"
        case .scheduling: "scheduling/bookkeeping"
        case .synchronization: "sync (pool join wait)"
        case .moeRouting: "MoE router + gather/mix"
        }
    }

    /// The JSON key of this row.
    public var key: String {
        switch self {
        case .qkvProjection: "qkv_projection"
        case .outputProjection: "output_projection"
        case .ffnGateUp: "ffn_gate_up"
        case .ffnDown: "ffn_down"
        case .logits: "logits"
        case .attention: "attention"
        case .norms: "norms"
        case .rope: "rope"
        case .elementwise: "elementwise"
        case .sampling: "sampling"
        case .scheduling: "scheduling"
        case .synchronization: "synchronization"
        case .moeRouting: "moe_routing"
        }
    }
}
