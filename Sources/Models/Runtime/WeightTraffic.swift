import Kernels

/// The weight bytes and multiply-adds of one forward step, for roofline figures: decode
/// streams every matmul weight once per step, whatever the batch size.
public struct WeightTraffic: Sendable, Equatable {
    /// Stored bytes of the matmul weights one step reads: every layer's q, k, v, o, gate, up,
    /// down (in a mixture of experts: the router, numExpertsUsed experts and any shared one, what
    /// one token reads) and the LM head (the tied embedding when there is no separate one), plus the f32
    /// norm weights and biases. Embedding rows read per token are left out (a few KiB).
    public let bytesPerStep: Int
    /// Multiply-adds per token of the matmuls (rows * cols summed): FLOPs per token are twice
    /// this, attention excluded.
    public let matmulParams: Int

    /// The figures of `weights`.
    public init(weights: ModelWeights) {
        var bytes = 0, params = 0
        func add(_ w: WeightMatrix) {
            bytes += w.rows * w.rowByteCount
            params += w.rows * w.cols
        }
        func add(_ buffer: FloatBuffer?) {
            bytes += (buffer?.count ?? 0) * MemoryLayout<Float>.stride
        }
        for layer in weights.layers {
            for w in layer.projections { add(w) }
            if let moe = layer.moe, let spec = weights.config.moe {
                // one token reads its numExpertsUsed experts (a batch reads each chosen one once)
                add(moe.router)
                for expert in moe.experts.prefix(spec.numExpertsUsed) + (moe.shared.map { [$0] } ?? []) {
                    for w in [expert.gate, expert.up, expert.down] { add(w) }
                }
                add(moe.sharedGate)
            }
            for b in [layer.attnNorm, layer.ffnNorm, layer.qNorm, layer.kNorm, layer.qBias, layer.kBias,
                      layer.vBias, layer.oBias, layer.gateBias, layer.upBias, layer.downBias] { add(b) }
        }
        add(weights.output)
        add(weights.outputNorm)
        bytesPerStep = bytes
        matmulParams = params
    }
}
